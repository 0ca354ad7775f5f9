"""Keep the media storage in step with the database: a deleted photo takes its files with it."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .media import delete_stored_files
from .models import Photo


@receiver(post_delete, sender=Photo, dispatch_uid="listings.delete_photo_files")
def delete_photo_files(sender, instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored_files(names))
