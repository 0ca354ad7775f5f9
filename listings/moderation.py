"""Every change of a case's or photo's review state or case status, with its audit row.

Admin actions, management commands and tests call these functions; nothing
else changes `review_state` or `case_status`. Each function changes the state
and writes the audit row in one transaction, so neither exists without the other.

`CASE_MOVES` and `PHOTO_MOVES` are the one table of which move is allowed from
which state, with the words the admin shows for it; the functions below check
against it and the admin builds its actions, buttons and confirmation page from it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .models import AuditAction, AuditEntry, Case, CaseStatus, Photo, ReviewState


@dataclass(frozen=True)
class Move:
    """One moderation move: the function of this module that makes it and when it is allowed."""

    name: str
    field: str
    to: str
    allowed_from: frozenset
    audit: str
    label: str
    done: str
    description: str

    def allowed_for(self, obj):
        return getattr(obj, self.field) in self.allowed_from


def _moves(*moves):
    return {move.name: move for move in moves}


# Order matters: it is the order of the buttons on a case's page.
CASE_MOVES = _moves(
    Move(
        "publish",
        "review_state",
        ReviewState.PUBLISHED,
        frozenset({ReviewState.PENDING, ReviewState.REJECTED}),
        AuditAction.PUBLISHED,
        _("Publish"),
        _("published"),
        _("Publish selected cases"),
    ),
    Move(
        "unpublish",
        "review_state",
        ReviewState.PENDING,
        frozenset({ReviewState.PUBLISHED}),
        AuditAction.UNPUBLISHED,
        _("Unpublish"),
        _("unpublished"),
        _("Unpublish selected cases (back to the queue)"),
    ),
    Move(
        "reject",
        "review_state",
        ReviewState.REJECTED,
        frozenset({ReviewState.PENDING, ReviewState.PUBLISHED}),
        AuditAction.REJECTED,
        _("Reject"),
        _("rejected"),
        _("Reject selected cases"),
    ),
    Move(
        "mark_found",
        "case_status",
        CaseStatus.FOUND,
        frozenset({CaseStatus.MISSING}),
        AuditAction.MARKED_FOUND,
        _("Mark found"),
        _("marked found"),
        _("Mark selected cases found"),
    ),
    Move(
        "mark_missing",
        "case_status",
        CaseStatus.MISSING,
        frozenset({CaseStatus.FOUND}),
        AuditAction.MARKED_MISSING,
        _("Mark missing"),
        _("marked missing"),
        _("Mark selected cases missing again"),
    ),
)

PHOTO_MOVES = _moves(
    Move(
        "publish_photo",
        "review_state",
        ReviewState.PUBLISHED,
        frozenset({ReviewState.PENDING, ReviewState.REJECTED}),
        AuditAction.PHOTO_PUBLISHED,
        _("Publish"),
        _("published"),
        _("Publish selected photos"),
    ),
    Move(
        "reject_photo",
        "review_state",
        ReviewState.REJECTED,
        frozenset({ReviewState.PENDING, ReviewState.PUBLISHED}),
        AuditAction.PHOTO_REJECTED,
        _("Reject"),
        _("rejected"),
        _("Reject selected photos"),
    ),
)


def moves_for(case):
    """The moves allowed for `case` now, in the table's order."""
    return [move for move in CASE_MOVES.values() if move.allowed_for(case)]


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


def _set_review_state(case, move, *, by, note, notify=False):
    with transaction.atomic():
        locked = _locked(case)
        old_state = locked.review_state
        if not move.allowed_for(locked):
            raise ValidationError(
                _("A %(state)s case cannot be %(action)s."),
                code="invalid_transition",
                params={"state": locked.get_review_state_display().lower(), "action": move.audit.label.lower()},
            )
        now = timezone.now()
        locked.review_state = move.to
        locked.reviewed_by = by
        locked.reviewed_at = now
        if move.to == ReviewState.PUBLISHED and locked.published_at is None:
            locked.published_at = now
        locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "published_at", "updated_at"])
        record(locked, action=move.audit, by=by, field=move.field, from_value=old_state, to_value=move.to, note=note)
        _settle_pending_photos(locked, move.to, by=by)
        if notify:
            transaction.on_commit(lambda: notifications.review_decided(locked))
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
    """Make the case public; `notify` e-mails its submitter once the change is committed."""
    return _set_review_state(case, CASE_MOVES["publish"], by=by, note=note, notify=notify)


def reject(case, *, by, note="", notify=True):
    """Keep the case private; `notify` e-mails its submitter once the change is committed."""
    return _set_review_state(case, CASE_MOVES["reject"], by=by, note=note, notify=notify)


def unpublish(case, *, by, note=""):
    """Take a published case back into the review queue."""
    return _set_review_state(case, CASE_MOVES["unpublish"], by=by, note=note)


def _set_case_status(case, move, *, by, note):
    with transaction.atomic():
        locked = _locked(case)
        old_status = locked.case_status
        if not move.allowed_for(locked):
            raise ValidationError(
                _("This case is already marked %(status)s."),
                code="unchanged_status",
                params={"status": locked.get_case_status_display().lower()},
            )
        locked.case_status = move.to
        locked.save(update_fields=["case_status", "updated_at"])
        record(locked, action=move.audit, by=by, field=move.field, from_value=old_status, to_value=move.to, note=note)
    _refresh(case, locked)
    return case


def mark_found(case, *, by, note=""):
    return _set_case_status(case, CASE_MOVES["mark_found"], by=by, note=note)


def mark_missing(case, *, by, note=""):
    return _set_case_status(case, CASE_MOVES["mark_missing"], by=by, note=note)


def _set_photo_state(photo, move, *, by, note):
    with transaction.atomic():
        locked = Photo.objects.select_for_update().select_related("case").get(pk=photo.pk)
        old_state = locked.review_state
        if not move.allowed_for(locked):
            raise ValidationError(
                _("This photo is already %(state)s."), code="unchanged_state", params={"state": move.to}
            )
        if move.to == ReviewState.PUBLISHED and locked.case.review_state == ReviewState.REJECTED:
            # A rejected case stays private as a whole; publish the case first.
            raise ValidationError(_("A photo of a rejected case cannot be published."), code="case_rejected")
        locked.review_state = move.to
        locked.save(update_fields=["review_state"])
        record(
            locked.case,
            action=move.audit,
            by=by,
            photo=locked,
            field="photo.review_state",
            from_value=old_state,
            to_value=move.to,
            note=note,
        )
    photo.review_state = move.to
    return photo


def publish_photo(photo, *, by, note=""):
    return _set_photo_state(photo, PHOTO_MOVES["publish_photo"], by=by, note=note)


def reject_photo(photo, *, by, note=""):
    return _set_photo_state(photo, PHOTO_MOVES["reject_photo"], by=by, note=note)
