"""E-mails about cases: a submitter gets a receipt and hears when review decides; moderators hear of each
new submission (or a daily digest, `MODERATION_EMAIL`); managers hear when a tip or message arrives.

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

from .models import Case, ReviewState
from .roles import MODERATORS_GROUP


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


def moderators_by_language():
    """Active members of the Moderators group with an address, by their language; else the managers."""
    moderators = (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", "language")
        .distinct()
    )
    groups = defaultdict(list)
    for address, language in moderators:
        groups[language].append(address)
    return groups or managers_by_language()


def _tell_moderators(*, kind, key, write):
    for language, addresses in moderators_by_language().items():
        with translation.override(language):
            subject, body = write()
            outbox.queue(
                kind=kind,
                key=f"{key}:{language}",
                to=sorted(addresses),
                from_email=settings.SERVER_EMAIL,
                subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
                body=body,
            )


def case_submitted(case):
    """A receipt for the member who submitted `case`; a notice to the moderators unless they take a digest."""
    member = case.submitted_by
    if member is not None and member.email:
        with translation.override(member.language):
            context = {
                "member": member,
                "case": case,
                "submissions_url": absolute(reverse("accounts:submissions")),
                "site_title": settings.SITE_NAME,
            }
            outbox.queue(
                kind="submission_receipt",
                key=f"submission_receipt:{case.pk}",
                to=[member.email],
                subject=_("We received the case of %(name)s") % {"name": case.full_name},
                body=render_to_string("listings/email/submission_receipt.txt", context),
            )
    if settings.MODERATION_EMAIL != "each":
        return

    def write():
        return (
            _("New case to review: %(region)s") % {"region": case.get_region_display()},
            _("A new case is waiting for review:\n%(url)s\n")
            % {"url": absolute(reverse("admin:listings_case_change", args=[case.pk]))},
        )

    _tell_moderators(kind="submission_notice", key=f"submission_notice:{case.pk}", write=write)


def moderation_digest(*, now):
    """One e-mail listing the cases waiting for review, when `MODERATION_EMAIL` is "digest" and any wait."""
    pending = list(Case.objects.pending().order_by("created_at"))
    if settings.MODERATION_EMAIL != "digest" or not pending:
        return False
    links = "".join(f"- {absolute(reverse('admin:listings_case_change', args=[case.pk]))}\n" for case in pending)

    def write():
        return (
            _("%(count)d case(s) waiting for review") % {"count": len(pending)},
            _("Cases waiting for review, oldest first:") + "\n" + links,
        )

    _tell_moderators(kind="moderation_digest", key=f"moderation_digest:{now:%Y-%m-%d}", write=write)
    return True
