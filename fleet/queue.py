"""How many tasks wait in the Celery queue on Redis, and for how long the oldest has waited.

Every task message is stamped with the time it was sent (a header added by the
`before_task_publish` signal), so the age of the oldest waiting message can be read
from the queue itself. `manage.py queue_metrics` publishes both to CloudWatch, where
the scaled topology's alarms watch them.
"""

import json
import time

from celery.signals import before_task_publish
from django.conf import settings

SENT_AT = "lostinnl_sent_at"


@before_task_publish.connect
def stamp_sent_at(headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(SENT_AT, time.time())


def queue_state(*, app=None, queue=None, now=None):
    """(tasks waiting, seconds the oldest has waited) for the queue on the broker."""
    if app is None:
        from project.celery import app

    queue = queue or settings.CELERY_TASK_DEFAULT_QUEUE
    now = time.time() if now is None else now
    with app.connection_for_read() as connection:
        client = connection.default_channel.client
        depth = client.llen(queue)
        # kombu pushes on the left and workers take from the right: the oldest is last.
        oldest = client.lindex(queue, -1)
    if not oldest:
        return depth, 0.0
    sent_at = json.loads(oldest).get("headers", {}).get(SENT_AT)
    return depth, max(0.0, now - sent_at) if sent_at else 0.0
