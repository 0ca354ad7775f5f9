"""Operators hear about errors: a 500 reaches ADMINS and Sentry; logs are JSON lines with UTC time and a request id."""

import gzip
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.test import Client

from accounts.tests.factories import UserFactory
from listings.views import HomeView

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_home_page(monkeypatch):
    def fail(self, **kwargs):
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(HomeView, "get_context_data", fail)


@pytest.fixture
def json_log():
    """The lines the configured console handler writes, through its own formatter and filters."""
    (console,) = [handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler]
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(console.formatter)
    for log_filter in console.filters:
        capture.addFilter(log_filter)
    logging.getLogger().addHandler(capture)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(capture)


def test_a_server_error_is_mailed_to_admins(settings, broken_home_page):
    settings.ADMINS = [("Operators", "ops@example.org")]

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "Internal Server Error: /" in message.subject
    assert "the home page broke" in message.body


def test_log_lines_are_json_with_utc_time_and_the_request_id(client, json_log, broken_home_page):
    missing = client.get("/no-such-page/")
    failed = Client(raise_request_exception=False).get("/", headers={"X-Request-ID": "nginx-0123456789abcdef"})

    not_found, error = [line for line in json_log() if line["logger"] == "django.request"]
    assert not_found["level"] == "WARNING" and "Not Found: /no-such-page/" in not_found["message"]
    assert not_found["request_id"] == missing["X-Request-ID"] and len(missing["X-Request-ID"]) == 32
    assert not_found["time"].endswith("+00:00") and not_found["time"][10] == "T"
    assert error["level"] == "ERROR" and error["request_id"] == failed["X-Request-ID"] == "nginx-0123456789abcdef"
    assert "RuntimeError: the home page broke" in error["exc_info"]


def test_a_request_id_that_is_not_plausible_is_replaced(client):
    response = client.get("/no-such-page/", headers={"X-Request-ID": 'x" injected=1'})

    assert response["X-Request-ID"] != 'x" injected=1' and len(response["X-Request-ID"]) == 32


class _Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    import sentry_sdk

    from project.observability import init_sentry

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.received = []
    init_sentry(f"http://publickey@127.0.0.1:{server.server_address[1]}/1", environment="test")
    yield _Collector.received
    sentry_sdk.flush(timeout=5)
    sentry_sdk.init()  # no DSN: the client is off again for the rest of the run
    server.shutdown()
    server.server_close()


def test_a_server_error_reaches_sentry_without_personal_data(sentry_server, broken_home_page):
    import sentry_sdk

    member = UserFactory(email="family.member@example.org", username="family-member")
    browser = Client(raise_request_exception=False)
    browser.force_login(member)
    session = browser.cookies["sessionid"].value

    assert browser.get("/?q=secret-search", REMOTE_ADDR="203.0.113.77").status_code == 500
    sentry_sdk.flush(timeout=5)

    sent = "\n".join(sentry_server)
    assert "the home page broke" in sent and "RuntimeError" in sent
    for personal in ("family.member@example.org", "family-member", session, "203.0.113.77"):
        assert personal not in sent, personal
