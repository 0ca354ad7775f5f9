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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import events, notifications
from .models import AuditAction, AuditEntry, Case, CaseStatus, Photo, ReviewState, Tip, TipState


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
    # Further (field, allowed values) conditions, e.g. only a missing person's case is confirmed.
    also_requires: tuple = ()

    def allowed_for(self, obj):
        conditions = ((self.field, self.allowed_from), *self.also_requires)
        return all(getattr(obj, field) in allowed for field, allowed in conditions)


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
    Move(
        "confirm",
        "review_state",
        ReviewState.PUBLISHED,
        frozenset({ReviewState.PUBLISHED}),
        AuditAction.CONFIRMED,
        _("Confirm with police"),
        _("confirmed with police"),
        _("Confirm selected cases with police (still missing)"),
        also_requires=(("case_status", frozenset({CaseStatus.MISSING})),),
    ),
    Move(
        "take_down",
        "review_state",
        ReviewState.WITHDRAWN,
        frozenset({ReviewState.PUBLISHED}),
        AuditAction.TAKEN_DOWN,
        _("Take down"),
        _("taken down"),
        _("Take down selected cases (410 Gone at once)"),
    ),
    Move(
        "restore",
        "review_state",
        ReviewState.PUBLISHED,
        frozenset({ReviewState.WITHDRAWN}),
        AuditAction.RESTORED,
        _("Restore"),
        _("restored"),
        _("Restore selected cases"),
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


# A tip's chain: read, forwarded to the police (perhaps again, to another agency), closed, reopened.
TIP_MOVES = _moves(
    Move(
        "mark_tip_read",
        "state",
        TipState.READ,
        frozenset({TipState.NEW}),
        AuditAction.TIP_READ,
        _("Mark read"),
        _("marked read"),
        _("Mark selected tips read"),
    ),
    Move(
        "forward_tip",
        "state",
        TipState.FORWARDED,
        frozenset({TipState.NEW, TipState.READ, TipState.FORWARDED}),
        AuditAction.TIP_FORWARDED,
        _("Forward to police"),
        _("forwarded"),
        _("Forward selected tips to police"),
    ),
    Move(
        "close_tip",
        "state",
        TipState.CLOSED,
        frozenset({TipState.NEW, TipState.READ, TipState.FORWARDED}),
        AuditAction.TIP_CLOSED,
        _("Close"),
        _("closed"),
        _("Close selected tips"),
    ),
    Move(
        "reopen_tip",
        "state",
        TipState.READ,
        frozenset({TipState.CLOSED}),
        AuditAction.TIP_REOPENED,
        _("Reopen"),
        _("reopened"),
        _("Reopen selected tips"),
    ),
)


def moves_for(case):
    """The moves allowed for `case` now, in the table's order."""
    return [move for move in CASE_MOVES.values() if move.allowed_for(case)]


def record(case, *, action, by=None, field="", from_value="", to_value="", note="", photo=None, tip=None):
    return AuditEntry.objects.create(
        case=case,
        case_label=str(case)[:200],
        photo=photo,
        tip=tip,
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


def _set_review_state(case, move, *, by, note, email_submitter=False, reason=""):
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
        first_publication = move.to == ReviewState.PUBLISHED and locked.published_at is None
        if first_publication:
            locked.published_at = now
        if move.to == ReviewState.WITHDRAWN:
            # Kept on restore: a found case staff restored is not withdrawn again by withdraw_found.
            locked.withdrawn_at = now
        # Only a rejection carries a reason for the submitter; any other move clears the last one.
        locked.rejection_reason = reason
        locked.save(
            update_fields=[
                "review_state",
                "reviewed_by",
                "reviewed_at",
                "published_at",
                "withdrawn_at",
                "rejection_reason",
                "updated_at",
            ]
        )
        entry = record(
            locked, action=move.audit, by=by, field=move.field, from_value=old_state, to_value=move.to, note=note
        )
        _settle_pending_photos(locked, move.to, by=by)
        if email_submitter:
            notifications.review_decided(locked, key=f"review_decided:{entry.pk}")
        # Demo data is fictional: nobody is alerted about it.
        if first_publication and not locked.is_demo:
            events.case_first_published.send(sender=Case, case=locked)
        if move.to == ReviewState.WITHDRAWN and not locked.is_demo:
            events.case_withdrawn.send(sender=Case, case=locked, entry=entry)
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


REFRESHED_FIELDS = (
    "review_state",
    "case_status",
    "reviewed_by",
    "reviewed_at",
    "published_at",
    "found_at",
    "confirmed_at",
    "withdrawn_at",
    "rejection_reason",
    "updated_at",
)


def _refresh(case, locked):
    for field in REFRESHED_FIELDS:
        setattr(case, field, getattr(locked, field))


def publish(case, *, by, note="", email_submitter=True):
    """Make the case public; `email_submitter` queues an e-mail to its submitter, sent once committed."""
    return _set_review_state(case, CASE_MOVES["publish"], by=by, note=note, email_submitter=email_submitter)


def reject(case, *, by, note="", reason="", email_submitter=True):
    """Keep the case private; `email_submitter` queues an e-mail to its submitter, sent once committed.

    `reason` is written for the submitter, who reads it on their submissions page;
    `note` stays in the audit trail for staff.
    """
    return _set_review_state(
        case, CASE_MOVES["reject"], by=by, note=note, email_submitter=email_submitter, reason=reason.strip()
    )


def unpublish(case, *, by, note=""):
    """Take a published case back into the review queue."""
    return _set_review_state(case, CASE_MOVES["unpublish"], by=by, note=note)


def take_down(case, *, by, note=""):
    """Withdraw a published case at once: its page answers 410 Gone and it leaves every public surface."""
    return _set_review_state(case, CASE_MOVES["take_down"], by=by, note=note)


def restore(case, *, by, note=""):
    """Put a withdrawn case back on the site as it was (found or missing)."""
    return _set_review_state(case, CASE_MOVES["restore"], by=by, note=note)


def confirm(case, *, by, note=""):
    """Record that staff checked with the police that the person is still missing; the case stays as it is."""
    move = CASE_MOVES["confirm"]
    with transaction.atomic():
        locked = _locked(case)
        if not move.allowed_for(locked):
            raise ValidationError(
                _("Only a published case of a missing person can be confirmed."), code="invalid_transition"
            )
        old = locked.confirmed_at
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at", "updated_at"])
        record(
            locked,
            action=move.audit,
            by=by,
            field="confirmed_at",
            from_value=old.isoformat() if old else "",
            to_value=locked.confirmed_at.isoformat(),
            note=note,
        )
    _refresh(case, locked)
    return case


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
        # The date found starts the retention period after which withdraw_found takes the case down.
        locked.found_at = timezone.now() if move.to == CaseStatus.FOUND else None
        locked.save(update_fields=["case_status", "found_at", "updated_at"])
        entry = record(
            locked, action=move.audit, by=by, field=move.field, from_value=old_status, to_value=move.to, note=note
        )
        if move.to == CaseStatus.FOUND and not locked.is_demo:
            events.case_found.send(sender=Case, case=locked, entry=entry)
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
                _("This photo is already %(state)s."),
                code="unchanged_state",
                params={"state": locked.get_review_state_display().lower()},
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


TIP_STAMPED_FIELDS = [
    "state",
    "read_by",
    "read_at",
    "forwarded_by",
    "forwarded_at",
    "forwarded_to_agency",
    "forwarded_to_officer",
    "closed_by",
    "closed_at",
    "staff_note",
]


def _move_tip(tip, move, *, by, note, audit_note="", **changes):
    with transaction.atomic():
        locked = Tip.objects.select_for_update().select_related("case").get(pk=tip.pk)
        old_state = locked.state
        if not move.allowed_for(locked):
            raise ValidationError(
                _("A tip that is %(state)s cannot be %(action)s."),
                code="invalid_transition",
                params={"state": locked.get_state_display().lower(), "action": move.done},
            )
        now = timezone.now()
        if locked.read_at is None:
            # Whoever forwards or closes a tip has read it.
            locked.read_by, locked.read_at = by, now
        for field, value in changes.items():
            setattr(locked, field, value(now) if callable(value) else value)
        locked.state = move.to
        if note:
            locked.staff_note = note
        locked.save(update_fields=TIP_STAMPED_FIELDS)
        record(
            locked.case,
            action=move.audit,
            by=by,
            tip=locked,
            field="tip.state",
            from_value=old_state,
            to_value=move.to,
            note=" ".join(part for part in (audit_note, note) if part),
        )
    for field in TIP_STAMPED_FIELDS:
        setattr(tip, field, getattr(locked, field))
    return tip


def mark_tip_read(tip, *, by, note=""):
    """A staff member has read a new tip (opening it in the admin does this)."""
    return _move_tip(tip, TIP_MOVES["mark_tip_read"], by=by, note=note)


def forward_tip(tip, *, by, agency, officer="", note=""):
    """Record that the tip was passed to a police agency (and perhaps one officer there)."""
    agency, officer = agency.strip(), officer.strip()
    if not agency:
        raise ValidationError(_("Say which police agency the tip went to."), code="agency_required")
    sent_to = f"{agency} ({officer})" if officer else agency
    return _move_tip(
        tip,
        TIP_MOVES["forward_tip"],
        by=by,
        note=note,
        audit_note=gettext("Forwarded to %(to)s.") % {"to": sent_to},
        forwarded_by=by,
        forwarded_at=lambda now: now,
        forwarded_to_agency=agency[:120],
        forwarded_to_officer=officer[:120],
    )


def close_tip(tip, *, by, note=""):
    """Nothing more is to be done with the tip; `note` says what came of it."""
    return _move_tip(tip, TIP_MOVES["close_tip"], by=by, note=note, closed_by=by, closed_at=lambda now: now)


def reopen_tip(tip, *, by, note=""):
    return _move_tip(tip, TIP_MOVES["reopen_tip"], by=by, note=note, closed_by=None, closed_at=None)


def _own_editable(case, by):
    locked = _locked(case)
    if locked.submitted_by_id is None or locked.submitted_by_id != by.pk:
        raise ValidationError(_("Only the member who submitted a case can change it."), code="not_submitter")
    if not locked.submitter_may_change:
        raise ValidationError(
            _("A %(state)s case can no longer be changed by its submitter."),
            code="invalid_transition",
            params={"state": locked.get_review_state_display().lower()},
        )
    return locked


def resubmit(case, *, by, fields):
    """The submitter's corrections to a pending or rejected case; it goes (back) to the review queue.

    `fields` are validated values of `SUBMITTED_FIELDS`. A rejected case's photos are
    reviewed again with it.
    """
    with transaction.atomic():
        locked = _own_editable(case, by)
        old_state = locked.review_state
        changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.review_state = ReviewState.PENDING
        locked.rejection_reason = ""
        locked.save()
        record(
            locked,
            action=AuditAction.RESUBMITTED,
            by=by,
            field="review_state",
            from_value=old_state,
            to_value=ReviewState.PENDING,
            note=gettext("Changed: %(fields)s.") % {"fields": ", ".join(changed)} if changed else "",
        )
        if old_state == ReviewState.REJECTED:
            for photo in locked.photos.filter(review_state=ReviewState.REJECTED):
                photo.review_state = ReviewState.PENDING
                photo.save(update_fields=["review_state"])
                record(
                    locked,
                    action=AuditAction.RESUBMITTED,
                    by=by,
                    photo=photo,
                    field="photo.review_state",
                    from_value=ReviewState.REJECTED,
                    to_value=ReviewState.PENDING,
                )
    for name in fields:
        setattr(case, name, getattr(locked, name))
    _refresh(case, locked)
    return case


def withdraw(case, *, by):
    """The submitter takes back a pending or rejected case: it is deleted with its photos and files.

    The audit row keeps the case's name; the stored files go once the deletion commits
    (listings.signals).
    """
    with transaction.atomic():
        locked = _own_editable(case, by)
        record(
            locked,
            action=AuditAction.WITHDRAWN,
            by=by,
            field="review_state",
            from_value=locked.review_state,
            note=gettext("Withdrawn by the submitter with %(count)d photo(s).") % {"count": locked.photos.count()},
        )
        locked.delete()
