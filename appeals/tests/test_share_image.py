"""The share image made for an open appeal, its share card and links, and who may never see it."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import StaffFactory
from appeals import share_image
from listings import moderation
from listings.tests.helpers import case_url

pytestmark = pytest.mark.django_db


def share_url(case):
    return reverse("appeals:share_image", kwargs={"slug": case.slug})


def fetch_image(client, case):
    response = client.get(share_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def stored_files(case):
    try:
        return sorted(default_storage.listdir(f"appeals/{case.slug}")[1])
    except FileNotFoundError:
        return []


def test_share_image_is_a_1200_by_630_jpeg_with_the_published_photo(client, appeal):
    image = fetch_image(client, appeal)

    assert (image.format, image.size) == ("JPEG", (1200, 630))
    # The factory's photo is a flat blue; the placeholder is grey.
    red, green, blue = image.convert("RGB").getpixel((200, 300))
    assert blue > red + 40


def test_share_image_without_a_photo_uses_the_placeholder(client, appeal):
    appeal.photos.all().delete()

    image = fetch_image(client, appeal)

    red, green, blue = image.convert("RGB").getpixel((20, 20))
    assert abs(red - blue) < 20


def test_unchanged_case_is_rendered_once(client, appeal, monkeypatch):
    renders = []
    real_render = share_image.render
    monkeypatch.setattr(share_image, "render", lambda case: renders.append(case.pk) or real_render(case))

    first = b"".join(client.get(share_url(appeal)).streaming_content)
    second = b"".join(client.get(share_url(appeal)).streaming_content)

    assert first == second
    assert renders == [appeal.pk]


def test_share_image_is_remade_when_what_it_shows_changes(client, appeal):
    fetch_image(client, appeal)
    before = stored_files(appeal)

    appeal.last_seen_place = "Signal Hill Road"
    appeal.save()
    fetch_image(client, appeal)

    after = stored_files(appeal)
    assert len(before) == len(after) == 1
    assert before != after


@pytest.mark.parametrize("state", ["pending", "rejected", "found", "withdrawn"])
def test_share_image_of_a_case_that_is_not_an_open_appeal_is_404_like_nothing(client, cases_not_appealing, state):
    case = cases_not_appealing[state]

    response = client.get(share_url(case))
    never = client.get(reverse("appeals:share_image", kwargs={"slug": "nobody-000000"}))
    assert response.status_code == never.status_code == 404
    assert response.content.replace(case.slug.encode(), b"?") == never.content.replace(b"nobody-000000", b"?")
    # Not for its submitter nor for staff either: a share image only ever shows an open appeal.
    for viewer in [logged_in(case.submitted_by), logged_in(StaffFactory())]:
        assert viewer.get(share_url(case)).status_code == 404
    assert stored_files(case) == []


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_finding_the_person_deletes_the_stored_image(client, appeal):
    fetch_image(client, appeal)
    assert stored_files(appeal)

    moderation.mark_found(appeal, by=StaffFactory())

    assert stored_files(appeal) == []


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match.group(1)


def test_case_page_carries_its_share_card(client, appeal):
    html = client.get(case_url(appeal)).content.decode()

    image = meta(html, "property", "og:image")
    assert image.startswith(f"https://lostinnl.example{share_url(appeal)}?v=")
    assert (meta(html, "property", "og:image:width"), meta(html, "property", "og:image:height")) == ("1200", "630")
    assert meta(html, "property", "og:url") == f"https://lostinnl.example{appeal.get_absolute_url()}"
    assert meta(html, "property", "og:title") == "Missing: Marion Brookfield"
    assert "Harbour Drive" in meta(html, "property", "og:description")
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:image") == image


@pytest.mark.parametrize("url_name", ["home", "listings:case_list"])
def test_home_and_listings_carry_the_sites_own_card(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert meta(html, "property", "og:image") == "https://lostinnl.example/static/img/share-card.png"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    with Image.open("static/img/share-card.png") as card:
        assert card.size == (1200, 630)


def test_found_case_page_has_no_share_card_of_its_own(client, cases_not_appealing):
    html = client.get(case_url(cases_not_appealing["found"])).content.decode()

    assert "share.jpg" not in html
    assert "poster.pdf" not in html


def test_case_page_share_links_and_copy_link_without_javascript(client, appeal):
    html = client.get(case_url(appeal)).content.decode()
    page = f"https%3A%2F%2Flostinnl.example{appeal.get_absolute_url().replace('/', '%2F')}"

    assert 'href="mailto:?subject=' in html
    assert f"https://www.facebook.com/sharer/sharer.php?u={page}" in html
    assert f"https://twitter.com/intent/tweet?url={page}" in html
    assert "https://wa.me/?text=" in html and page in html
    assert 'href="sms:?body=' in html
    # Without JavaScript the link is there to copy by hand; the button appears only with share.js.
    assert f'value="https://lostinnl.example{appeal.get_absolute_url()}" readonly' in html
    assert re.search(r"<button [^>]*data-copy-link=\"share-link\" hidden>", html)
    assert "js/share.js" in html
    assert reverse("appeals:poster", kwargs={"slug": appeal.slug}) in html


def test_publishing_prepares_share_image_and_posters_after_commit(settings, appeal, django_capture_on_commit_callbacks):
    # With a broker the task is queued; in tests (CELERY_TASK_ALWAYS_EAGER) it then runs at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    moderation.unpublish(appeal, by=StaffFactory())
    assert stored_files(appeal) == []

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(appeal, by=StaffFactory())

    # Share image, Letter and A4 posters, in English and French.
    names = stored_files(appeal)
    assert len(names) == 6
    assert {name.split("-")[0] for name in names} == {"share", "poster"}
