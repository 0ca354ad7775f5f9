"""Two equal web hosts behind a load balancer, on loopback: nothing a request needs lives on one host.

Each host is a copy of the project tree in its own folder, served as production serves it
(Gunicorn with deploy/gunicorn.conf.py behind Nginx with deploy/nginx/lostinnl.conf, rendered
for a host behind a balancer). An Nginx load balancer in front stands in for the cloud's: it ends
TLS, adds the client's address to X-Forwarded-For and retries idempotent requests on the other host.
Both hosts share, as in the scaled topology, one MySQL database (a MariaDB database made and
dropped here), Redis (under a key prefix unique to the run) and S3 (moto's server), with
MULTI_HOST=true, under which a host refuses to start with any state of its own.

Clients talk from different loopback addresses (127.0.0.x), so the balancer sees different visitors.
"""

import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image
from requests.adapters import HTTPAdapter

from tests.tools import require_tool

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "two-hosts-Password-5120"
COPY_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "staticfiles", "media", "db.sqlite3", "__pycache__", ".*_cache", ".env",
    "screenshots",
)  # fmt: skip
CONTACT_LIMIT = 4
LOCKOUT_AFTER = 3


def _load_loopback(tree):
    # Loaded from the host's own copy, so its Gunicorn and Nginx serve that copy.
    spec = importlib.util.spec_from_file_location(f"loopback_{tree.name}", tree / "deploy" / "nginx" / "loopback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mysql_server():
    """(host, port) of the MariaDB/MySQL server: DATABASE_URL's when it names one, else the local default."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    return (url.hostname, url.port or 3306) if url.scheme == "mysql" else ("127.0.0.1", 3306)


def _connect_mysql():
    import MySQLdb

    host, port = _mysql_server()
    try:
        return MySQLdb.connect(host=host, port=port, user="root", connect_timeout=3)
    except MySQLdb.OperationalError:
        return None


def _redis():
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=1, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


class _FromAddress(HTTPAdapter):
    """Connections from a chosen loopback address: one address, one visitor."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Fleet:
    def __init__(self, *, balancer_url, certificate, hosts, trees, env, restart, cache, key_prefix):
        self.cache, self.key_prefix = cache, key_prefix  # the shared Redis and this run's keys in it
        self.balancer_url = balancer_url
        self.certificate = certificate
        self.hosts = hosts  # name -> loopback Stack
        self.trees = trees  # name -> the host's copy of the project
        self.env = env
        self.restart = restart  # brings a killed host back on its ports

    def session(self, address="127.0.0.1"):
        session = requests.Session()
        session.trust_env = False
        # The balancer's certificate and each host's, for the tests that go to one host directly.
        bundle = self.certificate.parent / f"trusted-{uuid.uuid4().hex}.pem"
        bundle.write_text("".join(path.read_text() for path in [self.certificate, *self._host_certificates()]))
        session.verify = str(bundle)
        session.mount("https://", _FromAddress(address))
        return session

    def _host_certificates(self):
        return [host.certificate for host in self.hosts.values()]

    def url(self, host, path):
        return f"{self.hosts[host].https_url}{path}"

    def port(self, host):
        return self.hosts[host].https_port

    def query(self, python):
        """The last line `python` prints, run by `manage.py shell` against the shared database."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", python],
            cwd=self.trees["a"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]


def _manage(tree, env, *args):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, moto_server):
    require_tool(shutil.which("nginx"), "nginx is not installed (apt-get install nginx); the two-host test needs it")
    require_tool(shutil.which("openssl"), "openssl is not installed (apt-get install openssl)")
    admin = _connect_mysql()
    host, port = _mysql_server()
    require_tool(admin, f"no MariaDB/MySQL server on {host}:{port} for root (apt-get install mariadb-server)")
    cache = _redis()
    require_tool(cache, "no Redis server on 127.0.0.1:6379 (apt-get install redis-server)")

    import boto3

    run = uuid.uuid4().hex[:12]
    database = f"lostinnl_twohosts_{run}"
    key_prefix = f"lostinnl-twohosts-{run}"
    bucket = f"lostinnl-twohosts-{run}"
    mysql_host, mysql_port = _mysql_server()
    aws = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ca-central-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="ca-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    shared = {
        # Every host signs sessions and tokens with the same key, as the stack's hosts read it from one place.
        "SECRET_KEY": "two-hosts-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "MULTI_HOST": "true",
        "DATABASE_URL": f"mysql://root@{mysql_host}:{mysql_port}/{database}",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "CACHE_KEY_PREFIX": key_prefix,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": moto_server,
        "AWS_S3_REGION_NAME": "ca-central-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        **aws,
        "NO_PROXY": "127.0.0.1,localhost",
        "RATELIMITS": f"listings:contact={CONTACT_LIMIT}/h",
        "AXES_FAILURE_LIMIT": str(LOCKOUT_AFTER),
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }
    cursor = admin.cursor()
    cursor.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")
    tmp = tmp_path_factory.mktemp("two-hosts")
    try:
        with contextlib.ExitStack() as running:
            hosts, envs, trees = {}, {}, {}
            for name in ("a", "b"):
                prefix = tmp / f"host-{name}"
                trees[name] = prefix / "app"
                shutil.copytree(REPO, trees[name], ignore=COPY_IGNORES)
                envs[name] = _load_loopback(trees[name]).environment(prefix, **shared)
            # Migrations once for the fleet (what the release step does) while the static files are
            # collected; the second host gets a copy of them, as every host of a release builds the same.
            collecting = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=trees["a"],
                env=envs["a"],
            )
            _manage(trees["a"], envs["a"], "migrate", "--noinput", "--verbosity", "0")
            assert collecting.wait(timeout=300) == 0
            shutil.copytree(envs["a"]["STATIC_ROOT"], envs["b"]["STATIC_ROOT"])
            _manage(
                trees["a"],
                envs["a"],
                "shell",
                "-c",
                "from django.contrib.auth import get_user_model; User = get_user_model(); "
                # A member whose address is verified, as one must be to submit a case.
                f"User.objects.create_user('member', 'member@example.org', {PASSWORD!r}, email_verified=True); "
                f"User.objects.create_user('lockme', 'lockme@example.org', {PASSWORD!r}); "
                f"User.objects.create_superuser('moderator', 'moderator@example.org', {PASSWORD!r})",
            )

            def start(name, **ports):
                # Only the balancer (on loopback here) may name the client to the host's Nginx.
                serving = _load_loopback(trees[name]).serve(
                    trees[name].parent, envs[name], balancer=["127.0.0.1"], **ports
                )
                hosts[name] = running.enter_context(serving)

            def restart(name):
                start(name, http_port=hosts[name].http_port, https_port=hosts[name].https_port)

            for name in trees:
                start(name)
            (tmp / "balancer").mkdir()
            balancer_url, certificate = running.enter_context(
                _load_loopback(trees["a"]).balance(tmp / "balancer", [hosts[name].https_port for name in trees])
            )
            yield Fleet(
                balancer_url=balancer_url,
                certificate=certificate,
                hosts=hosts,
                trees=trees,
                env=envs["a"],
                restart=restart,
                cache=cache,
                key_prefix=key_prefix,
            )
    finally:
        cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
        admin.close()
        for key in cache.scan_iter(match=f"{key_prefix}:*"):
            cache.delete(key)


def _jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (70, 110, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _log_in(session, url, username="member", password=PASSWORD):
    session.get(url, timeout=10).raise_for_status()
    return _post_log_in(session, url, username, password)


def _post_log_in(session, url, username, password):
    return session.post(
        url,
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=10,
    )


def _upstream_port(response):
    # The balancer names the host that answered last (after a retry, the list ends with it).
    return int(response.headers["X-Upstream"].split(",")[-1].strip().rsplit(":", 1)[-1])


def test_each_host_runs_its_own_copy_of_the_code(fleet):
    for name, host in fleet.hosts.items():
        assert Path(os.readlink(f"/proc/{host.gunicorn.pid}/cwd")) == fleet.trees[name]
    assert fleet.trees["a"] != fleet.trees["b"]
    assert not (fleet.trees["a"] / "media").exists()  # photos are on S3, not on a host


def test_balancer_spreads_requests_over_both_hosts(fleet):
    session = fleet.session()

    ports = {_upstream_port(session.get(f"{fleet.balancer_url}/healthz", timeout=10)) for _ in range(6)}

    assert ports == {fleet.port("a"), fleet.port("b")}


def test_member_logged_in_through_one_host_is_logged_in_through_the_other(fleet):
    session = fleet.session()
    assert _log_in(session, fleet.url("a", "/accounts/login/")).status_code == 302

    on_b = session.get(fleet.url("b", "/accounts/submissions/"), allow_redirects=False, timeout=10)

    assert on_b.status_code == 200
    assert "Log out" in on_b.text


def test_photo_uploaded_through_one_host_is_served_by_the_other(fleet):
    member = fleet.session()
    assert _log_in(member, fleet.url("a", "/accounts/login/")).status_code == 302
    submit_url = fleet.url("a", "/submit/")
    member.get(submit_url, timeout=10).raise_for_status()
    last_name = "Twohosts" + uuid.uuid4().hex[:8]
    response = member.post(
        submit_url,
        data={
            "csrfmiddlewaretoken": member.cookies["csrftoken"],
            "first_name": "Test",
            "last_name": last_name,
            "age_at_disappearance": "34",
            "sex": "female",
            "last_seen_date": "2024-05-01",
            "last_seen_place": "Gander",
            "region": "central",
            "circumstances": "Submitted through host A of the two-host test.",
        },
        files=[("photos", ("photo.jpg", _jpeg_bytes(), "image/jpeg"))],
        headers={"Referer": submit_url},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:2000]
    key = fleet.query(f"from listings.models import Photo; print(Photo.objects.get(case__last_name={last_name!r}).key)")

    on_b = member.get(fleet.url("b", f"/photos/{key}/full/"), allow_redirects=False, timeout=10)
    assert on_b.status_code == 302
    # Host B signed a URL for the object host A stored on the shared bucket.
    photo = requests.get(on_b.headers["Location"], timeout=10)
    assert photo.status_code == 200
    assert photo.content[:3] == b"\xff\xd8\xff"
    # Still pending: a visitor on host B finds nothing.
    assert fleet.session().get(fleet.url("b", f"/photos/{key}/full/"), timeout=10).status_code == 404


def test_moderation_through_one_host_is_visible_at_once_through_the_other(fleet):
    slug, case_id = fleet.query(
        "from listings.models import Case, Region, Sex; from django.contrib.auth import get_user_model; "
        "case = Case.objects.create(first_name='Moderated', last_name='Twohosts', age_at_disappearance=40, "
        "sex=Sex.MALE, last_seen_date='2024-03-01', last_seen_place='Corner Brook', region=Region.WESTERN, "
        "circumstances='Published through host A.', submitted_by=get_user_model().objects.get(username='member')); "
        "print(case.slug, case.pk)"
    ).split()
    visitor = fleet.session()
    case_on_b = fleet.url("b", f"/listings/{slug}/")
    listings_on_b = fleet.url("b", "/listings/")
    # Pending: invisible, and the page cache of host B now holds the listing without it.
    assert visitor.get(case_on_b, timeout=10).status_code == 404
    assert slug not in visitor.get(listings_on_b, timeout=10).text

    moderator = fleet.session()
    assert _log_in(moderator, fleet.url("a", "/admin/login/"), username="moderator").status_code == 302
    changelist = fleet.url("a", "/admin/listings/case/")
    published = moderator.post(
        changelist,
        data={
            "csrfmiddlewaretoken": moderator.cookies["csrftoken"],
            "action": "publish",
            "_selected_action": case_id,
            "post": "yes",
            "note": "Published through host A.",
        },
        headers={"Referer": changelist},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code == 302, published.text[:2000]

    assert visitor.get(case_on_b, timeout=10).status_code == 200
    assert slug in visitor.get(listings_on_b, timeout=10).text


def test_rate_limit_counts_across_both_hosts_per_client_address(fleet):
    contact = f"{fleet.balancer_url}/contact/"

    def visitor_at(address):
        session = fleet.session(address)
        session.get(contact, timeout=10).raise_for_status()
        return session

    def post_contact(session, **headers):
        return session.post(
            contact,
            data={
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
                "name": "Visitor",
                "email": "visitor@example.org",
                "subject": "Two hosts",
                "message": "Counted once across the fleet.",
            },
            headers={"Referer": contact, **headers},
            allow_redirects=False,
            timeout=10,
        )

    visitor = visitor_at("127.0.0.7")
    answers = [post_contact(visitor) for _ in range(CONTACT_LIMIT)]
    assert [answer.status_code for answer in answers] == [302] * CONTACT_LIMIT
    assert {_upstream_port(answer) for answer in answers} == {fleet.port("a"), fleet.port("b")}

    assert post_contact(visitor).status_code == 429
    # One counter for the fleet, in the shared Redis, keyed on the address the balancer saw.
    counters = list(fleet.cache.scan_iter(match=f"{fleet.key_prefix}:*ratelimit:listings:contact:*"))
    assert [key.decode().split(":")[-3] for key in counters] == ["127.0.0.7"]
    # A header the client writes itself changes nothing, either way.
    assert post_contact(visitor, **{"X-Forwarded-For": "198.51.100.23"}).status_code == 429
    neighbour = visitor_at("127.0.0.8")
    assert post_contact(neighbour, **{"X-Forwarded-For": "127.0.0.7"}).status_code == 302


def test_login_lockout_counts_across_both_hosts_per_client_address(fleet):
    login = f"{fleet.balancer_url}/accounts/login/"
    guesser = fleet.session("127.0.0.9")
    guesser.get(login, timeout=10).raise_for_status()
    failures = [_post_log_in(guesser, login, "lockme", "wrong") for _ in range(LOCKOUT_AFTER)]
    assert [failure.status_code for failure in failures] == [200] * (LOCKOUT_AFTER - 1) + [429]
    assert {_upstream_port(failure) for failure in failures} == {fleet.port("a"), fleet.port("b")}

    # Locked on every host, even with the right password, for this address only.
    assert _post_log_in(guesser, login, "lockme", PASSWORD).status_code == 429
    assert _log_in(fleet.session("127.0.0.10"), login, username="lockme").status_code == 302


def test_one_host_killed_under_load_drops_no_request_and_comes_back(fleet):
    member = fleet.session("127.0.0.11")
    assert _log_in(member, f"{fleet.balancer_url}/accounts/login/").status_code == 302
    paths = ["/", "/listings/", "/listings/?q=twohosts", "/resources/", "/healthz", "/accounts/submissions/"]
    results = []  # (monotonic time, status or error, upstream port)
    stop = threading.Event()

    sessions = [member] + [fleet.session(f"127.0.0.{20 + number}") for number in range(1, 4)]

    def traffic(number):
        session = sessions[number]
        index = number
        while not stop.is_set():
            path = paths[index % len(paths)] if number == 0 else paths[index % (len(paths) - 1)]
            index += 1
            try:
                response = session.get(f"{fleet.balancer_url}{path}", allow_redirects=False, timeout=30)
                results.append((time.monotonic(), response.status_code, _upstream_port(response)))
            except requests.RequestException as error:
                results.append((time.monotonic(), repr(error), None))

    threads = [threading.Thread(target=traffic, args=(number,)) for number in range(len(sessions))]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        fleet.hosts["a"].kill()
        killed_at = time.monotonic()
        time.sleep(3)
        restarting_at = time.monotonic()
        fleet.restart("a")
        back_at = time.monotonic()
        deadline = back_at + 20
        while time.monotonic() < deadline and not any(
            at > back_at and port == fleet.port("a") for at, _status, port in list(results)
        ):
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    failed = [(status, port) for _at, status, port in results if status != 200]
    assert failed == []
    before = [port for at, _status, port in results if at < killed_at]
    while_down = [port for at, _status, port in results if killed_at + 0.5 < at < restarting_at]
    after = [port for at, _status, port in results if at > back_at]
    assert {fleet.port("a"), fleet.port("b")} <= set(before)
    assert len(while_down) >= 10 and set(while_down) == {fleet.port("b")}
    assert fleet.port("a") in after
