"""Gunicorn settings for LostInNL, shared by systemd, the Procfile and the deployment tests.

Every value can be overridden from the environment, so the same file serves a
two-core EC2 host, a Procfile platform and a loopback test. Under systemd the
listening socket is handed over by `lostinnl.socket` (socket activation) and
`bind` is then ignored.

Signals an operator uses (systemd's `reload` sends HUP):
  HUP   re-read this file, start new workers with fresh code, stop the old ones
        gracefully once their requests are done. No request is dropped.
  USR1  reopen the log files (used by logrotate).
  TERM  graceful shutdown, waiting up to `graceful_timeout`.
"""

import os


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count():
    # The CPUs this process may run on, which is what a container or cgroup allows.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _default_bind():
    if os.environ.get("PORT"):  # Procfile platforms hand over a TCP port
        return f"0.0.0.0:{os.environ['PORT']}"
    return "unix:/run/lostinnl/gunicorn.sock"


wsgi_app = "project.wsgi:application"
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

bind = [os.environ.get("GUNICORN_BIND") or _default_bind()]
# Sync workers: Nginx buffers slow clients, so each worker only ever talks to Nginx.
worker_class = "sync"
workers = _env_int("WEB_CONCURRENCY", 2 * _cpu_count() + 1)
backlog = 512

# A worker silent for `timeout` seconds is killed; photo processing is the slowest
# request. Nginx's proxy_read_timeout is a little longer, so Gunicorn answers first.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then so a slow leak can never take the site down;
# the jitter stops all workers restarting at the same moment. Not too often: a new
# worker spends most of a second of CPU loading Django. At 1,000 requests, a viral
# case page (1,200 requests/s from the page cache) restarted a worker every second,
# and the spike's p99 went from 0.31 s to 2.3 s (README, Performance). At 20,000 each
# worker still restarted about once a minute under a spike of 2,000 requests/s; at
# 200,000 it lasts most of ten minutes, and a worker's memory did not grow over a
# 60 s spike without restarts.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 200000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 20000)

# The application is imported in each worker, not in the master, so that a HUP
# after a release loads the new code.
preload_app = False

# Requests arrive from Nginx on the local socket; Gunicorn trusts the
# X-Forwarded-Proto it sets there and Django trusts it via SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
limit_request_line = 8190

# "-" is stdout/stderr; the systemd unit points these at /var/log/lostinnl/.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address from Nginx, then the usual combined format, then the request
# time in seconds (%(L)s) and the worker's <pid>.
access_log_format = '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s %(p)s'
proc_name = "lostinnl"

# The control socket used by `gunicornc` (worker status, scaling). systemd gives
# the service a private runtime folder for it; elsewhere name a path, or "off".
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket == "off":
    control_socket_disable = True
elif _control_socket:
    control_socket = _control_socket
elif os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
# Worker heartbeat files in memory, not on a disk that may stall (only mtimes are written).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None


def on_reload(arbiter):
    arbiter.log.info("Reload requested: starting new workers, old ones finish their requests")
