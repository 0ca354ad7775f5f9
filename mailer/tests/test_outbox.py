"""Queuing e-mail: one delivery row per message, sent after commit, at most once."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mailer import outbox
from mailer.models import Delivery, DeliveryStatus
from mailer.tasks import deliver, publish_queue_metrics, purge_delivery_log, requeue_stalled, send_once

pytestmark = pytest.mark.django_db


def queue(**kwargs):
    return outbox.queue(**{"kind": "test", "to": ["reader@example.org"], "subject": "Hello", "body": "Text", **kwargs})


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        delivery = queue(headers={"List-Id": "test.lostinnl.ca"})
    assert mail.outbox == []
    assert delivery.status == DeliveryStatus.QUEUED

    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert (message.to, message.subject, message.body, message.extra_headers) == (
        ["reader@example.org"],
        "Hello",
        "Text",
        {"List-Id": "test.lostinnl.ca"},
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.body) == (DeliveryStatus.SENT, 1, "")


def test_the_same_key_queues_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(key="case_found:1:follower:7")
        again = queue(key="case_found:1:follower:7")

    assert first is not None and again is None
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_sent_delivery_is_never_sent_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = queue()

    assert send_once(delivery.pk) is False
    deliver.delay(delivery.pk)
    assert len(mail.outbox) == 1


def test_a_multi_line_subject_is_one_line():
    assert queue(subject="Hello\nBcc: someone@example.org").subject == "Hello Bcc: someone@example.org"


def test_stalled_deliveries_are_queued_again_and_sent():
    delivery = queue()
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    recent = queue(subject="Just queued")

    assert requeue_stalled.delay().get() == 1

    assert [message.subject for message in mail.outbox] == ["Hello"]
    assert Delivery.objects.get(pk=recent.pk).status == DeliveryStatus.QUEUED


def test_old_sent_deliveries_leave_the_log(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_LOG_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        old, recent = queue(), queue()
    failed = queue()
    Delivery.objects.filter(pk__in=[old.pk, failed.pk]).update(
        sent_at=timezone.now() - timedelta(days=31), status=DeliveryStatus.FAILED
    )
    Delivery.objects.filter(pk=old.pk).update(status=DeliveryStatus.SENT)

    assert purge_delivery_log.delay().get() == 1

    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}


def test_admin_lists_the_log_without_bodies_and_sends_failed_messages_again(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    failed = queue(subject="Tip notice", body="Secret reset link")
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=3, last_error="refused")
    changelist = reverse("admin:mailer_delivery_changelist")

    page = client.get(changelist).content.decode()
    detail = client.get(reverse("admin:mailer_delivery_change", args=[failed.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", ACTION_CHECKBOX_NAME: [failed.pk]})

    assert "Tip notice" in page and "reader@example.org" in page
    assert "refused" in detail and "Secret reset link" not in detail
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.body == "Secret reset link"
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.SENT


def test_queue_metrics_reach_cloudwatch(settings, aws_env):
    import boto3

    settings.CLOUDWATCH_METRICS = True
    settings.AWS_CLOUDWATCH_ENDPOINT_URL = aws_env
    waiting = queue(subject="Still waiting")
    Delivery.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=20))

    published = publish_queue_metrics.delay().get()

    assert published["QueuedEmailOldestAge"] >= 1200 and published["TaskQueueDepth"] == 0
    cloudwatch = boto3.client("cloudwatch", endpoint_url=aws_env)
    names = {metric["MetricName"] for metric in cloudwatch.list_metrics(Namespace="LostInNL")["Metrics"]}
    assert {"QueuedEmailOldestAge", "TaskQueueDepth"} <= names


def test_queue_metrics_are_off_unless_asked_for(settings):
    settings.CLOUDWATCH_METRICS = False

    assert publish_queue_metrics.delay().get() is None
