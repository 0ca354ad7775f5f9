import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.forms import SignUpForm

from .factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "tidal-harbour-lantern-42"


def signup_data(**overrides):
    return {
        "username": "newmember",
        "email": "new.member@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


@pytest.fixture
def signed_up(django_capture_on_commit_callbacks):
    """Post the sign-up form and send what it queues, as the task queue would once it commits."""

    def post(client, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:signup"), signup_data(**overrides))

    return post


def _link(message):
    """The path of the confirmation link in `message`."""
    return "/" + re.search(r"https?://[^/\s]+/(\S*accounts/verify/\S+/)", message.body).group(1)


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


class TestSignUpPage:
    def test_page_explains_why_an_account_is_needed(self, client):
        response = client.get(reverse("accounts:signup"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "<h1>Sign up</h1>" in content
        assert "submit a case" in content
        assert "never shown on the site" in content
        for name in ("username", "email", "password1", "password2"):
            assert f'name="{name}"' in content

    def test_sign_up_creates_an_unverified_member_and_e_mails_a_link(self, client, signed_up):
        response = signed_up(client)

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:signup_sent")
        user = User.objects.get(username="newmember")
        assert user.email == "new.member@example.org"
        assert user.check_password(PASSWORD)
        assert not user.is_staff and not user.email_verified
        assert "_auth_user_id" not in client.session
        (message,) = mail.outbox
        assert message.to == ["new.member@example.org"]
        assert "Confirm your e-mail address" in message.subject

    def test_the_link_confirms_the_address(self, client, signed_up):
        signed_up(client)

        response = client.get(_link(mail.outbox[0]))

        assert response.status_code == 302
        assert User.objects.get(username="newmember").email_verified

    def test_a_tampered_or_expired_link_confirms_nothing(self, client, signed_up, settings):
        signed_up(client)
        link = _link(mail.outbox[0])

        assert client.get(link[:-3] + "abc/").status_code == 400
        settings.EMAIL_VERIFICATION_DAYS = -1
        assert client.get(link).status_code == 400
        assert not User.objects.get(username="newmember").email_verified

    def test_names_are_optional_and_kept_when_given(self, client):
        client.post(reverse("accounts:signup"), signup_data(first_name="Mary", last_name="Walsh"))

        user = User.objects.get(username="newmember")
        assert (user.first_name, user.last_name) == ("Mary", "Walsh")

    def test_signed_in_member_is_sent_on(self, client):
        client.force_login(UserFactory())

        response = client.get(reverse("accounts:signup"))

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:submissions")


class TestSignUpRejects:
    def post_invalid(self, client, **overrides):
        """Post a sign-up that must be refused: no account created, no one logged in."""
        members_before = User.objects.count()
        response = client.post(reverse("accounts:signup"), signup_data(**overrides))
        assert response.status_code == 200
        assert User.objects.count() == members_before
        assert "_auth_user_id" not in client.session
        return response.context["form"], response.content.decode()

    def test_mismatched_passwords(self, client):
        form, content = self.post_invalid(client, password2="another-password-entirely")

        assert error_codes(form, "password2") == ["password_mismatch"]
        assert "didn’t match" in content

    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("short7x", "password_too_short"),
            ("password123", "password_too_common"),
            ("8404938475920", "password_entirely_numeric"),
            ("newmember-x", "password_too_similar"),
        ],
    )
    def test_weak_password(self, client, password, code):
        form, _ = self.post_invalid(client, password1=password, password2=password)

        assert code in error_codes(form, "password2")

    @pytest.mark.parametrize("email", ["not-an-address", "someone@", "@example.org", "a b@example.org"])
    def test_bad_email(self, client, email):
        form, content = self.post_invalid(client, email=email)

        assert error_codes(form, "email") == ["invalid"]
        assert "Enter a valid email address." in content

    def test_missing_email(self, client):
        form, _ = self.post_invalid(client, email="")

        assert error_codes(form, "email") == ["required"]

    def test_errors_are_tied_to_their_fields_for_assistive_technology(self, client):
        _, content = self.post_invalid(client, email="not-an-address")

        assert 'aria-invalid="true"' in content
        assert 'id="id_email_error"' in content

    def test_filled_honeypot_creates_no_account(self, client):
        form, _ = self.post_invalid(client, website="https://spam.example/")

        assert form.has_error("__all__", code="spam")


class TestSignUpForm:
    def test_email_domain_is_normalised(self):
        form = SignUpForm(data=signup_data(email="  Someone@EXAMPLE.org "))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["email"] == "Someone@example.org"


class TestUsernamesThatPassForSomeoneElse:
    @pytest.mark.parametrize(
        "username",
        ["moder\u0430tor", "\u0440aypal", "adm\u0456n", "\u03bfperator"],  # Cyrillic а, р, і; Greek ο
    )
    def test_a_username_mixing_alphabets_is_refused(self, client, username):
        response = client.post(reverse("accounts:signup"), signup_data(username=username))

        assert response.status_code == 200
        assert error_codes(response.context["form"], "username") == ["mixed_scripts"]
        assert not User.objects.filter(username=username).exists()

    @pytest.mark.parametrize("username", ["Moderat0r", "mödérator", "moderatoR", "m0derat0r", "ｍｏｄｅｒａｔｏｒ"])  # noqa: RUF001
    def test_a_username_that_looks_like_an_existing_one_is_refused_by_e_mail(self, client, signed_up, username):
        UserFactory(username="moderator")

        response = signed_up(client, username=username)

        assert response["Location"] == reverse("accounts:signup_sent")
        assert User.objects.count() == 1
        (message,) = mail.outbox
        assert message.to == ["new.member@example.org"] and "Choose another username" in message.subject

    def test_one_and_l_and_i_read_as_the_same_letter(self, client, signed_up):
        UserFactory(username="admin1")

        signed_up(client, username="AdminI")

        assert not User.objects.filter(username="AdminI").exists()
        assert "Choose another username" in mail.outbox[0].subject

    @pytest.mark.parametrize("username", ["Zoë", "Дмитрий", "李华", "sean.obrien", "mary_walsh2"])
    def test_a_username_in_one_alphabet_is_accepted(self, client, username):
        response = client.post(reverse("accounts:signup"), signup_data(username=username))

        assert response.status_code == 302
        assert User.objects.filter(username=username).exists()


class TestNoOneLearnsWhoHasAnAccount:
    def test_a_known_address_gets_the_same_answer_and_its_owner_is_told(self, client, signed_up):
        UserFactory(username="existing", email="Mary.Walsh@Example.org")

        response = signed_up(client, email="mary.walsh@example.ORG")

        assert response["Location"] == reverse("accounts:signup_sent")
        assert User.objects.filter(email__iexact="mary.walsh@example.org").count() == 1
        assert not User.objects.filter(username="newmember").exists()
        (message,) = mail.outbox
        assert message.to == ["Mary.Walsh@Example.org"]
        assert "Someone tried to sign up" in message.subject and "/accounts/password_reset/" in message.body

    def test_a_taken_username_gets_the_same_answer_and_the_address_is_told(self, client, signed_up):
        UserFactory(username="newmember", email="first@example.org")

        response = signed_up(client, username="NewMember")

        assert response["Location"] == reverse("accounts:signup_sent")
        assert User.objects.filter(username__iexact="newmember").count() == 1
        (message,) = mail.outbox
        assert message.to == ["new.member@example.org"] and "“NewMember”" in message.body

    def test_the_pages_are_the_same_byte_for_byte(self, client, signed_up):
        UserFactory(username="existing", email="known@example.org")

        answers = [
            signed_up(Client(), email="known@example.org", username="fresh1"),
            signed_up(Client(), email="unknown@example.org", username="existing"),
            signed_up(Client(), email="another@example.org", username="fresh2"),
        ]

        assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, "/accounts/signup/sent/")}
        pages = {Client().get(answer["Location"]).content for answer in answers}
        assert len(pages) == 1


class TestOnlyAConfirmedAddressMaySubmit:
    def test_an_unconfirmed_member_is_asked_to_confirm_first(self, client):
        member = UserFactory(email_verified=False)
        client.force_login(member)

        response = client.get(reverse("listings:submit"))

        assert response.status_code == 403
        assert "Confirm your e-mail address first" in response.content.decode()

    def test_the_link_can_be_sent_again_and_opens_the_submit_page(self, client, django_capture_on_commit_callbacks):
        member = UserFactory(email_verified=False)
        client.force_login(member)

        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:resend_verification"))
        client.get(_link(mail.outbox[0]))

        assert client.get(reverse("listings:submit")).status_code == 200
