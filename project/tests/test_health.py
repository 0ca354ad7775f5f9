"""/healthz, the load balancer's probe: cheap, no session, no writes, 503 when the database is gone."""

import pytest
from django.db import connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_one_query_and_no_cookie(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
