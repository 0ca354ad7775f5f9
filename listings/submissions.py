"""Turning a member's submission into a pending case with its photos.

Files go to the media storage before the database transaction commits; if
anything fails, the rows roll back and the stored files are deleted, so a
failed submission leaves neither an orphan row nor an orphan object.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from .models import AuditAction, Case, Photo, ReviewState
from .moderation import record

logger = logging.getLogger(__name__)


class SubmissionFailed(Exception):
    """The submission could not be stored; nothing of it was kept."""


def delete_stored_files(names):
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored file %s", name)


def attach_photo(case, processed, *, caption="", is_primary=False, review_state=ReviewState.PENDING, stored):
    """Store one processed photo for `case`; the stored names are appended to `stored`."""
    photo = Photo(
        case=case,
        caption=caption,
        is_primary=is_primary,
        review_state=review_state,
        width=processed.width,
        height=processed.height,
    )
    photo.image.save("photo.jpg", processed.full, save=False)
    stored.append(photo.image.name)
    photo.thumbnail.save("thumbnail.jpg", processed.thumbnail, save=False)
    stored.append(photo.thumbnail.name)
    photo.save()
    return photo


def submit_case(*, by, fields, photos, staged=()):
    """Create a pending case from validated `fields` and processed `photos` [(ProcessedPhoto, caption)].

    `staged` photos (kept from an earlier try, see the staging app) come first; they are
    copied onto the case and their staged rows deleted in the same transaction.
    """
    stored = []
    try:
        with transaction.atomic():
            case = Case.objects.create(**fields, submitted_by=by, review_state=ReviewState.PENDING)
            kept = [(photo.as_processed(), "") for photo in staged]
            for index, (processed, caption) in enumerate(kept + list(photos)):
                attach_photo(case, processed, caption=caption, is_primary=index == 0, stored=stored)
            for photo in staged:
                photo.delete()
            record(case, action=AuditAction.SUBMITTED, by=by, field="review_state", to_value=ReviewState.PENDING)
    except Exception as error:
        logger.exception("Submission by user %s failed; removing %d stored files", getattr(by, "pk", None), len(stored))
        delete_stored_files(stored)
        raise SubmissionFailed from error
    return case
