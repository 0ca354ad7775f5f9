"""E-mails about cases: a submitter hears when review decides, managers hear when a tip or message arrives.

Each is written in its reader's language: a member's is the one on their account, a manager's the one on the
staff account with that address (English for an address no account has). Links lead to that language's pages.

Each message is queued through `mailer.outbox` in the transaction that causes it and
sent by the task queue once it commits, so a mail outage never fails or slows the
action. A tip's content is never put into an e-mail; tips are read in the admin.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mailer import outbox

from .models import ReviewState


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def review_decided(case, *, key):
    """Tell the member who submitted `case` that it was published or not; `key` names the decision."""
    member = case.submitted_by
    if member is None or not member.email or case.review_state not in (ReviewState.PUBLISHED, ReviewState.REJECTED):
        return
    with translation.override(member.language):
        context = {
            "member": member,
            "case": case,
            "published": case.review_state == ReviewState.PUBLISHED,
            "case_url": absolute(case.get_absolute_url()),
            "submissions_url": absolute(reverse("accounts:submissions")),
            "contact_url": absolute(reverse("listings:contact")),
            "site_title": settings.SITE_NAME,
        }
        outbox.queue(
            kind="review_decided",
            key=key,
            to=[member.email],
            subject=render_to_string("listings/email/review_decided_subject.txt", context).strip(),
            body=render_to_string("listings/email/review_decided.txt", context),
        )


def managers_by_language():
    """The MANAGERS addresses grouped by the language of the staff account that has each (English if none)."""
    addresses = [address for _name, address in settings.MANAGERS]
    known = dict(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True, email__in=addresses)
        .values_list("email", "language")
    )
    groups = defaultdict(list)
    for address in addresses:
        groups[known.get(address, settings.LANGUAGE_CODE)].append(address)
    return groups


def _tell_managers(*, kind, key, reply_to=None, write):
    """One notice per language; `write()` returns its subject and body in the active language."""
    for language, managers in managers_by_language().items():
        with translation.override(language):
            subject, body = write()
            outbox.queue_to_managers(
                kind=kind,
                key=key if language == settings.LANGUAGE_CODE else f"{key}:{language}",
                subject=subject,
                body=body,
                reply_to=reply_to,
                managers=managers,
            )


def tip_received(tip):
    """Tell the managers a tip is waiting; its content stays in the admin."""

    def write():
        return (
            _("New tip about case %(case)s") % {"case": tip.case.police_file_number or tip.case.pk},
            _("A tip about %(case)s is waiting in the admin:\n%(url)s\n")
            % {"case": tip.case, "url": absolute(reverse("admin:listings_tip_change", args=[tip.pk]))},
        )

    _tell_managers(kind="tip_received", key=f"tip_received:{tip.pk}", write=write)


def contact_received(message):
    """Send a contact-form message on to the managers."""

    def write():
        return (
            _("Contact form: %(subject)s") % {"subject": message.subject},
            _("From: %(name)s <%(email)s>\n\n%(message)s\n\nRead and mark it handled in the admin: %(url)s\n")
            % {
                "name": message.name,
                "email": message.email,
                "message": message.message,
                "url": absolute(reverse("admin:listings_contactmessage_change", args=[message.pk])),
            },
        )

    _tell_managers(kind="contact_received", key=f"contact_received:{message.pk}", reply_to=message.email, write=write)
