"""Failures: the database going away and coming back, the media storage failing, atomic state changes.

The outage test is real: Gunicorn (deploy/gunicorn.conf.py) runs the site on a
MariaDB database reached through a small TCP proxy started here, and stopping
the proxy is the database going away, with the connections Gunicorn holds cut.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db.utils import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import StaffFactory, UserFactory
from listings import moderation
from listings.models import AuditEntry, Case, Photo, ReviewState
from listings.tests.factories import CaseFactory, uploaded_jpeg
from listings.tests.helpers import fail_storage_after, submission_data
from project.errors import server_error
from project.middleware import database_unavailable_response
from tests.tools import require_tool

REPO = Path(__file__).resolve().parent.parent
MARIADB = ("127.0.0.1", 3306)


# --- in-process: what the answer looks like ---------------------------------------------------------


def _database_down(*args, **kwargs):
    raise OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1' (111)")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/listings/", "/listings/?q=gander", "/resources/", "/accounts/login/"])
def test_pages_answer_a_styled_503_when_queries_fail(client, monkeypatch, path):
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", _database_down)

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "briefly unavailable" in html
    assert "css/site.css" in html  # styled like the site
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_healthz_fails_when_queries_fail(client, monkeypatch):
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", _database_down)

    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_the_503_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = database_unavailable_response()

    assert response.status_code == 503


def test_the_503_page_is_in_the_visitors_language_even_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("templates unreadable")

    monkeypatch.setattr("project.middleware.render_to_string", broken)
    with translation.override("fr"):
        response = database_unavailable_response()

    html = response.content.decode()
    assert response.status_code == 503 and '<html lang="fr">' in html
    assert "Le registre est brièvement indisponible" in html and "911" in html


def test_a_database_error_outside_a_view_is_a_503_too():
    """Errors in middleware (the session being saved, say) reach handler500."""
    request = RequestFactory().get("/")
    try:
        raise OperationalError(2013, "Lost connection to MySQL server during query")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert f"<span>{settings.SITE_NAME}</span>" in response.content.decode()


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_is_a_503(monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", _database_down)
    user = UserFactory(password="correct-horse-battery-staple")

    response = client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery-staple"})

    assert response.status_code == 503


# --- for real: Gunicorn, MariaDB and a proxy that can be stopped -------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; stop() closes the port and cuts every open connection."""

    def __init__(self, target):
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._sockets, self._lock, self._thread, self._running = set(), threading.Lock(), None, False

    def start(self):
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self.port))
        self._server.listen(64)
        self._server.settimeout(0.05)
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def stop(self):
        self._running = False
        self._thread.join(timeout=5)
        with self._lock:
            for sock in list(self._sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def _accept(self):
        while self._running:
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()
        self._server.close()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _mariadb_admin(sql):
    import MySQLdb

    connection = MySQLdb.connect(host=MARIADB[0], port=MARIADB[1], user="root", connect_timeout=2)
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def outage_site(tmp_path_factory):
    try:
        socket.create_connection(MARIADB, timeout=2).close()
        listening = True
    except OSError:
        listening = False
    require_tool(listening, "MariaDB is not listening on 127.0.0.1:3306; the outage test needs it")
    tmp = tmp_path_factory.mktemp("outage")
    database = "lostinnl_outage_" + uuid.uuid4().hex[:10]
    _mariadb_admin(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    proxy = TcpProxy(MARIADB)
    proxy.start()
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "GUNICORN_", "DATABASE_", "SECURE_"))
        and key not in {"DEBUG", "HTTPS", "WEB_CONCURRENCY", "PORT", "STATIC_ROOT", "MEDIA_ROOT", "CACHE_URL"}
    }
    env.update(
        SECRET_KEY="outage-test-" + uuid.uuid4().hex,
        DATABASE_URL=f"mysql://root@127.0.0.1:{proxy.port}/{database}",
        ALLOWED_HOSTS="127.0.0.1",
        MEDIA_ROOT=str(tmp / "media"),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG=str(tmp / "access.log"),
        GUNICORN_ERROR_LOG=str(tmp / "error.log"),
        # Every request must reach the database here: pages cached before the outage would hide it.
        PAGE_CACHE_SECONDS="0",
    )
    gunicorn = None
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(REPO / "deploy" / "gunicorn.conf.py")],
            cwd=tmp,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # workers still booting
                pass
            assert time.monotonic() < deadline, (tmp / "error.log").read_text()
            time.sleep(0.2)
        yield url, proxy
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, 9)
        proxy.stop()
        _mariadb_admin(f"DROP DATABASE IF EXISTS `{database}`")


OUTAGE_PATHS = ["/", "/listings/", "/listings/?q=gander&region=avalon", "/resources/", "/listings/feed/"]


def test_database_outage_answers_503_fast_and_recovers_without_restart(outage_site):
    url, proxy = outage_site
    session = requests.Session()
    for path in [*OUTAGE_PATHS, "/accounts/login/"]:
        assert session.get(url + path, timeout=10).status_code == 200, path

    proxy.stop()
    try:
        for path in [*OUTAGE_PATHS, *OUTAGE_PATHS]:  # every worker, twice
            started = time.monotonic()
            response = session.get(url + path, timeout=10)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, (path, response.status_code)
            assert elapsed < 1.0, f"{path} took {elapsed:.2f} s"
            assert "briefly unavailable" in response.text
            assert response.headers["Retry-After"]
        # The log-in form itself reads nothing from the database; logging in does, and says so.
        login = session.post(
            f"{url}/accounts/login/",
            data={"username": "mary", "password": "x", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{url}/accounts/login/"},
            timeout=10,
        )
        assert login.status_code == 503, login.status_code
        assert "briefly unavailable" in login.text
        started = time.monotonic()
        health = session.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 503
        assert time.monotonic() - started < 1.0
    finally:
        proxy.start()

    # Back: the same Gunicorn workers answer again, nothing restarted.
    for path in [*OUTAGE_PATHS, *OUTAGE_PATHS, "/healthz"]:
        assert session.get(url + path, timeout=10).status_code == 200, path


# --- the media storage failing during a submission -------------------------------------------------


@pytest.mark.django_db
def test_storage_failure_during_submission_leaves_nothing_and_says_so(client, monkeypatch, tmp_path):
    # The first photo is stored, the second fails half-way.
    calls = fail_storage_after(monkeypatch, 2, OSError(28, "No space left on device"))
    client.force_login(UserFactory())

    response = client.post(
        reverse("listings:submit"), {**submission_data(), "photos": [uploaded_jpeg("a.jpg"), uploaded_jpeg("b.jpg")]}
    )

    assert response.status_code == 200
    assert "could not store your photos" in response.content.decode()
    assert Case.objects.count() == 0 and Photo.objects.count() == 0 and AuditEntry.objects.count() == 0
    media = tmp_path / "media"
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []
    assert len(calls) == 3


# --- every state change is atomic with its audit row ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "factory_kwargs", "field", "before"),
    [
        (moderation.publish, {}, "review_state", ReviewState.PENDING),
        (moderation.reject, {}, "review_state", ReviewState.PENDING),
        (moderation.mark_found, {"published": True}, "case_status", "missing"),
    ],
)
def test_a_state_change_without_its_audit_row_does_not_happen(monkeypatch, change, factory_kwargs, field, before):
    case = CaseFactory(**factory_kwargs)
    staff = StaffFactory()
    entries = AuditEntry.objects.count()

    def audit_fails(*args, **kwargs):
        raise OperationalError(1205, "Lock wait timeout exceeded")

    monkeypatch.setattr(moderation, "record", audit_fails)
    with pytest.raises(OperationalError):
        change(case, by=staff)

    case.refresh_from_db()
    assert getattr(case, field) == before
    assert AuditEntry.objects.count() == entries
