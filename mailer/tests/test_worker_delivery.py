"""E-mail through a real Celery worker on the local Redis to a real SMTP server on loopback."""

import pytest
from celery.signals import task_retry
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from alerts.models import Subscription
from listings import moderation
from listings.tests.factories import CaseFactory
from mailer import outbox
from mailer.models import Delivery, DeliveryStatus
from mailer.tasks import deliver
from project.health import check_broker

from .conftest import REDIS_URL, free_port, wait_for, worker_idle

pytestmark = pytest.mark.django_db(transaction=True)

TIP = {"message": "I saw her near the ferry terminal.", "name": "", "email": "", "phone": ""}


@pytest.fixture(autouse=True)
def _managers(settings):
    settings.MANAGERS = [("Managers", "managers@example.org")]


@pytest.fixture
def free_broker_port():
    return free_port()


@pytest.fixture
def retries():
    seen = []

    def count(sender=None, reason=None, **kwargs):
        seen.append(str(reason))

    task_retry.connect(count, weak=False)
    yield seen
    task_retry.disconnect(count)


def test_a_tip_notice_is_sent_by_the_worker(client, celery_worker, smtp_settings):
    case = CaseFactory(published=True, police_file_number="RNC-WORKER-1")

    response = client.post(f"{case.get_absolute_url()}tip/", TIP)

    assert response.status_code == 302
    (message,) = wait_for(lambda: smtp_settings.received("RNC-WORKER-1"))
    assert message["To"] == "managers@example.org"
    assert "ferry terminal" not in message.get_payload()
    worker_idle()
    delivery = Delivery.objects.get(kind="tip_received")
    assert (delivery.status, delivery.attempts, delivery.body) == (DeliveryStatus.SENT, 1, "")


def test_a_tip_sent_during_a_mail_outage_is_delivered_when_the_server_is_back(
    client, celery_worker, smtp_settings, retries
):
    case = CaseFactory(published=True, police_file_number="RNC-OUTAGE-1")
    smtp_settings.stop()
    try:
        response = client.post(f"{case.get_absolute_url()}tip/", TIP)
        assert response.status_code == 302
        wait_for(lambda: len(retries) >= 2)
        assert "Connection refused" in retries[0]
        assert smtp_settings.received("RNC-OUTAGE-1") == []
    finally:
        smtp_settings.start()

    (message,) = wait_for(lambda: smtp_settings.received("RNC-OUTAGE-1"))
    assert message["To"] == "managers@example.org"
    worker_idle()
    delivery = Delivery.objects.get(kind="tip_received")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == len(retries) + 1


def test_a_task_delivered_twice_sends_the_message_once(celery_worker, smtp_settings):
    with transaction.atomic():
        first = outbox.queue(kind="test", to=["someone@example.org"], subject="Only once, please", body="Hello.")
        transaction.on_commit(lambda: deliver.delay(first.pk))
        transaction.on_commit(lambda: deliver.delay(first.pk))
        # The worker takes one task at a time, in order: once this one has gone, the repeats were handled.
        outbox.queue(kind="test", to=["someone@example.org"], subject="The one after", body="Hello.")

    wait_for(lambda: smtp_settings.received("The one after"))
    worker_idle()
    assert len(smtp_settings.received("Only once, please")) == 1
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.SENT


def test_healthcheck_reports_the_broker_and_the_waiting_tasks(celery_worker):
    check = check_broker()

    assert check.ok
    assert "waiting in" in check.detail and "redis://" in check.detail


def test_healthcheck_fails_when_the_broker_is_unreachable(celery_worker, free_broker_port):
    from project.celery import app

    app.conf.broker_url = f"redis://127.0.0.1:{free_broker_port}/0"
    try:
        check = check_broker()
    finally:
        app.conf.broker_url = REDIS_URL

    assert not check.ok
    assert f"127.0.0.1:{free_broker_port}" in check.detail


def test_a_region_alert_arrives_once_and_one_click_unsubscribes(celery_worker, smtp_settings, moderator):
    Subscription.objects.create(
        email="reader@example.org", scope="regions", regions=["labrador"], confirmed_at=timezone.now()
    )
    first = CaseFactory(region="labrador", submitted_by=None, first_name="Worker", last_name="Alerted")

    moderation.publish(first, by=moderator)

    (message,) = wait_for(lambda: smtp_settings.received("Worker Alerted"))
    assert message["To"] == "reader@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>").removeprefix(settings.SITE_URL)  # unfolded
    worker_idle()
    # What a mail client does for one click: a bare POST, no cookie, no CSRF token.
    assert Client(enforce_csrf_checks=True).post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()

    second = CaseFactory(region="labrador", submitted_by=None, first_name="Nobody", last_name="Told")
    moderation.publish(second, by=moderator)
    outbox.queue(kind="test", to=["someone@example.org"], subject="After the second publication", body="Hello.")
    wait_for(lambda: smtp_settings.received("After the second publication"))
    worker_idle()
    assert Delivery.objects.filter(kind="alert_new_case").count() == 1
    assert smtp_settings.received("Nobody Told") == []
