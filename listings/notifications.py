"""E-mails about cases: a submitter hears when review decides, managers hear when a tip or message arrives.

A mail outage never fails the action that caused the mail: the row is stored
(or the state changed) and the failure is logged for operators. A tip's or a
message's content is never put into an e-mail about it beyond what the sender
wrote to the team; tips are read in the admin.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import ReviewState

logger = logging.getLogger(__name__)


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def review_decided(case):
    """Tell the member who submitted `case` that it was published or not."""
    member = case.submitted_by
    if member is None or not member.email or case.review_state not in (ReviewState.PUBLISHED, ReviewState.REJECTED):
        return
    context = {
        "member": member,
        "case": case,
        "published": case.review_state == ReviewState.PUBLISHED,
        "case_url": _absolute(case.get_absolute_url()),
        "submissions_url": _absolute(reverse("accounts:submissions")),
        "contact_url": _absolute(reverse("listings:contact")),
        "site_title": settings.SITE_NAME,
    }
    subject = render_to_string("listings/email/review_decided_subject.txt", context).strip()
    body = render_to_string("listings/email/review_decided.txt", context)
    try:
        send_mail(subject, body, None, [member.email])
    except Exception:
        logger.exception("Could not e-mail the submitter of case %s about its review", case.pk)


def _tell_managers(subject, body, about, *, reply_to=None):
    """`mail_managers`, with a Reply-To so that answering reaches whoever wrote to the team."""
    if not settings.MANAGERS:
        return
    message = EmailMessage(
        f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        settings.SERVER_EMAIL,
        [address for _name, address in settings.MANAGERS],
        reply_to=reply_to,
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not e-mail the managers about %s", about)


def tip_received(tip):
    """Tell the managers a tip is waiting; its content stays in the admin."""
    _tell_managers(
        f"New tip about case {tip.case.police_file_number or tip.case.pk}",
        f"A tip about {tip.case} is waiting in the admin:\n"
        f"{_absolute(reverse('admin:listings_tip_change', args=[tip.pk]))}\n",
        about=f"tip {tip.pk}",
    )


def contact_received(message):
    """Send a contact-form message on to the managers."""
    _tell_managers(
        f"Contact form: {message.subject}",
        f"From: {message.name} <{message.email}>\n\n{message.message}\n\n"
        f"Read and mark it handled in the admin: "
        f"{_absolute(reverse('admin:listings_contactmessage_change', args=[message.pk]))}\n",
        about=f"contact message {message.pk}",
        reply_to=[message.email],
    )
