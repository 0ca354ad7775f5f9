"""Keeping a member's checked photos between two tries of the submission form."""

import logging

from django.db import transaction

from listings.media import delete_stored_files

from .models import StagedPhoto

logger = logging.getLogger(__name__)


class StagingFailed(Exception):
    """The photos could not be kept; nothing of them was stored."""


def stage_photos(*, owner, photos):
    """Store processed `photos` [(ProcessedPhoto, original name)] for `owner`; all of them or none."""
    stored = []
    try:
        with transaction.atomic():
            staged = []
            for processed, name in photos:
                photo = StagedPhoto(
                    owner=owner, width=processed.width, height=processed.height, original_name=name[:200]
                )
                photo.image.save("photo.jpg", processed.full, save=False)
                stored.append(photo.image.name)
                photo.thumbnail.save("thumbnail.jpg", processed.thumbnail, save=False)
                stored.append(photo.thumbnail.name)
                photo.save()
                staged.append(photo)
    except Exception as error:
        logger.exception("Staging photos for user %s failed; removing %d stored files", owner.pk, len(stored))
        delete_stored_files(stored)
        raise StagingFailed from error
    return staged
