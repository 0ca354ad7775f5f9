import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "gentle-iceberg-sunrise-19"
LINK = re.compile(r"^http://testserver(/accounts/reset/\S+/\S+/)$", re.MULTILINE)


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    """Ask for a reset link; the e-mail goes out when the request's transaction commits."""

    def request(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("password_reset"), {"email": email})

    return request


class TestPasswordReset:
    def test_form_page(self, client):
        response = client.get(reverse("password_reset"))

        assert response.status_code == 200
        assert "<h1>Reset your password</h1>" in response.content.decode()

    def test_reset_by_email_end_to_end(self, client, member, mailoutbox, request_reset):
        response = request_reset("MARY@example.org")

        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert len(mailoutbox) == 1
        mail = mailoutbox[0]
        assert mail.to == ["mary@example.org"]
        assert mail.subject == "Reset your LostInNL password"
        assert mail.content_subtype == "plain" and not getattr(mail, "alternatives", []), "the e-mail is plain text"
        assert "Hello mary," in mail.body
        assert "your account on LostInNL." in mail.body and "— The LostInNL team" in mail.body

        # The link in the mail leads to the form for a new password.
        link = LINK.search(mail.body).group(1)
        response = client.get(link, follow=True)
        assert response.status_code == 200
        assert response.context["validlink"] is True
        assert "<h1>Choose a new password</h1>" in response.content.decode()

        set_password_url = response.redirect_chain[-1][0]
        response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_complete")
        assert "Password set" in client.get(reverse("password_reset_complete")).content.decode()

        # And the new password opens the account.
        response = client.post(reverse("login"), {"username": "mary", "password": NEW_PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(member.pk)

    def test_used_link_shows_the_invalid_state(self, client, member, mailoutbox, request_reset):
        request_reset("mary@example.org")
        link = LINK.search(mailoutbox[0].body).group(1)
        set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
        client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

        response = client.get(link, follow=True)

        assert response.status_code == 200
        assert response.context["validlink"] is False
        content = response.content.decode()
        assert "Reset link not valid" in content
        assert f'href="{reverse("password_reset")}"' in content

    def test_tampered_link_shows_the_invalid_state(self, client, member):
        response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))

        assert response.status_code == 200
        assert "Reset link not valid" in response.content.decode()

    def test_unknown_address_sends_nothing_and_reveals_nothing(self, client, member, mailoutbox, request_reset):
        response = request_reset("nobody@example.org")

        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert mailoutbox == []

    def test_weak_new_password_is_refused(self, client, member, mailoutbox, request_reset):
        request_reset("mary@example.org")
        link = LINK.search(mailoutbox[0].body).group(1)
        set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

        response = client.post(set_password_url, {"new_password1": "12345678", "new_password2": "12345678"})

        assert response.status_code == 200
        codes = [error.code for error in response.context["form"].errors.as_data()["new_password2"]]
        assert "password_entirely_numeric" in codes
        member.refresh_from_db()
        assert not member.check_password("12345678")
