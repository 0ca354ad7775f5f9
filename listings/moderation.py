"""Every change of a case's or photo's review state or case status, with its audit row.

Admin actions, management commands and tests call these functions; nothing
else changes `review_state` or `case_status`. Each function changes the state
and writes the audit row in one transaction, so neither exists without the other.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import notifications
from .models import AuditAction, AuditEntry, Case, CaseStatus, Photo, ReviewState


def record(case, *, action, by=None, field="", from_value="", to_value="", note="", photo=None):
    return AuditEntry.objects.create(
        case=case,
        case_label=str(case)[:200],
        photo=photo,
        actor=by,
        action=action,
        field=field,
        from_value=str(from_value),
        to_value=str(to_value),
        note=note,
    )


def record_deletion(obj, *, by=None, note=""):
    """The audit row for a case or photo about to be deleted; call it in the deleting transaction."""
    if isinstance(obj, Photo):
        return record(
            obj.case, action=AuditAction.DELETED, by=by, photo=obj, field="photo", from_value=obj.key, note=note
        )
    return record(obj, action=AuditAction.DELETED, by=by, note=note)


def _locked(case):
    return Case.objects.select_for_update().get(pk=case.pk)


def _set_review_state(case, new_state, *, by, note, action, allowed_from, notify=False):
    with transaction.atomic():
        locked = _locked(case)
        old_state = locked.review_state
        if old_state not in allowed_from:
            raise ValidationError(
                "A %(state)s case cannot be %(action)s.",
                code="invalid_transition",
                params={"state": locked.get_review_state_display().lower(), "action": action.label.lower()},
            )
        now = timezone.now()
        locked.review_state = new_state
        locked.reviewed_by = by
        locked.reviewed_at = now
        if new_state == ReviewState.PUBLISHED and locked.published_at is None:
            locked.published_at = now
        locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "published_at", "updated_at"])
        entry = record(
            locked, action=action, by=by, field="review_state", from_value=old_state, to_value=new_state, note=note
        )
        _settle_pending_photos(locked, new_state, by=by)
        if notify:
            notifications.review_decided(locked, key=f"review_decided:{entry.pk}")
    _refresh(case, locked)
    return case


def _settle_pending_photos(case, new_state, *, by):
    """A case's review covers the photos that came with it."""
    if new_state not in (ReviewState.PUBLISHED, ReviewState.REJECTED):
        return
    action = AuditAction.PHOTO_PUBLISHED if new_state == ReviewState.PUBLISHED else AuditAction.PHOTO_REJECTED
    for photo in case.photos.filter(review_state=ReviewState.PENDING):
        photo.review_state = new_state
        photo.save(update_fields=["review_state"])
        record(
            case,
            action=action,
            by=by,
            photo=photo,
            field="photo.review_state",
            from_value=ReviewState.PENDING,
            to_value=new_state,
        )


def _refresh(case, locked):
    for field in ("review_state", "case_status", "reviewed_by", "reviewed_at", "published_at", "updated_at"):
        setattr(case, field, getattr(locked, field))


def publish(case, *, by, note="", notify=True):
    """Make the case public; `notify` queues an e-mail to its submitter, sent once the change is committed."""
    return _set_review_state(
        case,
        ReviewState.PUBLISHED,
        by=by,
        note=note,
        action=AuditAction.PUBLISHED,
        allowed_from={ReviewState.PENDING, ReviewState.REJECTED},
        notify=notify,
    )


def reject(case, *, by, note="", notify=True):
    """Keep the case private; `notify` queues an e-mail to its submitter, sent once the change is committed."""
    return _set_review_state(
        case,
        ReviewState.REJECTED,
        by=by,
        note=note,
        action=AuditAction.REJECTED,
        allowed_from={ReviewState.PENDING, ReviewState.PUBLISHED},
        notify=notify,
    )


def unpublish(case, *, by, note=""):
    """Take a published case back into the review queue."""
    return _set_review_state(
        case,
        ReviewState.PENDING,
        by=by,
        note=note,
        action=AuditAction.UNPUBLISHED,
        allowed_from={ReviewState.PUBLISHED},
    )


def _set_case_status(case, new_status, *, by, note, action):
    with transaction.atomic():
        locked = _locked(case)
        old_status = locked.case_status
        if old_status == new_status:
            raise ValidationError(
                "This case is already marked %(status)s.",
                code="unchanged_status",
                params={"status": locked.get_case_status_display().lower()},
            )
        locked.case_status = new_status
        locked.save(update_fields=["case_status", "updated_at"])
        record(locked, action=action, by=by, field="case_status", from_value=old_status, to_value=new_status, note=note)
    _refresh(case, locked)
    return case


def mark_found(case, *, by, note=""):
    return _set_case_status(case, CaseStatus.FOUND, by=by, note=note, action=AuditAction.MARKED_FOUND)


def mark_missing(case, *, by, note=""):
    return _set_case_status(case, CaseStatus.MISSING, by=by, note=note, action=AuditAction.MARKED_MISSING)


def _set_photo_state(photo, new_state, *, by, note, action):
    with transaction.atomic():
        locked = Photo.objects.select_for_update().select_related("case").get(pk=photo.pk)
        old_state = locked.review_state
        if old_state == new_state:
            raise ValidationError(
                "This photo is already %(state)s.", code="unchanged_state", params={"state": new_state}
            )
        locked.review_state = new_state
        locked.save(update_fields=["review_state"])
        record(
            locked.case,
            action=action,
            by=by,
            photo=locked,
            field="photo.review_state",
            from_value=old_state,
            to_value=new_state,
            note=note,
        )
    photo.review_state = new_state
    return photo


def publish_photo(photo, *, by, note=""):
    return _set_photo_state(photo, ReviewState.PUBLISHED, by=by, note=note, action=AuditAction.PHOTO_PUBLISHED)


def reject_photo(photo, *, by, note=""):
    return _set_photo_state(photo, ReviewState.REJECTED, by=by, note=note, action=AuditAction.PHOTO_REJECTED)
