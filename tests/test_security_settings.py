"""Deployment settings and response headers: what `check --deploy` and a browser see."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "lostinnl.ca,www.lostinnl.ca",
    "HTTPS": "true",
}


def _clean_env(**values):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "SECURE_", "SESSION_", "CSRF_", "AXES_", "RATELIMIT"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "ADMIN_URL", "DATABASE_URL", "CACHE_URL"}
    }
    env.update(values)
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def _settings_in(env, expression):
    result = _manage(
        env, "shell", "-c", f"import json; from django.conf import settings; print(json.dumps({expression}))"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_production_values():
    result = _manage(_clean_env(**PRODUCTION_ENV), "check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_warns_without_the_https_switch():
    """The local profile (make run on plain HTTP) is knowingly not the production one."""
    env = _clean_env(**{**PRODUCTION_ENV, "HTTPS": "false"})
    result = _manage(env, "check", "--deploy")

    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W012" in result.stderr + result.stdout  # session cookie not Secure


def test_production_values_turn_on_every_tls_protection():
    values = _settings_in(
        _clean_env(**PRODUCTION_ENV),
        "[settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_HSTS_PRELOAD, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SAMESITE]",
    )

    assert values == [True, True, True, 31_536_000, True, True, True, "Lax", "Lax"]


def test_debug_toolbar_needs_debug_on_as_make_dev_sets_it():
    expression = '["debug_toolbar" in settings.INSTALLED_APPS, getattr(settings, "INTERNAL_IPS", [])]'

    assert _settings_in(_clean_env(**PRODUCTION_ENV, DEBUG_TOOLBAR="true"), expression) == [False, []]
    assert _settings_in(_clean_env(DEBUG="true", DEBUG_TOOLBAR="true"), expression) == [True, ["127.0.0.1", "::1"]]


def test_admin_path_comes_from_admin_url():
    env = _clean_env(**PRODUCTION_ENV, ADMIN_URL="back-office-7f3k")
    result = _manage(
        env,
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'), reverse('admin:login'))",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "/back-office-7f3k/",
        "/back-office-7f3k/login/",
    ]


def test_csp_allows_the_s3_bucket_for_images_only():
    env = _clean_env(**PRODUCTION_ENV, AWS_STORAGE_BUCKET_NAME="lostinnl-media", AWS_S3_REGION_NAME="ca-central-1")
    directives = _settings_in(env, "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']")

    assert directives["img-src"] == [
        "'self'",
        "data:",
        "https://lostinnl-media.s3.ca-central-1.amazonaws.com",
    ]
    assert directives["default-src"] == ["'self'"]
    assert directives.get("upgrade-insecure-requests") is True


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/listings/", "/accounts/login/", "/healthz", "/no-such-page/"])
def test_security_headers_on_every_answer(client, path):
    response = client.get(path)

    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["img-src"][:2] == ["'self'", "data:"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def _inline_code(html):
    """Inline scripts, event-handler attributes and style attributes: what the CSP blocks."""
    problems = []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        attributes, body = match.groups()
        if "src=" not in attributes and body.strip() and 'type="application/json"' not in attributes:
            problems.append(match.group(0)[:120])
    problems += re.findall(r"<[^>]+\son[a-z]+\s*=", html, flags=re.I)
    problems += re.findall(r"<[^>]+\sstyle\s*=", html, flags=re.I)
    return problems


@pytest.mark.django_db
def test_admin_works_under_the_csp(client, settings):
    staff = StaffFactory(is_superuser=True)
    login_page = client.get(reverse("admin:login"))
    assert login_page.status_code == 200
    assert _inline_code(login_page.content.decode()) == []

    client.force_login(staff)
    for url in (
        reverse("admin:index"),
        reverse("admin:listings_case_changelist"),
        reverse("admin:listings_case_add"),
        reverse("admin:accounts_user_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/listings/", "/resources/", "/contact/", "/accounts/login/", "/accounts/signup/"]
)
def test_public_pages_have_nothing_inline(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert _inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_log_in_works_over_plain_http_in_the_local_profile(client, settings):
    """`make run` serves http://127.0.0.1:8000 with DEBUG off: cookies must not require TLS there."""
    assert settings.SESSION_COOKIE_SECURE is False and settings.SECURE_SSL_REDIRECT is False
    user = UserFactory(password="correct-horse-battery")
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}, secure=False
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.get(reverse("accounts:submissions")).status_code == 200


@pytest.mark.django_db
def test_secure_cookies_when_https_is_on(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    user = UserFactory(password="correct-horse-battery")
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}, secure=True
    )

    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True
