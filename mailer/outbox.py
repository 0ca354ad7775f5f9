"""Queue an e-mail: a delivery row now, in the caller's transaction; the sending task once it commits.

Nothing is sent inside a web request. If the transaction rolls back, the row and
the task disappear with it; if the broker is unreachable when it commits, the row
stays queued and `requeue_stalled` queues it again later.
"""

import logging
import re
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Delivery

logger = logging.getLogger(__name__)

# Line breaks of every kind (those str.splitlines() knows) and other control characters.
_LINE_BREAKS = re.compile(r"[\s\x00-\x1f\x7f\x85\u2028\u2029]+")
SUBJECT_MAX_LENGTH = 200


def one_line(text, max_length=SUBJECT_MAX_LENGTH):
    """`text` as one plain line for a header, whatever a case field or a form put in it.

    Django refuses a header with a newline (BadHeaderError), which would drop the message; a
    member's or a visitor's text must never be able to do that, nor to add a header of its own.
    """
    line = _LINE_BREAKS.sub(" ", str(text)).strip()
    return line if len(line) <= max_length else line[: max_length - 1].rstrip() + "…"


def queue(*, kind, to, subject, body, key=None, headers=None, from_email=""):
    """Queue one message to the addresses `to`; with the same `key`, only the first call queues anything."""
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=key or f"{kind}:{uuid.uuid4().hex}",
                kind=kind,
                recipients=list(to),
                subject=one_line(subject),
                body=body,
                headers={name: one_line(value, max_length=998) for name, value in (headers or {}).items()},
                from_email=from_email,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: dispatch(delivery.pk), robust=True)
    return delivery


def queue_to_managers(*, kind, subject, body, key=None, reply_to=None, managers=None):
    """Like `mail_managers`, from SERVER_EMAIL; `reply_to` lets an answer reach whoever wrote to the team.

    `managers` narrows the recipients to some of the MANAGERS addresses (by default, all of them).
    """
    managers = [address for _name, address in settings.MANAGERS] if managers is None else managers
    if not managers:
        return None
    return queue(
        kind=kind,
        to=managers,
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        key=key,
        from_email=settings.SERVER_EMAIL,
        headers={"Reply-To": reply_to} if reply_to else None,
    )


def dispatch(delivery_id):
    """Hand a delivery to the task queue; a broker outage is logged, never raised to the caller."""
    from .tasks import deliver

    try:
        deliver.delay(delivery_id)
    except Exception:
        logger.exception("Could not queue delivery %s; the periodic sweep will queue it again", delivery_id)
