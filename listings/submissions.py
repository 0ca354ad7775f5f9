"""Turning a member's submission into a pending case with its photos.

Files go to the media storage before the database transaction commits; if
anything fails, the rows roll back and the stored files are deleted, so a
failed submission leaves neither an orphan row nor an orphan object. Only a
failure of the media storage becomes `SubmissionFailed`; any other error is a
bug and propagates as one.
"""

import logging

from django.db import transaction

from . import moderation
from .media import STORAGE_ERRORS, stored_files_removed_on_error
from .models import AuditAction, Case, Photo, ReviewState
from .moderation import record

logger = logging.getLogger(__name__)


class SubmissionFailed(Exception):
    """The submission could not be stored; nothing of it was kept."""


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
    try:
        with stored_files_removed_on_error() as stored, transaction.atomic():
            case = Case.objects.create(**fields, submitted_by=by, review_state=ReviewState.PENDING)
            kept = [(photo.as_processed(), "") for photo in staged]
            for index, (processed, caption) in enumerate(kept + list(photos)):
                attach_photo(case, processed, caption=caption, is_primary=index == 0, stored=stored)
            for photo in staged:
                photo.delete()
            record(case, action=AuditAction.SUBMITTED, by=by, field="review_state", to_value=ReviewState.PENDING)
    except STORAGE_ERRORS as error:
        logger.exception("Submission by user %s failed: the media storage failed", getattr(by, "pk", None))
        raise SubmissionFailed from error
    return case


def correct_submission(case, *, by, fields, photos=(), staged=(), remove=()):
    """The submitter's corrections (`moderation.resubmit`), with photos removed and added, all or nothing.

    `remove` are photos of `case`; `photos` and `staged` are added as in `submit_case`.
    """
    try:
        with stored_files_removed_on_error() as stored, transaction.atomic():
            moderation.resubmit(case, by=by, fields=fields)
            for photo in remove:
                moderation.record_deletion(photo, by=by, note="Removed by the submitter.")
                photo.delete()
            kept = [(photo.as_processed(), "") for photo in staged]
            for processed, caption in kept + list(photos):
                photo = attach_photo(case, processed, caption=caption, stored=stored)
                record(case, action=AuditAction.RESUBMITTED, by=by, photo=photo, field="photo", to_value=photo.key)
            for photo in staged:
                photo.delete()
            first = case.photos.order_by("created_at", "id").first()
            if first is not None and not case.photos.filter(is_primary=True).exists():
                # The primary photo was removed: the oldest one left leads.
                first.is_primary = True
                first.save(update_fields=["is_primary"])
    except STORAGE_ERRORS as error:
        logger.exception("Correction by user %s failed: the media storage failed", getattr(by, "pk", None))
        raise SubmissionFailed from error
    return case
