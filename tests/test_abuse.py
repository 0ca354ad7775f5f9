"""Abuse: rate limits on what anyone can post, log-in lockout, the honeypot, length and upload limits."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import StaffFactory, UserFactory
from listings.forms import CaseSubmissionForm, ContactForm, TipForm
from listings.models import Case, ContactMessage, Photo, Tip
from listings.tests.factories import CaseFactory, jpeg_bytes, uploaded_jpeg
from listings.tests.helpers import submission_data
from project.forms import HONEYPOT_FIELD
from project.ratelimit import Rate, client_ip, hit

PASSWORD = "correct-horse-battery-staple"


# --- the rate-limit module ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [("10/h", Rate(10, 3600)), ("5/15m", Rate(5, 900)), ("1/s", Rate(1, 1)), ("100 / 2d", Rate(100, 172800))],
)
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "ten/h", "10/y", "10", "10/0m", "-1/h"])
def test_bad_rates_are_configuration_errors(text):
    with pytest.raises(ImproperlyConfigured):
        Rate.parse(text)


def test_counting_is_per_window_and_key():
    rate = Rate(2, 60)
    assert hit("t", "1.2.3.4", rate, now=120.0) == 0
    assert hit("t", "1.2.3.4", rate, now=130.0) == 0
    assert hit("t", "1.2.3.4", rate, now=150.0) == 31  # 30 s left in the window, plus one
    assert hit("t", "5.6.7.8", rate, now=150.0) == 0  # another client
    assert hit("u", "1.2.3.4", rate, now=150.0) == 0  # another form
    assert hit("t", "1.2.3.4", rate, now=181.0) == 0  # the next window


def test_a_broken_cache_lets_requests_through(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert hit("t", "1.2.3.4", Rate(1, 60)) == 0


def _request(remote_addr, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("remote", "headers", "expected"),
    [
        ("203.0.113.9", {}, "203.0.113.9"),
        # A client cannot choose its address by sending X-Forwarded-For itself.
        ("203.0.113.9", {"HTTP_X_FORWARDED_FOR": "10.0.0.1"}, "203.0.113.9"),
        ("203.0.113.9", {"HTTP_X_REAL_IP": "10.0.0.1"}, "203.0.113.9"),
        # Through Nginx on loopback: the address Nginx saw.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "198.51.100.7"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7"}, "198.51.100.7"),
        ("127.0.0.1", {"HTTP_X_REAL_IP": "198.51.100.7"}, "198.51.100.7"),
        # Gunicorn on a unix socket has no REMOTE_ADDR: only Nginx can reach it.
        ("", {"HTTP_X_FORWARDED_FOR": "2001:db8::5"}, "2001:db8::5"),
        ("", {"HTTP_X_FORWARDED_FOR": "not-an-address"}, "unknown"),
        ("127.0.0.1", {}, "127.0.0.1"),
    ],
)
def test_client_ip_trusts_forwarding_headers_only_from_a_trusted_proxy(remote, headers, expected):
    assert client_ip(_request(remote, **headers)) == expected


# --- rate limits through the views ---------------------------------------------------------------


def test_every_public_form_has_a_rate_limit(settings):
    for name in ("listings:case_tip", "listings:contact", "accounts:signup", "listings:submit"):
        assert Rate.parse(settings.RATELIMITS[name]).limit > 0


def _contact(client, **extra):
    data = {
        "name": "Sam",
        "email": "sam@example.org",
        "subject": "Hello",
        "message": "A question for the team.",
    }
    return client.post(reverse("listings:contact"), data, **extra)


@pytest.mark.django_db
def test_contact_over_the_limit_gets_a_friendly_429(client, settings):
    settings.RATELIMITS = {"listings:contact": "2/h"}
    assert _contact(client).status_code == 302
    assert _contact(client).status_code == 302

    response = _contact(client)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3601
    assert "Please wait a little" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()  # the site's own layout
    assert ContactMessage.objects.count() == 2
    # Reading the page is never limited; another address is not affected.
    assert client.get(reverse("listings:contact")).status_code == 200
    assert _contact(client, REMOTE_ADDR="198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_tip_over_the_limit_is_refused_and_not_stored(client, settings):
    settings.RATELIMITS = {"listings:case_tip": "1/m"}
    case = CaseFactory(published=True)
    url = reverse("listings:case_tip", kwargs={"slug": case.slug})
    data = {"message": "I saw him near the wharf on Monday evening."}
    assert client.post(url, data).status_code == 302

    response = client.post(url, data)

    assert response.status_code == 429
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_signup_over_the_limit_is_refused(client, settings):
    settings.RATELIMITS = {"accounts:signup": "1/h"}
    client.post(reverse("accounts:signup"), {"username": "a"})

    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "n@example.org",
            "password1": "Very-long-pass-91",
            "password2": "Very-long-pass-91",
        },
    )

    assert response.status_code == 429
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_submission_over_the_limit_is_refused(client, settings):
    settings.RATELIMITS = {"listings:submit": "1/h"}
    client.force_login(UserFactory())
    client.post(reverse("listings:submit"), submission_data(last_name="First"))

    response = client.post(
        reverse("listings:submit"), {**submission_data(last_name="Second"), "photos": [uploaded_jpeg()]}
    )

    assert response.status_code == 429
    assert not Case.objects.filter(last_name="Second").exists()


@pytest.mark.django_db
def test_limits_can_be_switched_off(client, settings):
    settings.RATELIMITS = {"listings:contact": "1/h"}
    settings.RATELIMIT_ENABLED = False
    for _ in range(3):
        assert _contact(client).status_code == 302


# --- log-in lockout --------------------------------------------------------------------------------


def _log_in(client, username, password, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_that_address_with_a_clear_message(client, settings):
    user = UserFactory(password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, user.username, "wrong").status_code == 200

    locked = _log_in(client, user.username, "wrong")

    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Log-in paused" in text and "too many unsuccessful attempts" in text
    assert "reset it by e-mail" in text
    # Even the right password is refused now, from this address.
    assert _log_in(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, settings):
    user, other = UserFactory(password=PASSWORD), UserFactory(password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, user.username, "wrong")

    # Another member from the same address, and the same member from elsewhere, still get in.
    assert _log_in(client, other.username, PASSWORD).status_code == 302
    client.logout()
    assert _log_in(client, user.username, PASSWORD, REMOTE_ADDR="198.51.100.30").status_code == 302


@pytest.mark.django_db
def test_success_before_the_limit_resets_the_count(client, settings):
    user = UserFactory(password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, user.username, "wrong")
    assert _log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, user.username, "wrong")
    assert _log_in(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_log_in_is_locked_out_too(client, settings):
    staff = StaffFactory(password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, staff.username, "wrong", url=url)

    response = _log_in(client, staff.username, PASSWORD, url=url)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_test_client_login_still_works():
    """Code that authenticates without a request (the test client, a shell) checks the password only."""
    from django.test import Client

    user = UserFactory(password=PASSWORD)
    assert Client().login(username=user.username, password=PASSWORD)
    assert not Client().login(username=user.username, password="wrong")


# --- the honeypot -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form_class", [TipForm, ContactForm])
def test_public_forms_render_the_honeypot_hidden_from_people(form_class):
    html = str(form_class())

    assert f'name="{HONEYPOT_FIELD}"' in html
    field = next(line for line in html.splitlines() if f'name="{HONEYPOT_FIELD}"' in line)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert 'class="hp-field" aria-hidden="true"' in html
    assert "style=" not in html


def test_the_site_css_hides_the_honeypot():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert ".hp-field" in css


@pytest.mark.django_db
def test_a_filled_honeypot_on_a_tip_stores_nothing(client):
    case = CaseFactory(published=True)
    response = client.post(
        reverse("listings:case_tip", kwargs={"slug": case.slug}),
        {"message": "Buy cheap watches at example.com today!", HONEYPOT_FIELD: "http://spam.example"},
    )

    assert response.status_code == 200
    assert Tip.objects.count() == 0
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["spam"]


@pytest.mark.django_db
def test_a_filled_honeypot_on_contact_stores_nothing(client):
    response = client.post(
        reverse("listings:contact"),
        {
            "name": "Bot",
            "email": "bot@example.org",
            "subject": "Hi",
            "message": "Visit my site.",
            HONEYPOT_FIELD: "x",
        },
    )

    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    assert HONEYPOT_FIELD not in response.context["form"].errors  # one generic message, not a field hint


@pytest.mark.django_db
def test_a_filled_honeypot_on_signup_creates_no_account(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "botty",
            "email": "botty@example.org",
            "password1": "Very-long-pass-91",
            "password2": "Very-long-pass-91",
            HONEYPOT_FIELD: "http://spam.example",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="botty").exists()


@pytest.mark.django_db
def test_an_empty_honeypot_is_fine(client):
    assert _contact(client).status_code == 302


# --- length, count and size limits -----------------------------------------------------------------


@pytest.mark.parametrize("form_class", [CaseSubmissionForm, TipForm, ContactForm])
def test_every_text_field_has_a_maximum_length(form_class):
    form = form_class()
    for name, field in form.fields.items():
        if hasattr(field, "max_length") and name != "photos":
            assert field.max_length, f"{form_class.__name__}.{name} has no maximum length"


def test_signup_fields_have_maximum_lengths():
    from accounts.forms import SignUpForm

    form = SignUpForm()
    for name in ("username", "email", "first_name", "last_name", HONEYPOT_FIELD):
        assert form.fields[name].max_length, name


@pytest.mark.django_db
def test_an_overlong_tip_is_refused(client):
    case = CaseFactory(published=True)
    response = client.post(reverse("listings:case_tip", kwargs={"slug": case.slug}), {"message": "x" * 5001})

    assert response.status_code == 200
    assert "message" in response.context["form"].errors
    assert Tip.objects.count() == 0


def _photos(count, **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(**kwargs), content_type="image/jpeg") for i in range(count)]


def test_too_many_photos_are_refused(settings):
    settings.PHOTO_MAX_PER_CASE = 3
    form = CaseSubmissionForm(data=submission_data(), files=_multi(_photos(4)))

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["photos"]] == ["too_many_photos"]


def test_photos_over_the_total_size_are_refused(settings):
    one = len(jpeg_bytes(size=(400, 300)))
    settings.SUBMISSION_MAX_UPLOAD_BYTES = one * 2 + 1
    form = CaseSubmissionForm(data=submission_data(), files=_multi(_photos(3, size=(400, 300))))

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["photos"]] == ["upload_too_large"]


def test_a_photo_over_the_single_file_limit_is_refused(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100
    form = CaseSubmissionForm(data=submission_data(), files=_multi(_photos(1)))

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["photos"]] == ["file_too_large"]


@pytest.mark.django_db
def test_nothing_is_stored_for_a_refused_submission(client, settings, tmp_path):
    settings.PHOTO_MAX_PER_CASE = 1
    client.force_login(UserFactory())
    response = client.post(reverse("listings:submit"), {**submission_data(), "photos": _photos(2)})

    assert response.status_code == 200
    assert Case.objects.count() == 0 and Photo.objects.count() == 0
    media = tmp_path / "media"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def _multi(files):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({"photos": files})


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["x" * 400, "🦞" * 300, ""])
def test_absurd_usernames_fail_to_log_in_cleanly(client, settings, username):
    """django-axes records the attempted username; one longer than its column must not be a 500 on MySQL."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = _log_in(client, username, "wrong")
        assert response.status_code in (200, 429)


# --- the default cache is shared between processes -----------------------------------------------

COUNT_FIVE_HITS = """
import django
django.setup()
from project.ratelimit import Rate, hit
print(sum(hit("listings:case_tip", "198.51.100.7", Rate(10, 3600)) == 0 for _ in range(5)))
"""


def test_rate_limits_hold_across_processes_with_the_default_configuration(tmp_path):
    """Three processes, as three Gunicorn workers, post five tips each at once against a limit of 10: 10 pass."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    environment = {name: value for name, value in os.environ.items() if name != "CACHE_URL"}
    environment |= {"CACHE_DIR": str(tmp_path / "cache"), "DJANGO_SETTINGS_MODULE": "project.settings"}
    workers = [
        subprocess.Popen(  # noqa: S603 (this interpreter, a fixed script)
            [sys.executable, "-c", COUNT_FIVE_HITS], cwd=settings.BASE_DIR, env=environment, stdout=subprocess.PIPE
        )
        for _ in range(3)
    ]
    allowed = [int(worker.communicate(timeout=60)[0]) for worker in workers]

    assert sum(allowed) == 10, allowed


def test_a_counter_keeps_its_expiry_when_counted(settings):
    """Django's file cache resets an entry to the default timeout (300 s) on incr: a window would never end."""
    import time

    from django.core.cache import cache

    cache.add("counter", 0, timeout=1)
    assert cache.incr("counter") == 1
    time.sleep(1.2)

    assert cache.get("counter") is None
    with pytest.raises(ValueError):
        cache.incr("counter")
