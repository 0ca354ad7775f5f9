"""Posting a public update on a case: the note, its audit row and the followers' e-mail, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from listings.models import AuditAction, Case
from listings.moderation import record

from .models import CaseUpdate
from .receivers import queue_after_commit
from .tasks import send_case_news


def post_update(case, *, by, text):
    """Publish a short dated note on a published case and tell its followers."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the update first."), code="empty_update")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_published:
            raise ValidationError(_("Updates are posted only on published cases."), code="invalid_transition")
        update = CaseUpdate.objects.create(case=locked, text=text, posted_by=by)
        record(locked, action=AuditAction.UPDATE_POSTED, by=by, field="public_updates", to_value=text[:200])
        queue_after_commit(send_case_news, locked.pk, "update", update.pk)
    return update
