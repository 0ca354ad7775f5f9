"""Keeping a member's checked photos between two tries of the submission form."""

import logging

from django.db import transaction

from listings.media import STORAGE_ERRORS, stored_files_removed_on_error

from .models import StagedPhoto

logger = logging.getLogger(__name__)


class StagingFailed(Exception):
    """The photos could not be kept; nothing of them was stored."""


def stage_photos(*, owner, photos):
    """Store processed `photos` [(ProcessedPhoto, original name)] for `owner`; all of them or none.

    Only a failure of the media storage becomes `StagingFailed`; anything else is a bug.
    """
    try:
        with stored_files_removed_on_error() as stored, transaction.atomic():
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
    except STORAGE_ERRORS as error:
        logger.exception("Keeping photos for user %s failed: the media storage failed", owner.pk)
        raise StagingFailed from error
    return staged
