"""The admin asks staff for a second factor when HTTPS is on; the local demo (HTTPS off) needs the password only."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def moderator():
    return StaffFactory(username="moderator1", password=PASSWORD)


def _enrol(user):
    out = io.StringIO()
    call_command("enrol_2fa", user.username, stdout=out)
    return out.getvalue()


def _current_code(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _log_in(client, user, code=""):
    return client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD, "otp_token": code}
    )


def test_with_https_a_password_alone_does_not_open_the_admin(client, settings, moderator):
    settings.HTTPS = True
    _enrol(moderator)

    _log_in(client, moderator)
    client.force_login(moderator)
    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_with_https_the_authenticator_code_opens_the_admin(client, settings, moderator):
    settings.HTTPS = True
    _enrol(moderator)

    response = _log_in(client, moderator, _current_code(moderator))

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, settings, moderator):
    settings.HTTPS = True
    _enrol(moderator)

    response = _log_in(client, moderator, "000000" if _current_code(moderator) != "000000" else "111111")

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client, settings, moderator):
    settings.HTTPS = True
    _enrol(moderator)
    code = StaticToken.objects.filter(device__user=moderator).first().token

    assert _log_in(client, moderator, code).status_code == 302
    client.logout()
    assert _log_in(client, moderator, code).status_code == 200


def test_without_https_the_local_demo_needs_the_password_only(client, settings, moderator):
    settings.HTTPS = False

    response = _log_in(client, moderator)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrolment_prints_the_key_and_ten_recovery_codes_and_replaces_the_old_ones(moderator):
    first = _enrol(moderator)
    second = _enrol(moderator)

    assert "otpauth://totp/" in second and "issuer=LostInNL" in second
    assert len(second.split("Recovery codes (each works once): ")[1].split()) == 10
    assert TOTPDevice.objects.filter(user=moderator).count() == 1
    assert StaticToken.objects.filter(device__user=moderator).count() == 10
    assert first != second


def test_only_staff_can_be_enrolled():
    with pytest.raises(CommandError, match="not staff"):
        _enrol(UserFactory())


def test_with_https_the_log_in_page_asks_for_the_code(client, settings):
    settings.HTTPS = True

    content = client.get("/admin/login/").content.decode()

    assert 'name="otp_token"' in content
