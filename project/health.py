"""Health of the site's dependencies: the load balancer's probe and the operator's check.

`/healthz` is what a load balancer polls every few seconds: one `SELECT 1`, no
session, no writes, never cached. `manage.py healthcheck` goes further for an
operator: it also writes, reads back and deletes a probe object on the media
storage, and connects to the task queue's broker. Both use the checks below,
each returning a `Check`.
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_PREFIX = "healthcheck"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def __str__(self):
        return f"{self.name}: {'ok' if self.ok else 'FAILED'} ({self.detail})"


def _reason(error):
    return " ".join(str(error).split()) or type(error).__name__


def check_database(alias="default"):
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Health check: database %s unreachable: %s", alias, error)
        return Check("database", False, _reason(error))
    return Check("database", True, f"{connection.vendor} {connection.settings_dict.get('NAME')}")


def _describe(storage):
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"S3 bucket {bucket}"
    return f"{type(storage).__name__} {getattr(storage, 'location', '')}".strip()


def check_media_storage(storage=None):
    """Write, read back and delete a small probe object."""
    storage = storage or default_storage
    where = _describe(storage)
    payload = f"LostInNL health probe {uuid.uuid4()}".encode()
    name = None
    try:
        name = storage.save(f"{PROBE_PREFIX}/{uuid.uuid4().hex}.txt", ContentFile(payload))
        with storage.open(name, "rb") as probe:
            if probe.read() != payload:
                return Check("media storage", False, f"{where}: the probe object read back differs")
        storage.delete(name)
        name = None
    except Exception as error:
        logger.warning("Health check: media storage %s failed: %s", where, error)
        return Check("media storage", False, f"{where}: {_reason(error)}")
    finally:
        if name is not None:
            try:
                storage.delete(name)
            except Exception:
                logger.warning("Health check: could not delete the probe object %s", name)
    return Check("media storage", True, f"{where}: write, read and delete")


def waiting_tasks():
    """Tasks waiting in the site's queue on the broker (0 when tasks run in the web process)."""
    from project.celery import app

    if app.conf.task_always_eager:
        return 0
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        # Declaring the queue the worker consumes is harmless and answers its length on every transport.
        queue = app.conf.task_default_queue
        return connection.default_channel.queue_declare(queue, durable=True, auto_delete=False).message_count


def check_broker():
    """Connect to the task queue's broker and count the messages waiting in the site's queue."""
    from project.celery import app

    if app.conf.task_always_eager:
        return Check("task queue", True, "no broker configured: tasks run in the web process")
    where = app.connection_for_read().as_uri()
    try:
        waiting = waiting_tasks()
    except Exception as error:
        logger.warning("Health check: broker unreachable: %s", error)
        return Check("task queue", False, f"{where}: {_reason(error)}")
    return Check("task queue", True, f"{where}: {waiting} waiting in {app.conf.task_default_queue}")


@never_cache
@require_safe
def healthz(request):
    database = check_database()
    if not database.ok:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
