"""A real SMTP server and a real Celery worker on the local Redis, for the delivery tests.

The worker runs in a thread of the test process, so it uses the test database; the
tests that need it are transactional, so what they write is committed and visible
to it. On SQLite that database is in memory with a shared cache, where two
connections writing or reading one table at once fail with "table is locked"
instead of waiting: so a test writes only while the worker is idle, watches the
SMTP server and Celery's signals (not the database) while it works, and reads the
database once it is idle again (`worker_idle`). Its queue and every Redis key it
makes carry a prefix unique to the run, and only those keys are removed at the end.
"""

import os
import socket
import threading
import time
import uuid
from email import message_from_bytes

import pytest

from tests.tools import require_tool

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_idle():
    """True once the worker holds no task: none running, none waiting for its retry countdown."""
    from celery.worker import state

    return wait_for(lambda: not state.requests and not state.scheduled_requests)


def wait_for(condition, timeout=20.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"still not true after {timeout} s: {condition.__doc__ or condition}")


class SmtpServer:
    """aiosmtpd on a loopback port that can be stopped and started again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's handler name)
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        self._controller.stop()
        self._controller = None

    def received(self, subject_part):
        with self._lock:
            return [message for message in self.messages if subject_part in message["Subject"]]


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    if server._controller:
        server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_RETRY_DELAY = 0.2
    settings.EMAIL_RETRY_DELAY_MAX = 0.5
    return smtp_server


def _redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _drop_broker_connections(app):
    """Forget pooled connections made with the previous broker settings (eager runs create an unused pool).

    kombu keeps its pools in a registry of its own, keyed by connection: they are closed and
    forgotten there too, or the next task queued with the same settings meets a closed pool.
    """
    import kombu.pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    """A worker consuming a queue of its own on the local Redis; tasks run eagerly again after the module."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from project.celery import app

    require_tool(_redis_reachable(), f"Redis is not reachable at {REDIS_URL} (apt-get install redis-server)")
    prefix = f"lostinnl-test-{uuid.uuid4().hex[:12]}:"  # the queue and kombu's own keys, all of them
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        broker_transport_options={**app.conf.broker_transport_options, "global_keyprefix": prefix},
    )
    _drop_broker_connections(app)
    try:
        with django_db_blocker.unblock(), start_worker(app, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.update(saved)
        _drop_broker_connections(app)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
