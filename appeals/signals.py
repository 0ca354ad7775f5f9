"""An open appeal's files are made in the background after each committed change; a case that stops
being one (found, withdrawn, unpublished, rejected, deleted) loses them at once."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from listings.models import Case

from .stored import discard_all
from .tasks import prepare


@receiver(post_save, sender=Case)
def prepare_or_discard(sender, instance, **kwargs):
    if not instance.is_appealing:
        # Not deferred: should the change roll back, the files are simply made again on the next request.
        discard_all(instance)
    elif settings.CELERY_BROKER_URL:
        # Without a broker the task would run inside this request; the first visitor's request makes them then.
        transaction.on_commit(lambda: prepare.delay(instance.pk))


@receiver(post_delete, sender=Case)
def discard_when_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: discard_all(instance))
