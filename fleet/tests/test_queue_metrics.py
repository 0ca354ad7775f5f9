"""The queue's depth and the age of its oldest task, read from Redis as the worker host publishes them."""

import json
import uuid

import pytest
from celery import Celery
from django.core.management import CommandError, call_command

from fleet.queue import SENT_AT, queue_state
from tests.tools import require_tool

BROKER = "redis://127.0.0.1:6379/0"


@pytest.fixture
def broker_queue():
    """A Celery app on the shared Redis and a queue name of this test's own, deleted afterwards."""
    import redis

    client = redis.Redis.from_url(BROKER, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        client = None
    require_tool(client, "no Redis server on 127.0.0.1:6379 (apt-get install redis-server)")
    queue = f"lostinnl-test-{uuid.uuid4().hex}"
    app = Celery("queue-metrics-test", broker=BROKER)
    try:
        yield app, queue, client
    finally:
        client.delete(queue)
        app.close()


def test_empty_queue_has_no_age(broker_queue):
    app, queue, _client = broker_queue

    assert queue_state(app=app, queue=queue) == (0, 0.0)


def test_waiting_tasks_are_counted_and_the_oldest_one_aged(broker_queue):
    app, queue, client = broker_queue
    app.send_task("mailer.tasks.not_run_here", queue=queue)
    sent_at = float(json.loads(client.lindex(queue, -1))["headers"][SENT_AT])
    app.send_task("mailer.tasks.not_run_here", queue=queue)

    depth, age = queue_state(app=app, queue=queue, now=sent_at + 120)

    assert depth == 2
    assert age == pytest.approx(120, abs=0.01)


def test_command_refuses_to_run_without_a_broker(settings):
    settings.CELERY_BROKER_URL = ""

    with pytest.raises(CommandError, match="CELERY_BROKER_URL is not set"):
        call_command("queue_metrics", "--dry-run")
