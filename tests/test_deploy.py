"""The shipped serving stack, run on loopback: Nginx (deploy/nginx) in front of
Gunicorn (deploy/gunicorn.conf.py) in front of the application.

One stack is started for the module in a temporary folder: a SQLite database
that `migrate` prepares, `collectstatic` output, local media, a self-signed
certificate, Gunicorn on a unix socket and Nginx on free 127.0.0.1 ports with
the site file written out by deploy/nginx/render.py. Every request goes
through Nginx, as on the production host.
"""

import importlib.util
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.tools import require_tool

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
PASSWORD = "loopback-Password-9431"


def _load_loopback():
    # deploy/ is not a package: its scripts run with the host's python3.
    spec = importlib.util.spec_from_file_location("nginx_loopback", DEPLOY / "nginx" / "loopback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _plain_get(url, **kwargs):
    with requests.Session() as session:
        session.trust_env = False
        return session.get(url, **kwargs)


class Stack:
    """The running stack as the tests use it."""

    def __init__(self, env, served):
        self.env = env
        self.tmp, self.cert, self.gunicorn = served.prefix, served.certificate, served.gunicorn
        self.http_url, self.https_url = served.http_url, served.https_url

    def session(self):
        session = requests.Session()
        # Only this stack's certificate, and no proxy or CA bundle from the environment.
        session.trust_env = False
        session.verify = str(self.cert)
        return session

    def query(self, python):
        """The last line `python` prints, run by `manage.py shell` against this stack's database."""
        return _manage(self.env, "shell", "--no-imports", "-c", python).strip().splitlines()[-1]

    def log(self, name):
        path = self.tmp / name
        return path.read_text() if path.exists() else ""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_tool(shutil.which("nginx"), "nginx is not installed (apt-get install nginx); the loopback test needs it")
    require_tool(
        shutil.which("openssl"), "openssl is not installed (apt-get install openssl); it makes the certificate"
    )
    tmp = tmp_path_factory.mktemp("stack")
    loopback = _load_loopback()
    env = loopback.environment(tmp, WEB_CONCURRENCY="2", PYTHONUNBUFFERED="1")
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    _manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        # Verified, as a member must be to submit a case.
        f"get_user_model().objects.create_user('loopback', 'loopback@example.org', {PASSWORD!r}, email_verified=True)",
    )
    with loopback.serve(tmp, env) as served:
        yield Stack(env, served)


def _jpeg_bytes(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (70, 110, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _logged_in_session(stack):
    session = stack.session()
    login_url = f"{stack.https_url}/accounts/login/"
    session.get(login_url, timeout=10).raise_for_status()
    response = session.post(
        login_url,
        data={
            "username": "loopback",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, f"log-in failed with {response.status_code}"
    return session


PUBLIC_PAGES = ["/", "/healthz", "/listings/", "/resources/", "/contact/", "/accounts/login/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_answer_through_nginx(stack, path):
    response = stack.session().get(f"{stack.https_url}{path}", timeout=10)

    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"


def test_plain_http_is_redirected_to_https(stack):
    response = _plain_get(f"{stack.http_url}/listings/?q=gander", allow_redirects=False, timeout=10)

    assert response.status_code == 301
    https_for_address = stack.https_url.replace("localhost", "127.0.0.1")
    assert response.headers["Location"] == f"{https_for_address}/listings/?q=gander"


def test_unknown_host_names_get_no_answer(stack):
    with pytest.raises(requests.ConnectionError):
        _plain_get(f"{stack.http_url}/", headers={"Host": "attacker.example"}, timeout=10)


def test_hashed_static_file_is_served_by_nginx_compressed_and_immutable(stack):
    manifest = json.loads((stack.tmp / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert (stack.tmp / "static" / f"{hashed}.gz").exists(), "collectstatic made no .gz copy"

    response = stack.session().get(
        f"{stack.https_url}/static/{hashed}", headers={"Accept-Encoding": "gzip"}, timeout=10
    )

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Content-Type"].startswith("text/css")
    assert "#header" in response.text  # decompressed, it is the real stylesheet
    assert hashed not in stack.log("gunicorn-access.log"), "Gunicorn served a static file"


def test_unhashed_static_file_is_cached_briefly(stack):
    response = stack.session().get(f"{stack.https_url}/static/admin/css/base.css", timeout=10)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_photo_upload_through_nginx_creates_a_pending_case(stack):
    session = _logged_in_session(stack)
    submit_url = f"{stack.https_url}/submit/"
    assert session.get(submit_url, timeout=10).status_code == 200
    last_name = "Loopback" + uuid.uuid4().hex[:8]

    response = session.post(
        submit_url,
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "first_name": "Test",
            "last_name": last_name,
            "age_at_disappearance": "34",
            "sex": "female",
            "last_seen_date": "2024-05-01",
            "last_seen_place": "Gander",
            "region": "central",
            "circumstances": "Submitted by the loopback deployment test.",
        },
        files=[("photos", ("photo.jpg", _jpeg_bytes(), "image/jpeg"))],
        headers={"Referer": submit_url},
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 302, response.text[:2000]
    counts = stack.query(
        "from listings.models import Case; "
        f"case = Case.objects.get(last_name={last_name!r}); "
        "print(case.review_state, case.photos.count())"
    )
    assert counts == "pending 1"


def test_upload_over_the_limit_gets_the_friendly_413_page(stack):
    too_large = b"\0" * (27 * 1024 * 1024)
    access_log_before = stack.log("gunicorn-access.log")

    response = stack.session().post(
        f"{stack.https_url}/submit/",
        files=[("photos", ("huge.jpg", too_large, "image/jpeg"))],
        timeout=60,
    )

    assert response.status_code == 413
    assert "too large" in response.text
    assert "no-store" in response.headers["Cache-Control"]
    # Refused by Nginx before any byte reached the application.
    assert "POST /submit/" not in stack.log("gunicorn-access.log")[len(access_log_before) :]


def _post_admin_login(stack, headers):
    session = stack.session()
    url = f"{stack.https_url}/admin/login/"
    session.get(url, timeout=10).raise_for_status()
    return session.post(
        url,
        data={"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def test_request_marked_https_by_nginx_is_secure_in_django(stack):
    # Django accepts an Origin only when it equals scheme://host as Django sees
    # them, so accepting https://... means the request counted as secure.
    assert _post_admin_login(stack, {"Origin": stack.https_url}).status_code == 200
    assert _post_admin_login(stack, {"Origin": stack.https_url.replace("https:", "http:")}).status_code == 403
    # Without an Origin, only a secure request demands a Referer.
    assert _post_admin_login(stack, {}).status_code == 403


def test_client_cannot_spoof_the_forwarded_headers(stack):
    response = _post_admin_login(
        stack, {"Origin": stack.https_url, "X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"}
    )

    assert response.status_code == 200
    assert "203.0.113.9" not in stack.log("gunicorn-access.log")


def test_gunicorn_hup_during_a_burst_drops_no_request(stack):
    total, hup_after, threads = 400, 120, 8
    done = threading.Semaphore(0)
    statuses = []
    local = threading.local()

    def fetch(_):
        if not hasattr(local, "session"):
            local.session = stack.session()
        try:
            status = local.session.get(f"{stack.https_url}/healthz", timeout=30).status_code
        except requests.RequestException as error:
            status = repr(error)
        statuses.append(status)
        done.release()

    error_log_before = stack.log("gunicorn-error.log")
    pre_burst_log = stack.log("gunicorn-access.log")
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(fetch, n) for n in range(total)]
        for _ in range(hup_after):
            done.acquire(timeout=60)
        stack.gunicorn.send_signal(signal.SIGHUP)
        for future in futures:
            future.result(timeout=90)

    failures = [status for status in statuses if status != 200]
    assert len(statuses) == total
    assert failures == []
    new_log = stack.log("gunicorn-error.log")[len(error_log_before) :]
    assert re.search(r"Handling signal: hup", new_log, re.IGNORECASE), new_log[-2000:]
    assert "Reload requested" in new_log
    # The reload really happened: what answers now are new workers.
    access_log_before = stack.log("gunicorn-access.log")
    session = stack.session()
    for _ in range(20):
        assert session.get(f"{stack.https_url}/healthz", timeout=10).status_code == 200
    pids_after = set(_worker_pids(stack.log("gunicorn-access.log")[len(access_log_before) :]))
    assert pids_after and not pids_after & set(_worker_pids(pre_burst_log))


def _worker_pids(access_log):
    return re.findall(r"<(\d+)>$", access_log, re.MULTILINE)
