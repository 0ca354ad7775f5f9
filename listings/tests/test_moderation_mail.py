"""The moderation loop by e-mail: a receipt for the submitter, a notice (or a digest) for the moderators,
and the reason for a rejection in the submitter's e-mail."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from listings import moderation
from listings.roles import ensure_moderators_group
from listings.tasks import send_moderation_digest
from listings.tests.factories import CaseFactory, uploaded_jpeg
from listings.tests.helpers import submission_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    group, *_ = ensure_moderators_group()
    english = UserFactory(username="mod-en", email="mod-en@example.org", is_staff=True)
    french = UserFactory(username="mod-fr", email="mod-fr@example.org", is_staff=True, language="fr")
    for user in (english, french):
        user.groups.add(group)
    return english, french


def submit(member_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))
    assert response.status_code == 302
    return response


def test_a_submission_sends_a_receipt_and_one_notice_per_moderator_language(
    member_client, member, moderators, django_capture_on_commit_callbacks
):
    submit(member_client, django_capture_on_commit_callbacks)

    receipt, *notices = mail.outbox
    assert receipt.to == [member.email] and "We received the case" in receipt.subject
    assert sorted(message.to[0] for message in notices) == ["mod-en@example.org", "mod-fr@example.org"]
    assert all("/admin/listings/case/" in message.body for message in notices)


def test_with_a_digest_moderators_get_one_daily_list_instead(
    member_client, moderators, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_EMAIL = "digest"
    submit(member_client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the receipt only

    with django_capture_on_commit_callbacks(execute=True):
        assert send_moderation_digest.delay().get() is True
        send_moderation_digest.delay().get()  # the same day again: the same message, not a second one

    digests = mail.outbox[1:]
    assert sorted(message.to[0] for message in digests) == ["mod-en@example.org", "mod-fr@example.org"]
    assert all("/admin/listings/case/" in message.body for message in digests)


def test_the_rejection_reason_reaches_the_submitter_and_the_private_note_does_not(
    moderator, django_capture_on_commit_callbacks
):
    case = CaseFactory(submitted_by=UserFactory(email="family@example.org"), reviewed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(case, by=moderator, note="internal: duplicate of RNC file", reason="Please add a photo.")

    (message,) = mail.outbox
    assert "Please add a photo." in message.body
    assert "internal" not in message.body
