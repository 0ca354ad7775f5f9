"""The process-wide middleware of `project/middleware.py`."""

import gc

import pytest

from project.middleware import freeze_loaded_objects

pytestmark = pytest.mark.django_db


def test_a_process_freezes_what_it_holds_once_it_has_answered_a_request(client):
    freeze_loaded_objects.cache_clear()
    before = gc.get_freeze_count()

    client.get("/healthz")
    frozen = gc.get_freeze_count()
    client.get("/healthz")

    assert frozen > before
    assert gc.get_freeze_count() <= frozen  # once per process: nothing more frozen by the second request
