"""A case that stops being an open appeal (found, withdrawn, unpublished, rejected, deleted) loses its files."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from listings.models import Case

from .stored import discard_all


@receiver(post_save, sender=Case)
def discard_when_no_longer_appealing(sender, instance, **kwargs):
    if not instance.is_appealing:
        transaction.on_commit(lambda: discard_all(instance))


@receiver(post_delete, sender=Case)
def discard_when_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: discard_all(instance))
