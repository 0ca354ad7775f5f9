"""The alert e-mails, each rendered in its subscriber's language and queued through the delivery log.

Every alert carries a signed one-click unsubscribe link in its body and in the
`List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 8058), and a link to
change the subscription. Keys make each message unique: a repeated fan-out
finds the delivery already queued and sends nothing more.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from mailer import outbox


def _context(subscription, **extra):
    return {
        "subscription": subscription,
        "manage_url": subscription.manage_url(),
        "unsubscribe_url": subscription.unsubscribe_url(),
        "site_title": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        **extra,
    }


def confirmation_request(subscription):
    """The double opt-in request (or, for an address already confirmed, a reminder with its links)."""
    with translation.override(subscription.language):
        context = _context(subscription, confirm_url=subscription.confirm_url())
        if subscription.is_confirmed:
            subject = _("Your %(site)s alerts") % {"site": settings.SITE_NAME}
            body = render_to_string("alerts/email/reminder.txt", context)
        else:
            subject = _("Please confirm your %(site)s alert") % {"site": settings.SITE_NAME}
            body = render_to_string("alerts/email/confirm.txt", context)
    outbox.queue(
        kind="alert_confirmation",
        key=f"alert_confirmation:{subscription.pk}:{subscription.confirmation_sent_at.timestamp():.6f}",
        to=[subscription.email],
        subject=subject,
        body=body,
    )


def alert(subscription, *, kind, key, subject, subject_params, template, **context):
    """One alert to one confirmed subscriber; `subject` (lazy) is translated into the subscriber's language."""
    with translation.override(subscription.language):
        body = render_to_string(template, _context(subscription, **context))
        subject_text = str(subject) % subject_params
    return outbox.queue(
        kind=kind,
        key=key,
        to=[subscription.email],
        subject=subject_text,
        body=body,
        headers={
            "List-Unsubscribe": f"<{subscription.unsubscribe_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
