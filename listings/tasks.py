"""Periodic jobs of the listings app, run by Celery beat."""

from celery import shared_task
from django.utils import timezone

from . import notifications


@shared_task
def send_moderation_digest():
    return notifications.moderation_digest(now=timezone.localtime())
