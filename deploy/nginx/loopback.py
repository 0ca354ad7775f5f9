"""The shipped serving stack on 127.0.0.1, with everything it writes in one temporary folder.

Nginx runs lostinnl.conf as render.py writes it out for loopback, with a
throwaway self-signed certificate, in front of Gunicorn started with
deploy/gunicorn.conf.py on a unix socket. The loopback deployment tests
(tests/test_deploy.py) and the load test (scripts/loadtest.py) both start it
with `serve`, so they measure and check the same stack; tests/test_deploy_files.py
uses the certificate and the standalone nginx.conf to run `nginx -t`.
Standard library only, like render.py, and loaded by path the same way.
"""

import contextlib
import http.client
import importlib.util
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEPLOY = HERE.parent
REPO = DEPLOY.parent

# Settings that would point the application at a real host's database, files or sockets.
_NOT_INHERITED_PREFIXES = ("DJANGO_", "AWS_", "GUNICORN_", "DATABASE_")
_NOT_INHERITED = {"DEBUG", "WEB_CONCURRENCY", "PORT", "STATIC_ROOT", "MEDIA_ROOT", "STATICFILES_BACKEND"}


def _load_render():
    # deploy/ is not a package: render.py is a script the host's python3 runs.
    spec = importlib.util.spec_from_file_location("nginx_render", HERE / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(prefix, **settings):
    """The environment of every process of the stack: this one's, with the database,
    files, logs and sockets in `prefix`, DEBUG off, and `settings` on top."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_NOT_INHERITED_PREFIXES) and key not in _NOT_INHERITED
    }
    env.update(
        SECRET_KEY="loopback-" + uuid.uuid4().hex + uuid.uuid4().hex,
        DATABASE_URL=f"sqlite:///{prefix / 'db.sqlite3'}",
        STATIC_ROOT=str(prefix / "static"),
        MEDIA_ROOT=str(prefix / "media"),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        EMAIL_URL="consolemail://",
        GUNICORN_BIND=f"unix:{prefix / 'gunicorn.sock'}",
        GUNICORN_ACCESS_LOG=str(prefix / "gunicorn-access.log"),
        GUNICORN_ERROR_LOG=str(prefix / "gunicorn-error.log"),
        GUNICORN_CONTROL_SOCKET=str(prefix / "gunicorn.ctl"),
    )
    env.update(settings)
    return env


def make_certificate(folder, host="localhost"):
    """A self-signed certificate for `host` and 127.0.0.1, good for a day: (certificate, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 (a fixed command line)
        [  # noqa: S607 (openssl from PATH)
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}",
            "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def write_nginx_conf(prefix, site, *, worker_processes=2, worker_connections=512, access_log=True):
    """Write `site` and a complete nginx.conf around it that keeps every file Nginx
    writes (pid, logs, temporary bodies) in `prefix`; return the nginx.conf path."""
    (prefix / "site.conf").write_text(site)
    (prefix / "nginx-temp").mkdir(exist_ok=True)
    temp_paths = "\n".join(
        f"    {name}_temp_path {prefix / 'nginx-temp' / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime_types = Path("/etc/nginx/mime.types")
    # Workers run as root so they can read a private temporary folder, such as pytest's.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes {worker_processes};
pid {prefix / "nginx.pid"};
error_log {prefix / "nginx-error.log"} warn;
events {{ worker_connections {worker_connections}; }}
http {{
    {f"include {mime_types};" if mime_types.exists() else ""}
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix / "nginx-access.log" if access_log else "off"};
{temp_paths}
    include {prefix / "site.conf"};
}}
"""
    )
    return conf


def _write_loopback_nginx_conf(prefix, *, http_port, https_port, certificate, certificate_key, balancer=None, **nginx):
    site = _load_render().render(
        (HERE / "lostinnl.conf").read_text(),
        domain="localhost",
        server_names=["localhost", "127.0.0.1"],
        app_root=str(REPO),
        static_root=str(prefix / "static"),
        socket=str(prefix / "gunicorn.sock"),
        log_dir=str(prefix / "nginx-logs"),
        acme_root=str(prefix / "acme"),
        http_listen=f"127.0.0.1:{http_port}",
        https_listen=f"127.0.0.1:{https_port}",
        certificate=str(certificate),
        certificate_key=str(certificate_key),
        ipv6=False,
        balancer=balancer,
    )
    (prefix / "nginx-logs").mkdir(exist_ok=True)
    return write_nginx_conf(prefix, site, **nginx)


@dataclass
class Stack:
    prefix: Path
    http_url: str
    https_url: str
    certificate: Path
    gunicorn: subprocess.Popen
    nginx: subprocess.Popen
    http_port: int
    https_port: int

    def kill(self):
        """Stop the host at once, as a failed machine stops: SIGKILL to Nginx and every Gunicorn process."""
        for process in (self.nginx, self.gunicorn):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _answers(url, certificate):
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # straight to loopback, whatever the environment says
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(certificate))),
    )
    try:
        with opener.open(url, timeout=5) as response:  # noqa: S310 (our own https URL)
            return response.status == 200
    except (OSError, http.client.HTTPException):
        return False


def _stop(process, sig=signal.SIGTERM):
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def serve(prefix, env, *, startup_timeout=60, balancer=None, http_port=None, https_port=None, **nginx):
    """Run Gunicorn and Nginx from `prefix` until the block ends; yield a Stack once
    /healthz answers through Nginx. `env` comes from `environment(prefix)`, with
    the database migrated and the static files collected; `balancer` (addresses
    trusted to name the client) goes to render.py, `nginx` to write_nginx_conf.
    The ports are free ones unless given (a host that comes back on its old ports)."""
    cert, key = make_certificate(prefix)
    http_port, https_port = http_port or free_port(), https_port or free_port()
    conf = _write_loopback_nginx_conf(
        prefix,
        http_port=http_port,
        https_port=https_port,
        certificate=cert,
        certificate_key=key,
        balancer=balancer,
        **nginx,
    )
    nginx_cmd = ["nginx", "-c", str(conf), "-p", str(prefix)]
    checked = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True, timeout=30)  # noqa: S603
    if checked.returncode:
        raise RuntimeError(f"nginx -t refused {conf}:\n{checked.stderr}")

    gunicorn = nginx_process = None
    try:
        gunicorn = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")],
            cwd=prefix,  # the config's chdir must find the project by itself
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        nginx_process = subprocess.Popen(  # noqa: S603
            [*nginx_cmd, "-g", "daemon off;"],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack = Stack(
            prefix=prefix,
            http_url=f"http://127.0.0.1:{http_port}",
            # A host name, not an address, so that a client sends SNI as browsers do.
            https_url=f"https://localhost:{https_port}",
            certificate=cert,
            gunicorn=gunicorn,
            nginx=nginx_process,
            http_port=http_port,
            https_port=https_port,
        )
        deadline = time.monotonic() + startup_timeout
        while not _answers(f"{stack.https_url}/healthz", cert):
            if time.monotonic() > deadline:
                error_log = prefix / "gunicorn-error.log"
                tail = error_log.read_text()[-3000:] if error_log.exists() else ""
                raise TimeoutError(f"the stack did not answer /healthz within {startup_timeout} s:\n{tail}")
            time.sleep(0.1)
        yield stack
    finally:
        _stop(nginx_process, signal.SIGQUIT)
        _stop(gunicorn)


def write_balancer_conf(prefix, *, listen_port, hosts, certificate, certificate_key):
    """An Nginx load balancer on 127.0.0.1:`listen_port` in front of the HTTPS ports
    `hosts`, standing in for the cloud's balancer: it ends TLS, adds the client's
    address to X-Forwarded-For, names the host that answered in X-Upstream, and
    retries an idempotent request on the next host when one fails or is down."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in hosts)
    site = f"""
upstream lostinnl_hosts {{
        # Shared by the balancer's workers, so that they take turns as one.
        zone lostinnl_hosts 64k;
{servers}
        keepalive 16;
}}
server {{
    listen 127.0.0.1:{listen_port} ssl;
    server_name localhost;
    ssl_certificate {certificate};
    ssl_certificate_key {certificate_key};
    client_max_body_size 26m;
    location / {{
        proxy_pass https://lostinnl_hosts;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_ssl_server_name on;
        proxy_ssl_name localhost;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
        proxy_connect_timeout 1s;
        proxy_read_timeout 65s;
        # Never a POST twice: non_idempotent is left out, so only a request that no
        # host has started (connection refused) or a GET/HEAD moves to the next host.
        proxy_next_upstream error timeout http_502 http_503 http_504;
        proxy_next_upstream_tries 2;
        add_header X-Upstream $upstream_addr always;
    }}
}}
"""
    return write_nginx_conf(prefix, site, access_log=False)


@contextlib.contextmanager
def balance(prefix, hosts, *, startup_timeout=30):
    """Run write_balancer_conf's Nginx from `prefix` until the block ends; yield its https URL."""
    cert, key = make_certificate(prefix)
    port = free_port()
    conf = write_balancer_conf(prefix, listen_port=port, hosts=hosts, certificate=cert, certificate_key=key)
    nginx_cmd = ["nginx", "-c", str(conf), "-p", str(prefix)]
    process = subprocess.Popen(  # noqa: S603
        [*nginx_cmd, "-g", "daemon off;"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"https://localhost:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while not _answers(f"{url}/healthz", cert):
            if process.poll() is not None or time.monotonic() > deadline:
                error_log = prefix / "nginx-error.log"
                tail = error_log.read_text()[-2000:] if error_log.exists() else ""
                raise RuntimeError(f"the balancer did not answer /healthz within {startup_timeout} s:\n{tail}")
            time.sleep(0.1)
        yield url, cert
    finally:
        _stop(process, signal.SIGQUIT)
