"""The contact form stores the message for staff and e-mails the site managers."""

import pytest
from django.urls import reverse

from listings.models import ContactMessage
from mailer.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Robin Example",
    "email": "robin@example.org",
    "subject": "A correction",
    "message": "The date on one case seems wrong.",
}


def test_contact_message_is_stored_and_mailed_to_managers(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("Managers", "managers@example.org")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listings:contact"), MESSAGE, follow=True)

    assert response.redirect_chain == [(reverse("listings:contact"), 302)]
    assert "Your message was sent" in response.content.decode()
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject, stored.handled) == (
        "Robin Example",
        "robin@example.org",
        "A correction",
        False,
    )
    [mail] = mailoutbox
    assert mail.to == ["managers@example.org"]
    assert "A correction" in mail.subject
    assert "robin@example.org" in mail.body and "The date on one case seems wrong." in mail.body


def test_contact_message_is_kept_when_mail_fails(client, settings, django_capture_on_commit_callbacks):
    # An SMTP server that is not there: port 9 on loopback refuses the connection.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listings:contact"), MESSAGE)

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert Delivery.objects.get(kind="contact_received").status == DeliveryStatus.FAILED
