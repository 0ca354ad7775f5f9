"""The anonymous page cache: what it serves, to whom, and how every public change empties it."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from listings import moderation
from listings.models import ReviewState, Tip
from listings.tests.factories import CaseFactory, PhotoFactory, ResourceFactory
from pagecache.pages import HEADER
from pages.models import Page

pytestmark = pytest.mark.django_db

NAME = "Wilhelmina Zzyzxcove"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def case():
    case = CaseFactory(published=True, first_name="Wilhelmina", last_name="Zzyzxcove")
    PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)
    return case


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True)


def public_urls(case):
    """Every cached page, each with what shows the case there."""
    return {
        reverse("home"): NAME,
        reverse("listings:case_list"): NAME,
        reverse("listings:case_list") + "?q=zzyzxcove": NAME,
        reverse("listings:case_list") + "?region=avalon&page=1": NAME,
        case.get_absolute_url(): NAME,
        reverse("listings:feed"): NAME,
        reverse("listings:sitemap"): case.get_absolute_url(),
    }


def warm(client, urls):
    for url, shown in urls.items():
        assert shown in client.get(url).content.decode(), url
        response = client.get(url)
        assert response[HEADER] == "hit", url


def test_anonymous_pages_are_stored_once_and_then_served_without_a_query(client, case, django_assert_num_queries):
    urls = {**public_urls(case), reverse("listings:resources"): "Resources"}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200 and first[HEADER] == "miss", url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second[HEADER] == "hit" and second.content == first.content, url
        assert "Cookie" in second["Vary"]


def test_unpublished_case_is_gone_from_every_cached_page_at_once(
    client, case, staff, django_capture_on_commit_callbacks
):
    urls = public_urls(case)
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.unpublish(case, by=staff)

    for url, shown in urls.items():
        response = client.get(url)
        assert shown not in response.content.decode(), url
    assert client.get(case.get_absolute_url()).status_code == 404


def _edit(case, staff):
    case.last_seen_place = "Signal Hill"
    case.save()


def _reject_photo(case, staff):
    moderation.reject_photo(case.photos.get(), by=staff)


def _delete_photo(case, staff):
    case.photos.get().delete()


def _new_photo(case, staff):
    PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)


@pytest.mark.parametrize(
    "change",
    [
        lambda case, staff: moderation.reject(case, by=staff, email_submitter=False),
        lambda case, staff: moderation.mark_found(case, by=staff),
        _edit,
        _reject_photo,
        _delete_photo,
        _new_photo,
        lambda case, staff: CaseFactory(published=True),
        lambda case, staff: case.delete(),
    ],
    ids=["reject", "found", "edit", "photo-rejected", "photo-deleted", "photo-added", "new-case", "case-deleted"],
)
def test_every_public_change_empties_the_cache(client, case, staff, change, django_capture_on_commit_callbacks):
    home = reverse("home")
    warm(client, {home: NAME})

    with django_capture_on_commit_callbacks(execute=True):
        change(case, staff)

    assert client.get(home)[HEADER] == "miss"


def test_a_resource_edit_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    resource = ResourceFactory(title="Kettle Harbour Helpline")
    url = reverse("listings:resources")
    warm(client, {url: "Kettle Harbour Helpline"})

    with django_capture_on_commit_callbacks(execute=True):
        resource.title = "Kettle Harbour Support Line"
        resource.save()

    assert "Kettle Harbour Support Line" in client.get(url).content.decode()


@pytest.mark.parametrize("slug", ["about", "privacy"])
def test_an_edit_of_a_trust_page_shows_on_the_next_request(client, slug, django_capture_on_commit_callbacks):
    page, _created = Page.objects.update_or_create(slug=slug, defaults={"title": "Who we are", "body": "Volunteers."})
    url = reverse(f"pages:{slug}")
    warm(client, {url: "Volunteers."})

    with django_capture_on_commit_callbacks(execute=True):
        page.body = "Volunteers in Gander and St. John's."
        page.save()

    assert "Volunteers in Gander and St. John&#x27;s." in client.get(url).content.decode()


def test_a_stored_page_keeps_every_security_header_and_gets_its_own_request_id(client, case):
    url = case.get_absolute_url()
    miss = client.get(url)
    hit = client.get(url)

    assert (miss[HEADER], hit[HEADER]) == ("miss", "hit")
    assert hit.content == miss.content
    for header in (
        "X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
        "Permissions-Policy", "Content-Language", "Vary", "Content-Type",
    ):  # fmt: skip
        assert hit[header] == miss[header], header
    assert hit["X-Request-ID"] and hit["X-Request-ID"] != miss["X-Request-ID"]


def test_a_browser_that_accepts_gzip_gets_the_stored_page_compressed_and_others_get_it_plain(client, case):
    url = case.get_absolute_url()
    plain = client.get(url)

    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    again = client.get(url)

    assert compressed[HEADER] == "hit" and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content) / 2
    assert again[HEADER] == "hit" and "Content-Encoding" not in again and again.content == plain.content
    assert int(again["Content-Length"]) == len(plain.content)
    for response in (plain, compressed, again):
        assert "Accept-Encoding" in response["Vary"]


def test_the_compressed_page_is_gone_with_the_case_too(client, case, staff, django_capture_on_commit_callbacks):
    url, gzipped = case.get_absolute_url(), {"Accept-Encoding": "gzip"}
    client.get(url)
    assert NAME in gzip.decompress(client.get(url, headers=gzipped).content).decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.unpublish(case, by=staff, note="Family asked")

    gone = client.get(url, headers=gzipped)
    assert gone.status_code == 404 and "Content-Encoding" not in gone
    assert NAME not in gone.content.decode()


def test_each_language_is_stored_and_answered_apart(client, case):
    english, french = reverse("home"), "/fr/"
    client.get(english)

    miss = client.get(french, headers={"Accept-Language": "fr"})
    hit = client.get(french)
    # The address names the language: "/" is English whatever the browser prefers.
    english_hit = client.get(english, headers={"Accept-Language": "fr"})

    assert (miss[HEADER], hit[HEADER], english_hit[HEADER]) == ("miss", "hit", "hit")
    assert hit["Content-Language"] == "fr" and 'lang="fr' in hit.content.decode()
    assert english_hit["Content-Language"] == "en" and 'lang="en' in english_hit.content.decode()


def test_a_tip_leaves_the_cached_pages_alone(client, case, django_capture_on_commit_callbacks):
    warm(client, {reverse("home"): NAME})

    with django_capture_on_commit_callbacks(execute=True):
        Tip.objects.create(case=case, message="Seen at the harbour on Sunday.")

    assert client.get(reverse("home"))[HEADER] == "hit"


def test_signed_in_header_and_csrf_token_never_reach_a_visitor(case, staff):
    member = Client()
    member.force_login(staff)
    for url in public_urls(case):
        response = member.get(url)
        assert HEADER not in response, url

    visitor = Client()
    for url in public_urls(case):
        visitor.get(url)
        html = visitor.get(url).content.decode()
        assert "Log out" not in html and "csrfmiddlewaretoken" not in html, url
        assert staff.username not in html, url


def test_thank_you_message_is_shown_once_and_never_cached(client, case):
    url = case.get_absolute_url()
    warm(client, {url: NAME})

    thanked = client.post(
        reverse("listings:case_tip", kwargs={"slug": case.slug}), {"message": "Seen at the harbour on Sunday."}
    )
    after = client.get(thanked["Location"])

    assert "Your information was sent privately" in after.content.decode()
    assert HEADER not in after  # a visitor with a message cookie gets a fresh page
    assert "Your information was sent privately" not in Client().get(url).content.decode()


def test_tip_page_is_never_cached(client, case):
    url = reverse("listings:case_tip", kwargs={"slug": case.slug})

    first, second = client.get(url), client.get(url)

    assert HEADER not in first and HEADER not in second
    assert "csrfmiddlewaretoken" in second.content.decode()


def test_listing_fragments_and_full_pages_are_stored_apart(client, case):
    url = reverse("listings:case_list")
    full = client.get(url).content
    fragment = client.get(url, headers={"X-Requested-With": "fetch"})

    assert fragment[HEADER] == "miss" and fragment.content != full
    assert client.get(url, headers={"X-Requested-With": "fetch"}).content == fragment.content


def test_page_cache_off_serves_every_page_fresh(client, case, settings):
    settings.PAGE_CACHE_SECONDS = 0

    client.get(reverse("home"))

    assert HEADER not in client.get(reverse("home"))


def test_a_rejected_photo_leaves_every_card_and_page(client, case, staff, django_capture_on_commit_callbacks):
    photo = case.photos.get()
    urls = {reverse("home"): photo.get_thumbnail_url(), reverse("listings:case_list"): photo.get_thumbnail_url()}
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject_photo(photo, by=staff)

    for url, thumbnail in urls.items():
        assert thumbnail not in client.get(url).content.decode(), url
