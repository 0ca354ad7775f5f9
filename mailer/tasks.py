"""Tasks that send the queued e-mail, and the periodic upkeep of the delivery log."""

import logging
import smtplib
from datetime import timedelta

import boto3
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from project.health import waiting_tasks

from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

# What a mail server that is down, slow or refusing raises; anything else is a bug and fails loudly.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def retry_delay(retries):
    return min(settings.EMAIL_RETRY_DELAY * 2**retries, settings.EMAIL_RETRY_DELAY_MAX)


def send_once(delivery_id):
    """Send the delivery unless it was already sent; True when this call sent it.

    The row stays locked while the message goes out, so two workers holding the
    same task (a redelivery after a lost acknowledgement) cannot both send it.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status == DeliveryStatus.SENT:
            return False
        delivery.message().send()
        delivery.mark_sent()
    return True


@shared_task(bind=True, max_retries=None)
def deliver(self, delivery_id):
    try:
        return send_once(delivery_id)
    except MAIL_ERRORS as error:
        Delivery.objects.filter(pk=delivery_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:300]
        )
        if self.request.is_eager or self.request.retries >= settings.EMAIL_MAX_RETRIES:
            # No worker to retry later (no broker), or out of retries: an operator resends from the admin.
            Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED)
            logger.exception("Could not send delivery %s", delivery_id)
            return False
        logger.warning("Delivery %s failed (%s); retrying", delivery_id, error)
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error


@shared_task
def requeue_stalled():
    """Queue again the messages whose task never reached the broker."""
    stalled = list(Delivery.objects.stalled(older_than=timedelta(minutes=10)).values_list("pk", flat=True))
    for delivery_id in stalled:
        deliver.delay(delivery_id)
    return len(stalled)


@shared_task
def purge_delivery_log():
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_LOG_RETENTION_DAYS)
    deleted, _ = Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted


@shared_task
def publish_queue_metrics():
    """Send the task queue's health to CloudWatch (namespace LostInNL), where an alarm watches it.

    `QueuedEmailOldestAge` is how long the oldest e-mail not yet sent has waited: it grows when the
    worker, the broker or the mail server is down. Beat queues this task every minute and a worker
    runs it, so if no worker runs, no data arrives, which the alarm also treats as a failure.
    """
    if not settings.CLOUDWATCH_METRICS:
        return None
    oldest = Delivery.objects.filter(status=DeliveryStatus.QUEUED).order_by("created_at").first()
    age = (timezone.now() - oldest.created_at).total_seconds() if oldest else 0.0
    metrics = [
        {"MetricName": "QueuedEmailOldestAge", "Value": age, "Unit": "Seconds"},
        {"MetricName": "TaskQueueDepth", "Value": float(waiting_tasks()), "Unit": "Count"},
    ]
    client = boto3.client("cloudwatch", endpoint_url=settings.AWS_CLOUDWATCH_ENDPOINT_URL or None)
    client.put_metric_data(Namespace="LostInNL", MetricData=metrics)
    return {metric["MetricName"]: metric["Value"] for metric in metrics}
