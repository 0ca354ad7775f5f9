"""manage.py time_appeals runs through the real views; its figures are for people, not for assertions."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_time_appeals_reports_cold_and_cached_figures(appeal):
    out = io.StringIO()

    call_command("time_appeals", "--rounds", "1", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"case {appeal.slug}, 1 requests each")
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "/healthz",
        "share image cold",
        "share image cached",
        "poster (Letter) cold",
        "poster (Letter) cached",
    ]


def test_time_appeals_needs_an_open_appeal():
    with pytest.raises(CommandError, match="No open appeal"):
        call_command("time_appeals", stdout=io.StringIO())
