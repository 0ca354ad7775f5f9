"""A deleted staged photo takes its stored files with it, once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from listings.media import delete_stored_files

from .models import StagedPhoto


@receiver(post_delete, sender=StagedPhoto, dispatch_uid="staging.delete_staged_files")
def delete_staged_files(sender, instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored_files(names))
