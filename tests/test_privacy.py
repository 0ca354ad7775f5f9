"""The privacy rule seen from outside: nothing unpublished, and no tip, ever reaches a public page."""

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory
from listings.tests.factories import CaseFactory, PhotoFactory, TipFactory
from listings.tests.helpers import case_url, tip_url

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [{}, {"rejected": True}]  # pending (the factory default) and rejected


@pytest.fixture(params=HIDDEN_STATES, ids=["pending", "rejected"])
def hidden_case(request):
    case = CaseFactory(first_name="Hiddenname", last_name="Unpublished", last_seen_place="Secretcove", **request.param)
    PhotoFactory(case=case)
    return case


def test_hidden_case_page_is_404_for_visitors(client, hidden_case):
    assert client.get(case_url(hidden_case)).status_code == 404


def test_hidden_case_page_is_404_for_other_members(client, hidden_case):
    client.force_login(UserFactory())

    assert client.get(case_url(hidden_case)).status_code == 404


def test_hidden_case_page_looks_like_any_unknown_slug(client, hidden_case):
    hidden = client.get(case_url(hidden_case))
    unknown = client.get(reverse("listings:case_detail", kwargs={"slug": "nobody-000000"}))

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content.replace(hidden_case.slug.encode(), b"") == unknown.content.replace(b"nobody-000000", b"")
    assert b"Hiddenname" not in hidden.content


def test_hidden_case_page_is_shown_to_its_submitter_with_a_banner(client, hidden_case):
    client.force_login(hidden_case.submitted_by)

    response = client.get(case_url(hidden_case))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Only you and the moderators can see this page" in html
    banner = "A moderator did not publish this case" if hidden_case.is_rejected else "This case is not public yet"
    assert banner in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Share information" not in html  # no tips or sharing before publication


def test_hidden_case_page_is_shown_to_moderators(client, hidden_case):
    client.force_login(StaffFactory())

    response = client.get(case_url(hidden_case))

    assert response.status_code == 200
    assert str(hidden_case.photos.get().key) in response.content.decode()


def test_pending_case_never_appears_in_public_lists(client):
    hidden = CaseFactory(first_name="Hiddenname", last_seen_place="Secretcove")
    visible = CaseFactory(published=True, first_name="Visible")
    member = UserFactory()
    urls = [
        reverse("home"),
        reverse("listings:case_list"),
        reverse("listings:case_list") + "?q=Hiddenname",
        reverse("listings:case_list") + "?q=Secretcove",
        reverse("listings:case_list") + "?region=avalon&case_status=missing",
        reverse("listings:feed"),
        reverse("listings:sitemap"),
    ]

    for viewer in [None, member, hidden.submitted_by]:
        if viewer is not None:
            client.force_login(viewer)
        for url in urls:
            html = client.get(url).content.decode()
            assert "Hiddenname Unpublished" not in html, url
            assert hidden.slug not in html, url
            assert visible.slug in html or "?q=" in url, url


def test_live_search_never_returns_pending_case(client):
    CaseFactory(first_name="Hiddenname")

    response = client.get(reverse("listings:case_list"), {"q": "Hiddenname"}, headers={"X-Requested-With": "fetch"})

    assert "Hiddenname" not in response.content.decode()
    assert "0 cases found" in response.content.decode()


@pytest.mark.parametrize("size", ["full", "thumb"])
def test_hidden_photo_url_is_404_for_visitors_and_other_members(client, hidden_case, size):
    url = reverse("listings:photo", kwargs={"key": hidden_case.photos.get().key, "size": size})

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", ["full", "thumb"])
def test_hidden_photo_url_is_served_to_submitter_and_staff_without_caching(client, hidden_case, size):
    url = reverse("listings:photo", kwargs={"key": hidden_case.photos.get().key, "size": size})

    for viewer in [hidden_case.submitted_by, StaffFactory()]:
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pending_photo_of_a_published_case_stays_hidden(client):
    case = CaseFactory(published=True)
    published = PhotoFactory(case=case)
    pending = PhotoFactory(case=case, review_state="pending")

    html = client.get(case_url(case)).content.decode()

    assert str(published.key) in html
    assert str(pending.key) not in html
    assert client.get(reverse("listings:photo", kwargs={"key": pending.key, "size": "thumb"})).status_code == 404
    assert str(pending.key) not in client.get(reverse("listings:case_list")).content.decode()


def test_tips_are_never_shown_on_public_pages(client):
    tip = TipFactory(
        message="Secret sighting near the ferry terminal", name="Tipster Name", email="tipster@example.org"
    )
    case = tip.case
    client.force_login(case.submitted_by)  # even the case's own submitter never sees tips

    for url in [reverse("home"), reverse("listings:case_list"), case_url(case), reverse("listings:feed")]:
        html = client.get(url).content.decode()
        assert "Secret sighting" not in html and "Tipster Name" not in html and "tipster@example.org" not in html


def test_tip_about_a_hidden_case_is_404(client, hidden_case):
    response = client.post(tip_url(hidden_case), {"message": "I saw this person on the bus yesterday."})

    assert response.status_code == 404
    assert not hidden_case.tips.exists()


def test_submitter_details_never_shown_on_case_page(client):
    case = CaseFactory(published=True)
    html = client.get(case_url(case)).content.decode()

    assert case.submitted_by.username not in html and case.submitted_by.email not in html
