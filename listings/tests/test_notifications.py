import email

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from listings import moderation, notifications
from listings.tests.factories import CaseFactory, ContactMessageFactory, TipFactory
from mailer import outbox
from mailer.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def test_submitter_is_told_when_their_case_is_published(moderator, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://lostinnl.example"
    member = UserFactory(email="family@example.org")
    case = CaseFactory(submitted_by=member, first_name="Ada", last_name="Example")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(case, by=moderator, note="internal: checked with RNC")

    (message,) = mail.outbox
    assert message.to == ["family@example.org"]
    assert "is now published" in message.subject
    assert f"https://lostinnl.example{case.get_absolute_url()}" in message.body
    assert "internal" not in message.body


def test_submitter_is_told_when_their_case_is_not_published(moderator, django_capture_on_commit_callbacks):
    case = CaseFactory()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(case, by=moderator, note="duplicate of another case")

    (message,) = mail.outbox
    assert message.to == [case.submitted_by.email]
    assert "was not published" in message.subject
    assert "duplicate" not in message.body


def test_no_mail_when_a_case_goes_back_to_review_or_has_no_submitter(moderator, django_capture_on_commit_callbacks):
    published = CaseFactory(published=True)
    imported = CaseFactory(submitted_by=None)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.unpublish(published, by=moderator)
        moderation.publish(imported, by=moderator)

    assert mail.outbox == []


def test_no_mail_when_the_state_change_rolls_back(moderator, django_capture_on_commit_callbacks, monkeypatch):
    case = CaseFactory()
    monkeypatch.setattr(moderation, "record", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("audit")))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        moderation.publish(case, by=moderator)

    assert mail.outbox == []


def test_tip_notice_to_managers_links_to_the_admin_without_the_tip_itself(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("Managers", "managers@example.org")]
    case = CaseFactory(published=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{case.get_absolute_url()}tip/",
            {"message": "I saw him at the Gander airport on Friday evening.", "name": "", "email": "", "phone": ""},
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["managers@example.org"]
    assert "/admin/listings/tip/" in message.body
    assert "Gander airport" not in message.body


def test_without_a_worker_a_mail_outage_marks_the_notice_failed_and_logs_it(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        notifications.contact_received(ContactMessageFactory())
        notifications.tip_received(TipFactory())

    assert sorted(Delivery.objects.values_list("kind", "status")) == [
        ("contact_received", DeliveryStatus.FAILED),
        ("tip_received", DeliveryStatus.FAILED),
    ]
    assert "Could not send delivery" in caplog.text


def test_publishing_without_notice_sends_nothing(moderator, django_capture_on_commit_callbacks):
    case = CaseFactory()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(case, by=moderator, email_submitter=False)

    assert mail.outbox == []


HOSTILE = "O'Brien\r\nBcc: everyone@example.org\u2028X-Spam: yes"


def _one_line_headers(message):
    """The message as it goes on the wire has no header smuggled in; returns its subject."""
    sent = email.message_from_bytes(message.message().as_bytes())
    assert sent["Bcc"] is None and sent["X-Spam"] is None
    return message.subject


def test_a_newline_in_a_case_field_does_not_drop_the_review_notice(moderator, django_capture_on_commit_callbacks):
    case = CaseFactory(last_name=HOSTILE)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(case, by=moderator)

    (message,) = mail.outbox
    subject = _one_line_headers(message)
    assert "\n" not in subject and "\r" not in subject and "\u2028" not in subject
    assert "O'Brien Bcc: everyone@example.org X-Spam: yes" in subject


def test_review_subjects_and_bodies_are_plain_text_not_html_escaped(moderator, django_capture_on_commit_callbacks):
    case = CaseFactory(first_name="Seán", last_name="O'Brien & <Sons>")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(case, by=moderator)

    (message,) = mail.outbox
    assert "Seán O'Brien & <Sons>" in message.subject
    assert "&#x27;" not in message.subject and "&amp;" not in message.subject
    assert "Seán O'Brien & <Sons>" in message.body


def test_a_newline_in_a_police_file_number_does_not_drop_the_tip_notice(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("Managers", "managers@example.org")]
    case = CaseFactory(published=True, police_file_number="RNC-1\nBcc: everyone@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{case.get_absolute_url()}tip/", {"message": "Seen in Corner Brook.", "name": "", "email": "", "phone": ""}
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert _one_line_headers(message).endswith("New tip about case RNC-1 Bcc: everyone@example.org")


def test_a_newline_in_a_contact_subject_does_not_drop_the_message(client, settings, django_capture_on_commit_callbacks):
    settings.MANAGERS = [("Managers", "managers@example.org")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contact/",
            {
                "name": "Sam",
                "email": "sam@example.org",
                "subject": "Hello\r\nBcc: everyone@example.org",
                "message": "Hi",
            },
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert _one_line_headers(message).endswith("Contact form: Hello Bcc: everyone@example.org")
    assert message.extra_headers["Reply-To"] == "sam@example.org"


def test_a_very_long_subject_is_shortened_not_refused():
    assert len(outbox.one_line("x" * 5000)) == outbox.SUBJECT_MAX_LENGTH
