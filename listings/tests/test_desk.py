"""The moderators' desk: counts on the admin home, the submitter panel, publish-and-next."""

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory
from listings.models import ReviewState, TipState
from listings.tests.factories import CaseFactory, ContactMessageFactory, PhotoFactory, TipFactory

pytestmark = pytest.mark.django_db


def test_admin_home_counts_the_waiting_work_with_links(moderator_client):
    CaseFactory.create_batch(2)
    PhotoFactory(case=CaseFactory(published=True), review_state=ReviewState.PENDING)
    TipFactory(), TipFactory(state=TipState.READ), TipFactory(state=TipState.CLOSED)
    ContactMessageFactory(), ContactMessageFactory(handled=True)

    response = moderator_client.get(reverse("admin:index"))

    items = {str(item.label): (item.count, item.url) for item in response.context["desk_items"]}
    assert items["Cases waiting for review"][0] == 2
    assert items["Photos waiting for review"][0] == 1
    assert items["Tips not yet forwarded or closed"][0] == 2
    assert items["Unread contact messages"][0] == 1
    assert "Cases to re-confirm with the police" in items
    for _count, url in items.values():
        assert f'href="{url}"' in response.text.replace("&amp;", "&")
        assert moderator_client.get(url).status_code == 200
    tips = moderator_client.get(items["Tips not yet forwarded or closed"][1])
    assert {tip.state for tip in tips.context["cl"].result_list} == {TipState.NEW, TipState.READ}


def test_a_staff_member_without_permissions_sees_no_counts(client):
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:index"))

    assert response.context["desk_items"] == []


def test_case_page_shows_the_submitter_as_text_and_their_other_submissions(moderator_client):
    member = UserFactory(first_name="Mary", last_name="Walsh", email="mary@example.org")
    case = CaseFactory(submitted_by=member)
    other = CaseFactory(submitted_by=member, first_name="Other")

    html = moderator_client.get(reverse("admin:listings_case_change", args=[case.pk])).text

    assert "Mary Walsh" in html and 'href="mailto:mary@example.org"' in html
    assert reverse("admin:accounts_user_change", args=[member.pk]) not in html
    assert reverse("admin:listings_case_change", args=[other.pk]) in html
    assert moderator_client.get(reverse("admin:accounts_user_change", args=[member.pk])).status_code == 403


def test_publish_and_go_to_the_next_pending_case(moderator_client):
    first, following = CaseFactory(), CaseFactory()
    url = reverse("admin:listings_case_moderate", args=[first.pk, "publish"])

    assert 'name="_next_pending"' in moderator_client.get(url).text
    response = moderator_client.post(url, {"post": "yes", "note": "", "_next_pending": "1"})

    first.refresh_from_db()
    assert first.review_state == ReviewState.PUBLISHED
    assert response["Location"] == reverse("admin:listings_case_change", args=[following.pk])


def test_the_last_pending_case_leads_back_to_the_list(moderator_client):
    case = CaseFactory()
    url = reverse("admin:listings_case_moderate", args=[case.pk, "reject"])

    response = moderator_client.post(url, {"post": "yes", "note": "", "reason": "", "_next_pending": "1"})

    assert response["Location"] == reverse("admin:listings_case_changelist")


def test_no_next_button_for_a_case_outside_the_queue(moderator_client):
    case = CaseFactory(published=True)

    page = moderator_client.get(reverse("admin:listings_case_moderate", args=[case.pk, "unpublish"]))

    assert 'name="_next_pending"' not in page.text
