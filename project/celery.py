"""The Celery application: e-mail and other background work leaves the web request.

Settings come from Django's (the `CELERY_` names in project/settings.py). With
no `CELERY_BROKER_URL`, tasks run eagerly in the calling process, so `make run`
works on a laptop with nothing else installed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("lostinnl")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
