"""Who is told what: region alerts on a case's first publication, followers on found, update and withdrawal."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import CaseUpdate, Subscription
from alerts.moderation import post_update
from alerts.tasks import send_daily_digests
from listings import moderation
from listings.models import AuditAction
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def subscriber(email, *, regions=(), frequency="immediate", case=None, confirmed=True, language="en"):
    return Subscription.objects.create(
        email=email,
        scope=f"case:{case.pk}" if case else "regions",
        case=case,
        regions=list(regions),
        frequency=frequency,
        language=language,
        confirmed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a moderation step and everything it queues once its transaction commits (tasks run eagerly)."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_first_publication_alerts_matching_confirmed_subscribers_once(moderator, committed):
    subscriber("labrador@example.org", regions=["labrador"])
    subscriber("province@example.org")
    subscriber("avalon@example.org", regions=["avalon"])
    subscriber("pending@example.org", regions=["labrador"], confirmed=False)
    subscriber("daily@example.org", regions=["labrador"], frequency="daily")
    case = CaseFactory(region="labrador", submitted_by=None, first_name="Ada", last_name="Example")

    committed(moderation.publish, case, by=moderator)

    assert sorted(message.to[0] for message in mail.outbox) == ["labrador@example.org", "province@example.org"]
    (message,) = sent_to("labrador@example.org")
    assert "Ada Example" in message.subject
    assert case.get_absolute_url() in message.body
    unsubscribe = Subscription.objects.get(email="labrador@example.org").unsubscribe_url()
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body

    mail.outbox.clear()
    committed(moderation.unpublish, case, by=moderator)
    committed(moderation.publish, case, by=moderator)
    case.first_name = "Edited"
    case.save()
    assert mail.outbox == []


def test_demo_cases_alert_nobody(moderator, committed):
    subscriber("province@example.org")
    case = CaseFactory(is_demo=True, submitted_by=None)

    committed(moderation.publish, case, by=moderator)

    assert mail.outbox == []


def test_no_alert_after_unsubscribing(moderator, committed, client):
    subscription = subscriber("gone@example.org")
    client.post(subscription.unsubscribe_url().removeprefix("http://127.0.0.1:8000"))

    committed(moderation.publish, CaseFactory(submitted_by=None), by=moderator)

    assert mail.outbox == []


def test_followers_learn_the_case_was_found_without_details_and_are_asked_to_take_shares_down(moderator, committed):
    case = CaseFactory(published=True, circumstances="Left home after an argument.")
    subscriber("follower@example.org", case=case)
    subscriber("unconfirmed@example.org", case=case, confirmed=False)
    subscriber("other@example.org", case=CaseFactory(published=True))

    committed(moderation.mark_found, case, by=moderator)

    (message,) = mail.outbox
    assert message.to == ["follower@example.org"]
    assert "has been found" in message.subject
    assert "take down" in message.body
    assert "argument" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_followers_are_told_when_the_case_is_taken_down(moderator, committed):
    case = CaseFactory(published=True)
    subscriber("follower@example.org", case=case)

    committed(moderation.take_down, case, by=moderator)

    (message,) = mail.outbox
    assert "ended" in message.subject and "take down" in message.body


def test_a_public_update_is_audited_shown_on_the_case_page_and_mailed_to_followers(moderator, committed, client):
    case = CaseFactory(published=True)
    subscriber("follower@example.org", case=case, language="fr")

    update = committed(post_update, case, by=moderator, text="Searchers found her backpack near Gander.")

    assert case.audit_entries.filter(action=AuditAction.UPDATE_POSTED, actor=moderator).exists()
    assert "backpack near Gander" in client.get(case.get_absolute_url()).content.decode()
    (message,) = mail.outbox
    assert "backpack near Gander" in message.body
    assert "/fr/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert update.posted_by == moderator


def test_updates_are_only_posted_on_published_cases(moderator):
    with pytest.raises(ValidationError) as refused:
        post_update(CaseFactory(), by=moderator, text="Anything")

    assert refused.value.code == "invalid_transition"
    assert CaseUpdate.objects.count() == 0


def test_daily_digest_lists_the_new_cases_once(moderator, committed):
    subscription = subscriber("daily@example.org", regions=["western"], frequency="daily")
    Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=timezone.now() - timezone.timedelta(hours=2))
    western = CaseFactory(region="western", submitted_by=None, first_name="Wes")
    committed(moderation.publish, western, by=moderator)
    committed(moderation.publish, CaseFactory(region="avalon", submitted_by=None, first_name="Ava"), by=moderator)

    with_news = committed(send_daily_digests)
    without_news = committed(send_daily_digests)

    assert (with_news, without_news) == (1, 0)
    (message,) = sent_to("daily@example.org")
    assert "Wes" in message.body and "Ava" not in message.body


def test_the_case_page_links_to_following_it(client):
    case = CaseFactory(published=True)

    page = client.get(case.get_absolute_url()).content.decode()

    assert reverse("alerts:follow", kwargs={"slug": case.slug}) in page


def test_admin_lists_subscriptions_by_region_and_posts_updates(admin_client, committed):
    case = CaseFactory(published=True)
    subscriber("lab@example.org", regions=["labrador"])
    subscriber("ava@example.org", regions=["avalon"])
    subscriber("follower@example.org", case=case)

    by_region = admin_client.get(reverse("admin:alerts_subscription_changelist"), {"region": "labrador"})
    response = committed(
        admin_client.post, reverse("admin:alerts_caseupdate_add"), {"case": case.pk, "text": "Police thank the public."}
    )

    page = by_region.content.decode()
    assert "lab@example.org" in page and "ava@example.org" not in page
    assert response.status_code == 302
    assert CaseUpdate.objects.get().text == "Police thank the public."
    (message,) = mail.outbox
    assert message.to == ["follower@example.org"]
