"""Publish the task queue's depth and its oldest task's age to CloudWatch (run every minute on the worker)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fleet.queue import queue_state

NAMESPACE = "LostInNL"


class Command(BaseCommand):
    help = "Send QueueDepth and QueueOldestAgeSeconds for the Celery queue to CloudWatch."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the figures, send nothing")

    def handle(self, *args, dry_run, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("CELERY_BROKER_URL is not set: tasks run in the web process, there is no queue")
        try:
            depth, age = queue_state()
        except Exception as error:  # any broker failure is one line for the operator, and an alarm by silence
            raise CommandError(f"cannot read the queue: {error}") from None
        self.stdout.write(f"QueueDepth={depth} QueueOldestAgeSeconds={age:.0f}")
        if dry_run:
            return
        import boto3

        boto3.client("cloudwatch").put_metric_data(
            Namespace=NAMESPACE,
            MetricData=[
                {"MetricName": "QueueDepth", "Value": depth, "Unit": "Count"},
                {"MetricName": "QueueOldestAgeSeconds", "Value": age, "Unit": "Seconds"},
            ],
        )
