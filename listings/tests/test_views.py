"""Every public page renders, shows what it should, and stays cheap to build."""

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listings.models import CaseStatus, Region
from listings.tests.factories import CaseFactory, PhotoFactory, ResourceCategoryFactory, ResourceFactory
from listings.tests.helpers import case_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "shows_the_case"),
    [
        ("home", True),
        ("listings:case_list", True),
        ("listings:resources", False),
        ("listings:contact", False),
        ("listings:feed", True),
        ("listings:sitemap", True),
    ],
)
def test_public_page_renders_for_visitor(client, published_case, url_name, shows_the_case):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    content = response.content.decode()
    assert (published_case.get_absolute_url() in content) is shows_the_case
    if response["Content-Type"].startswith("text/html"):
        assert "<main" in content and "</html>" in content


def test_case_page_renders_for_visitor(client, published_case):
    response = client.get(case_url(published_case))

    assert response.status_code == 200
    assert "listings/case_detail.html" in [t.name for t in response.templates]


def test_pages_use_no_inline_script_or_style(client, published_case):
    """The Content-Security-Policy forbids inline code, so the markup must not need it."""
    for url in [
        reverse("home"),
        reverse("listings:case_list"),
        case_url(published_case),
        reverse("listings:contact"),
    ]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html
        assert ' style="' not in html and " onclick=" not in html


def test_home_shows_recently_updated_cases_and_urgent_notice(client, published_case):
    html = client.get(reverse("home")).content.decode()

    assert "Marion Brookfield" in html
    assert published_case.primary_photo.get_thumbnail_url() in html
    assert "911" in html and "Royal Newfoundland Constabulary" in html
    for name in ["listings:case_list", "listings:submit", "listings:resources"]:
        assert reverse(name) in html


def test_home_lists_at_most_six_cases(client):
    CaseFactory.create_batch(8, published=True)

    response = client.get(reverse("home"))

    assert len(response.context["recently_updated_cases"]) == 6


def test_demo_notice_shows_only_with_demo_data(client):
    CaseFactory(published=True)
    assert "fictional demo cases" not in client.get(reverse("home")).content.decode()

    CaseFactory(published=True, is_demo=True)
    assert "fictional demo cases" in client.get(reverse("home")).content.decode()


def test_demo_notice_is_not_asked_of_the_database_on_every_page(client):
    CaseFactory(published=True, is_demo=True)
    client.get(reverse("listings:resources"))

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("listings:resources")).content.decode()

    assert "fictional demo cases" in html
    assert not [query["sql"] for query in queries if "is_demo" in query["sql"]]


def test_listings_card_shows_thumbnail_with_size_alt_and_lazy_loading(client, published_case):
    html = client.get(reverse("listings:case_list")).content.decode()
    photo = published_case.primary_photo

    assert f'src="{photo.get_thumbnail_url()}"' in html
    assert 'alt="Marion at the harbour, 2025"' in html
    assert f'width="{photo.thumbnail_width}" height="{photo.thumbnail_height}" loading="lazy"' in html
    assert '<span class="badge badge--missing">Missing</span>' in html


def test_listings_search_by_name_and_place(client):
    match = CaseFactory(published=True, first_name="Philomena", last_seen_place="Harbour Grace")
    other = CaseFactory(published=True, first_name="Bartholomew", last_seen_place="Gander")

    by_name = client.get(reverse("listings:case_list"), {"q": "philomena"}).context["cases"]
    by_place = client.get(reverse("listings:case_list"), {"q": "harbour grace"}).context["cases"]

    assert list(by_name) == [match]
    assert list(by_place) == [match]
    assert other not in by_place


def test_listings_filters(client):
    found = CaseFactory(published=True, case_status=CaseStatus.FOUND, region=Region.LABRADOR, age_at_disappearance=70)
    missing = CaseFactory(published=True, region=Region.AVALON, age_at_disappearance=15)
    url = reverse("listings:case_list")

    assert list(client.get(url, {"case_status": "found"}).context["cases"]) == [found]
    assert list(client.get(url, {"region": "avalon"}).context["cases"]) == [missing]
    assert list(client.get(url, {"age_min": "60", "age_max": "80", "case_status": "found"}).context["cases"]) == [found]
    seen = missing.last_seen_date.isoformat()
    assert list(client.get(url, {"seen_after": seen, "seen_before": seen}).context["cases"]) == [missing]


def test_listings_are_newest_first(client):
    older = CaseFactory(published=True)
    newer = CaseFactory(published=True)
    older.published_at = newer.published_at.replace(year=newer.published_at.year - 1)
    older.save()

    assert list(client.get(reverse("listings:case_list")).context["cases"]) == [newer, older]


@pytest.mark.parametrize(
    "params",
    [{"age_min": "old"}, {"seen_after": "yesterday"}, {"region": "atlantis"}, {"case_status": "lost"}],
)
def test_invalid_filter_shows_form_error_not_server_error(client, params):
    CaseFactory(published=True)

    response = client.get(reverse("listings:case_list"), params)

    assert response.status_code == 200
    field = next(iter(params))
    assert response.context["filter"].form.errors[field]
    assert 'class="errorlist' in response.content.decode()


def test_garbled_page_number_shows_a_page(client):
    case = CaseFactory(published=True)

    for page in ["abc", "999", "-1"]:
        response = client.get(reverse("listings:case_list"), {"page": page})
        assert response.status_code == 200
        assert list(response.context["cases"]) == [case], page


def test_pagination_keeps_filters(client, settings):
    CaseFactory.create_batch(25, published=True, region=Region.CENTRAL)

    response = client.get(reverse("listings:case_list"), {"region": "central"})

    assert len(response.context["cases"]) == 24
    assert "?region=central&amp;page=2" in response.content.decode()
    second = client.get(reverse("listings:case_list"), {"region": "central", "page": "2"})
    assert len(second.context["cases"]) == 1


def test_live_search_request_gets_only_the_results(client, published_case):
    response = client.get(reverse("listings:case_list"), {"q": "Marion"}, headers={"X-Requested-With": "fetch"})

    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "listings/case_results.html" in names and "base.html" not in names
    html = response.content.decode()
    assert 'data-status="1 case found' in html and "Marion Brookfield" in html
    assert "X-Requested-With" in response["Vary"]


def test_empty_search_says_so(client):
    html = client.get(reverse("listings:case_list"), {"q": "nobody-by-this-name"}).content.decode()

    assert "No cases match your search." in html
    assert "0 cases found" in html


def test_listings_query_count_does_not_grow_with_cases(client, django_assert_num_queries):
    url = reverse("listings:case_list")
    PhotoFactory(case=CaseFactory(published=True))
    with CaptureQueriesContext(connection) as one_case:
        client.get(url)

    for case in CaseFactory.create_batch(23, published=True):
        PhotoFactory(case=case)
    with django_assert_num_queries(len(one_case.captured_queries)):
        response = client.get(url)
    assert len(response.context["cases"]) == 24


def test_home_query_count_does_not_grow_with_cases(client, django_assert_num_queries):
    PhotoFactory(case=CaseFactory(published=True))
    with CaptureQueriesContext(connection) as one_case:
        client.get(reverse("home"))

    for case in CaseFactory.create_batch(6, published=True):
        PhotoFactory(case=case)
    with django_assert_num_queries(len(one_case.captured_queries)):
        client.get(reverse("home"))


def test_case_page_shows_description_police_contact_and_share_links(client, published_case):
    html = client.get(case_url(published_case)).content.decode()

    assert "165 cm" in html and "60 kg" in html and "Brown" in html and "Black" in html
    assert published_case.police_file_number in html
    assert 'href="tel:709-729-8000"' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F127.0.0.1%3A8000%2Flistings%2F" in html
    assert "https://twitter.com/intent/tweet?url=" in html
    assert 'href="mailto:?subject=' in html
    assert 'alt="Marion at the harbour, 2025"' in html
    assert reverse("listings:case_tip", kwargs={"slug": published_case.slug}) in html
    assert "Pending review" not in html


def test_found_case_page_says_so_at_the_top(client):
    case = CaseFactory(published=True, case_status=CaseStatus.FOUND, first_name="Oona")

    html = client.get(case_url(case)).content.decode()

    assert "Oona has been found." in html
    assert html.index("has been found") < html.index("<h1>")


def test_photo_view_serves_published_photo(client, published_case):
    photo = published_case.primary_photo

    for size in ["full", "thumb"]:
        response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": size}))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_photo_view_rejects_unknown_size(client, published_case):
    photo = published_case.primary_photo
    url = reverse("listings:photo", kwargs={"key": photo.key, "size": "full"}).replace("/full/", "/huge/")

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")  # the site's 404 page, never image bytes


def test_resources_are_grouped_by_category_in_order(client):
    second = ResourceCategoryFactory(name="Support for families", order=2)
    first = ResourceCategoryFactory(name="Police services", order=1)
    ResourceFactory(category=second, title="Family support line")
    ResourceFactory(category=first, title="RNC", phone="709-729-8000")

    html = client.get(reverse("listings:resources")).content.decode()

    assert html.index("Police services") < html.index("RNC") < html.index("Support for families")
    assert html.index("Support for families") < html.index("Family support line")
    assert 'href="tel:709-729-8000"' in html


def test_feed_and_sitemap_list_published_cases(client, published_case):
    feed = client.get(reverse("listings:feed")).content.decode()
    sitemap = client.get(reverse("listings:sitemap")).content.decode()

    assert "Marion Brookfield" in feed and published_case.get_absolute_url() in feed
    assert f"http://testserver{published_case.get_absolute_url()}" in sitemap
    assert "http://testserver/listings/" in sitemap


def test_feed_descriptions_are_plain_text_that_no_reader_renders_as_html(client):
    case = CaseFactory(published=True, last_seen_place='<img src=x onerror="alert(1)"> <b>Gander</b> & O\'Leary')

    feed = ElementTree.fromstring(client.get(reverse("listings:feed")).content)  # noqa: S314 (our own feed)

    (description,) = [item.findtext("description") for item in feed.iter("item") if case.slug in item.findtext("link")]
    # What a reader gets after reading the XML is HTML whose text is the place, markup and all.
    assert "<img" not in description and "<b>" not in description
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;b&gt;Gander&lt;/b&gt; &amp; O&#x27;Leary" in description


def test_unknown_page_uses_the_site_404_template(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "We could not find that page" in response.content.decode()


def test_500_template_renders_without_a_request(settings):
    html = get_template("500.html").render({"site_title": settings.SITE_NAME})

    assert "Something went wrong" in html
    assert "/static/css/site.css" in html
    assert f"<span>{settings.SITE_NAME}</span>" in html


def test_navigation_for_members_has_a_logout_form(client, published_case):
    client.force_login(published_case.submitted_by)

    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("logout")}"' in html and ">Log out</button>" in html
    assert ">Log in<" not in html


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico")


def test_listing_counts_and_pages_no_further_than_its_page_cap(client, settings):
    settings.LISTINGS_MAX_PAGES = 1
    CaseFactory.create_batch(settings.LISTINGS_PAGE_SIZE + 1, published=True)

    response = client.get(reverse("listings:case_list"), {"page": 2})
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1  # beyond the cap: its last page
    assert f"More than {settings.LISTINGS_PAGE_SIZE} cases found; narrow the search" in html


def test_stored_cards_follow_every_change_they_show(client, published_case, settings):
    settings.PAGE_CACHE_SECONDS = 0
    photo = published_case.photos.get()
    for url in (reverse("home"), reverse("listings:case_list")):
        assert "Marion at the harbour, 2025" in client.get(url).content.decode()
    published_case.first_name = "Marianne"
    published_case.save()
    photo.caption = "Marianne on the wharf"
    photo.save()

    for url in (reverse("home"), reverse("listings:case_list")):
        page = client.get(url).content.decode()
        assert "Marianne Brookfield" in page and "Marianne on the wharf" in page, url
        assert "Marion" not in page, url
