"""Asking for alerts: double opt-in, the same answer for every address, limits, signed links, unsubscribing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from alerts.tasks import purge_unconfirmed
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(http://\S+/alerts/\w+/\S+/)")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a visitor; the e-mail it queues goes out when the request's transaction commits."""

    def send(url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **kwargs)

    return send


def links(message):
    return {url.split("/alerts/")[1].split("/")[0]: url for url in LINK.findall(message.body)}


def ask_for_regions(post, email="reader@example.org", regions=("labrador",), frequency="immediate"):
    return post(reverse("alerts:regions"), {"email": email, "regions": list(regions), "frequency": frequency})


def test_region_alert_is_pending_until_the_signed_link_is_confirmed(post, client):
    response = ask_for_regions(post)

    assert response.status_code == 302 and response["Location"] == reverse("alerts:requested")
    subscription = Subscription.objects.get()
    assert (subscription.regions, subscription.is_confirmed) == (["labrador"], False)
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    confirm = links(message)["confirm"]

    page = client.get(confirm)
    assert page.status_code == 200 and not Subscription.objects.get().is_confirmed  # a mail scanner's GET
    response = client.post(confirm)

    assert response.status_code == 302
    assert Subscription.objects.get().is_confirmed


def test_following_a_case_needs_a_published_case(post):
    pending = CaseFactory()

    assert post(reverse("alerts:follow", kwargs={"slug": pending.slug}), {"email": "a@example.org"}).status_code == 404
    assert Subscription.objects.count() == 0


def test_the_answer_is_the_same_for_a_new_a_pending_and_a_confirmed_address(post, settings):
    settings.ALERTS_CONFIRMATION_INTERVAL = 0
    case = CaseFactory(published=True)
    url = reverse("alerts:follow", kwargs={"slug": case.slug})

    new = post(url, {"email": "same@example.org"})
    pending = post(url, {"email": "same@example.org"})
    Subscription.objects.update(confirmed_at=timezone.now())
    confirmed = post(url, {"email": "SAME@example.org"})

    assert new.status_code == pending.status_code == confirmed.status_code == 302
    assert new["Location"] == pending["Location"] == confirmed["Location"]
    assert Subscription.objects.count() == 1
    # The confirmed address is reminded of its own links; it is never asked to confirm again.
    assert "confirm" not in links(mail.outbox[-1]) and "manage" in links(mail.outbox[-1])


def test_at_most_one_confirmation_request_an_hour(post):
    for _ in range(3):
        ask_for_regions(post)

    assert len(mail.outbox) == 1
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    ask_for_regions(post)
    assert len(mail.outbox) == 2


def test_following_many_cases_still_sends_one_confirmation_an_hour_to_an_address(post):
    for case in CaseFactory.create_batch(3, published=True):
        post(reverse("alerts:follow", kwargs={"slug": case.slug}), {"email": "victim@example.org"})

    assert Subscription.objects.count() == 3
    assert len(mail.outbox) == 1


def test_a_pending_request_cannot_change_a_confirmed_subscription(post, settings):
    settings.ALERTS_CONFIRMATION_INTERVAL = 0
    ask_for_regions(post, regions=["labrador"])
    Subscription.objects.update(confirmed_at=timezone.now())

    ask_for_regions(post, regions=["avalon"], frequency="daily")

    assert (Subscription.objects.get().regions, Subscription.objects.get().frequency) == (["labrador"], "immediate")


def test_honeypot_and_bad_address_store_nothing(post):
    filled = post(reverse("alerts:regions"), {"email": "bot@example.org", "frequency": "daily", "website": "x"})
    bad = post(reverse("alerts:regions"), {"email": "not an address", "frequency": "daily"})

    assert filled.status_code == bad.status_code == 200
    assert Subscription.objects.count() == 0 and mail.outbox == []


def test_subscription_forms_are_rate_limited(post, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "alerts:regions": "2/h"}
    for _ in range(2):
        assert ask_for_regions(post).status_code == 302

    assert ask_for_regions(post).status_code == 429


def test_manage_page_changes_regions_and_frequency(post, client):
    ask_for_regions(post)
    manage = links(mail.outbox[0])["manage"]

    response = client.post(manage, {"regions": ["avalon", "western"], "frequency": "daily"})

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.regions, subscription.frequency) == (["avalon", "western"], "daily")


def test_forged_links_are_404(client):
    subscription = Subscription.objects.create(email="x@example.org", scope="regions")
    forged = f"{subscription.token}:not-the-signature"

    for name in ("confirm", "manage"):
        assert client.get(reverse(f"alerts:{name}", kwargs={"token": forged})).status_code == 404
    assert Client().post(reverse("alerts:unsubscribe", kwargs={"token": forged})).status_code == 404
    assert Subscription.objects.count() == 1


def test_one_click_unsubscribe_needs_no_session_or_csrf_deletes_the_address_and_can_be_repeated():
    subscription = Subscription.objects.create(email="x@example.org", scope="regions", confirmed_at=timezone.now())
    url = reverse("alerts:unsubscribe", kwargs={"token": subscription.signed_token()})
    mail_client = Client(enforce_csrf_checks=True)

    first = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    again = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert first.status_code == again.status_code == 200
    assert not Subscription.objects.filter(email="x@example.org").exists()


def test_unconfirmed_addresses_are_purged_after_seven_days():
    old = Subscription.objects.create(email="old@example.org", scope="regions")
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = Subscription.objects.create(email="fresh@example.org", scope="regions")
    confirmed = Subscription.objects.create(email="c@example.org", scope="regions", confirmed_at=timezone.now())
    Subscription.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - timedelta(days=30))

    assert purge_unconfirmed.delay().get() == 1

    assert set(Subscription.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_members_see_and_manage_their_own_alerts_only(member_client, member):
    mine = Subscription.objects.create(email=member.email.upper(), scope="regions")
    Subscription.objects.create(email="someone-else@example.org", scope="regions")

    page = member_client.get(reverse("alerts:mine")).content.decode()

    assert reverse("alerts:manage", kwargs={"token": mine.signed_token()}) in page
    assert "someone-else" not in page


def test_confirmation_e_mail_is_in_the_language_of_the_page(post):
    case = CaseFactory(published=True)

    post(f"/fr{reverse('alerts:follow', kwargs={'slug': case.slug})}", {"email": "lecteur@example.org"})

    assert Subscription.objects.get().language == "fr"
    (message,) = mail.outbox
    assert "/fr/alerts/confirm/" in message.body
