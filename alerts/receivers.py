"""Queue the alert fan-outs when listings.events say a case was first published, found or withdrawn."""

import logging

from django.db import transaction
from django.dispatch import receiver

from listings import events

from . import tasks

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args):
    def queue():
        try:
            task.delay(*args)
        except Exception:
            logger.exception("Could not queue %s%r", task.name, args)

    transaction.on_commit(queue, robust=True)


@receiver(events.case_first_published, dispatch_uid="alerts.new_case")
def new_case(sender, case, **kwargs):
    queue_after_commit(tasks.send_new_case_alerts, case.pk)


@receiver(events.case_found, dispatch_uid="alerts.case_found")
def case_found(sender, case, entry, **kwargs):
    queue_after_commit(tasks.send_case_news, case.pk, "found", entry.pk)


@receiver(events.case_withdrawn, dispatch_uid="alerts.case_withdrawn")
def case_withdrawn(sender, case, entry, **kwargs):
    queue_after_commit(tasks.send_case_news, case.pk, "withdrawn", entry.pk)
