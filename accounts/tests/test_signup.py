import pytest
from django.contrib.auth import get_user_model
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

    def test_sign_up_creates_the_member_and_logs_them_in(self, client):
        response = client.post(reverse("accounts:signup"), signup_data())

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:submissions")
        user = User.objects.get(username="newmember")
        assert user.email == "new.member@example.org"
        assert user.check_password(PASSWORD)
        assert not user.is_staff
        assert client.session["_auth_user_id"] == str(user.pk)
        # The next request finds the member again (the session names the site's backend).
        assert client.get(reverse("accounts:submissions")).status_code == 200

    def test_names_are_optional_and_kept_when_given(self, client):
        client.post(reverse("accounts:signup"), signup_data(first_name="Mary", last_name="Walsh"))

        user = User.objects.get(username="newmember")
        assert (user.first_name, user.last_name) == ("Mary", "Walsh")

    def test_sign_up_follows_a_safe_next(self, client):
        response = client.post(reverse("accounts:signup"), signup_data(next="/submit/"))

        assert response["Location"] == "/submit/"

    def test_sign_up_ignores_an_offsite_next(self, client):
        response = client.post(reverse("accounts:signup"), signup_data(next="https://evil.example/"))

        assert response["Location"] == reverse("accounts:submissions")

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

    def test_duplicate_email_whatever_its_case(self, client):
        UserFactory(username="existing", email="Mary.Walsh@Example.org")

        form, content = self.post_invalid(client, email="mary.walsh@example.ORG")

        assert error_codes(form, "email") == ["duplicate_email"]
        assert "An account with this e-mail address already exists" in content
        assert User.objects.filter(email__iexact="mary.walsh@example.org").count() == 1

    def test_duplicate_username_whatever_its_case(self, client):
        UserFactory(username="newmember")

        form, _ = self.post_invalid(client, username="NewMember")

        assert error_codes(form, "username") == ["unique"]
        assert User.objects.filter(username__iexact="newmember").count() == 1

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

    def test_rejects_duplicate_email_with_a_code(self):
        UserFactory(email="taken@example.org")

        form = SignUpForm(data=signup_data(email="TAKEN@example.org"))

        assert not form.is_valid()
        assert form.has_error("email", code="duplicate_email")


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
    def test_a_username_that_looks_like_an_existing_one_is_refused(self, client, username):
        UserFactory(username="moderator")

        response = client.post(reverse("accounts:signup"), signup_data(username=username))

        assert response.status_code == 200
        assert set(error_codes(response.context["form"], "username")) & {"confusable_username", "unique"}
        assert User.objects.count() == 1

    def test_one_and_l_and_i_read_as_the_same_letter(self, client):
        UserFactory(username="admin1")

        response = client.post(reverse("accounts:signup"), signup_data(username="AdminI"))

        assert error_codes(response.context["form"], "username") == ["confusable_username"]

    @pytest.mark.parametrize("username", ["Zoë", "Дмитрий", "李华", "sean.obrien", "mary_walsh2"])
    def test_a_username_in_one_alphabet_is_accepted(self, client, username):
        response = client.post(reverse("accounts:signup"), signup_data(username=username))

        assert response.status_code == 302
        assert User.objects.filter(username=username).exists()
