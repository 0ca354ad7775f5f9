import pytest
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # UserFactory's password


class TestLogin:
    def test_page_links_to_sign_up_and_password_reset(self, client):
        response = client.get(reverse("login"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "<h1>Log in</h1>" in content
        assert f'href="{reverse("accounts:signup")}"' in content
        assert f'href="{reverse("password_reset")}"' in content

    def test_sign_up_link_keeps_next(self, client):
        response = client.get(reverse("login"), {"next": "/submit/"})

        content = response.content.decode()
        assert f'href="{reverse("accounts:signup")}?next=/submit/"' in content
        assert 'name="next" value="/submit/"' in content

    def test_login_goes_to_my_submissions(self, client, member):
        response = client.post(reverse("login"), {"username": "mary", "password": PASSWORD})

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:submissions")
        assert client.session["_auth_user_id"] == str(member.pk)

    def test_login_follows_next(self, client, member):
        response = client.post(reverse("login"), {"username": "mary", "password": PASSWORD, "next": "/submit/"})

        assert response["Location"] == "/submit/"

    def test_wrong_password_is_refused_with_a_message(self, client, member):
        response = client.post(reverse("login"), {"username": "mary", "password": "not-it"})

        assert response.status_code == 200
        assert response.context["form"].has_error("__all__", code="invalid_login")
        assert "Please enter a correct username and password" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_inactive_member_cannot_log_in(self, client):
        UserFactory(username="gone", is_active=False)

        response = client.post(reverse("login"), {"username": "gone", "password": PASSWORD})

        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


class TestLogout:
    def test_logout_by_post_ends_the_session(self, client, member):
        client.force_login(member)

        response = client.post(reverse("logout"))

        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_logout_by_get_is_refused(self, client, member):
        client.force_login(member)

        response = client.get(reverse("logout"))

        assert response.status_code == 405
        assert client.session["_auth_user_id"] == str(member.pk)


class TestPasswordChange:
    def test_requires_login(self, client):
        response = client.get(reverse("password_change"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_member_changes_their_password(self, client, member):
        client.force_login(member)
        new_password = "quiet-fjord-morning-77"

        page = client.get(reverse("password_change"))
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        )

        assert page.status_code == 200
        assert "<h1>Change your password</h1>" in page.content.decode()
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change_done")
        member.refresh_from_db()
        assert member.check_password(new_password)
        # The session survives the change.
        done = client.get(reverse("password_change_done"))
        assert done.status_code == 200
        assert "Password changed" in done.content.decode()

    def test_wrong_old_password_is_refused(self, client, member):
        client.force_login(member)

        response = client.post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "quiet-fjord-77", "new_password2": "quiet-fjord-77"},
        )

        assert response.status_code == 200
        assert response.context["form"].has_error("old_password", code="password_incorrect")
        member.refresh_from_db()
        assert member.check_password(PASSWORD)


def test_login_page_names_the_site_not_the_host(client):
    response = client.get("/accounts/login/")

    page = response.content.decode()
    assert "<title>Log in · LostInNL</title>" in page
    assert "testserver" not in page


def test_sent_from_submit_the_page_says_why(client):
    response = client.get(reverse("login"), {"next": reverse("listings:submit")})

    assert "Log in or sign up to submit a case." in response.content.decode()
    assert "Log in or sign up to submit a case." not in client.get(reverse("login")).content.decode()
