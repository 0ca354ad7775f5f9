"""manage.py seed_demo: fictional cases with placeholder pictures, resources and accounts, idempotently."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from listings.management.commands.seed_demo import load_demo_data
from listings.models import (
    AuditAction,
    AuditEntry,
    Case,
    CaseSearchToken,
    CaseStatus,
    Photo,
    Region,
    Resource,
    ReviewState,
    Sex,
)
from listings.roles import MODERATORS_GROUP
from pagecache.pages import bump_content_version, content_version

pytestmark = pytest.mark.django_db

CREDENTIALS = re.compile(r"account: (\S+) / (\S+)")


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_data_file_uses_only_the_models_choices():
    data = load_demo_data()

    for person in data["people"]:
        assert person["sex"] in Sex.values, person
        assert person["region"] in Region.values, person
        assert person["outcome"] in {"published", "found", "pending", "rejected"}, person
    assert all(
        resource["url"].startswith("https://")
        for entry in data["resource_categories"]
        for resource in entry["resources"]
    )


def test_seed_demo_creates_fictional_cases_with_photos_resources_and_accounts():
    output = seed()

    cases = Case.objects.all()
    assert cases.count() == 24
    assert set(cases.values_list("is_demo", flat=True)) == {True}
    assert all("Demo" in case.circumstances for case in cases)
    assert set(cases.values_list("region", flat=True)) == set(Region.values)
    assert cases.filter(review_state=ReviewState.PENDING).count() == 2
    assert cases.filter(review_state=ReviewState.REJECTED).count() == 1
    assert cases.filter(review_state=ReviewState.PUBLISHED, case_status=CaseStatus.FOUND).exists()
    assert cases.filter(review_state=ReviewState.PUBLISHED, case_status=CaseStatus.MISSING).count() >= 10
    for case in cases:
        photo = case.photos.get()
        assert photo.is_primary
        assert default_storage.size(photo.thumbnail.name) < 15_000
        assert photo.review_state == case.review_state
    assert Resource.objects.filter(title__contains="Royal Newfoundland Constabulary").exists()
    assert Resource.objects.filter(phone="1-888-737-4668").exists()

    credentials = dict(CREDENTIALS.findall(output))
    User = get_user_model()
    moderator = User.objects.get(username="moderator")
    assert moderator.check_password(credentials["moderator"])
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.groups.filter(name=MODERATORS_GROUP).exists()
    member = User.objects.get(username="demo-member")
    assert member.check_password(credentials["demo-member"])
    assert not member.is_staff
    published = AuditEntry.objects.filter(action=AuditAction.PUBLISHED)
    assert published.count() == 21
    assert set(published.values_list("actor", flat=True)) == {moderator.pk}


def test_seed_demo_twice_creates_nothing_new_and_keeps_passwords():
    first = seed()
    password = dict(CREDENTIALS.findall(first))["moderator"]
    counts = (
        Case.objects.count(),
        Photo.objects.count(),
        Resource.objects.count(),
        AuditEntry.objects.count(),
    )

    second = seed()

    assert (
        Case.objects.count(),
        Photo.objects.count(),
        Resource.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert get_user_model().objects.count() == 2
    assert "already exists" in second
    assert not CREDENTIALS.search(second)
    assert get_user_model().objects.get(username="moderator").check_password(password)

    third = seed("--reset-password")
    new_password = dict(CREDENTIALS.findall(third))["moderator"]
    assert new_password != password
    assert get_user_model().objects.get(username="moderator").check_password(new_password)


def test_clear_removes_demo_cases_and_their_files_with_a_dry_run_first(django_capture_on_commit_callbacks):
    seed()
    names = [name for photo in Photo.objects.all() for name in photo.stored_names()]
    assert all(default_storage.exists(name) for name in names)

    assert "Would delete 24 demo case(s)" in seed("--clear", "--dry-run")
    assert Case.objects.count() == 24

    with django_capture_on_commit_callbacks(execute=True):
        output = seed("--clear")

    assert "Deleted 24 demo case(s)" in output
    assert not Case.objects.exists()
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    assert AuditEntry.objects.filter(action=AuditAction.DELETED).count() == 24


def test_dry_run_without_clear_is_an_error():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--dry-run")


def test_seed_demo_sends_no_review_e_mails(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed()

    assert Case.objects.published().exists()
    assert all(callback is bump_content_version for callback in callbacks)  # the page cache's, nothing else
    assert mailoutbox == []


def test_seed_demo_scale_adds_searchable_fictional_cases_and_empties_the_page_cache():
    before = content_version()

    call_command("seed_demo", "--scale", "30", stdout=StringIO())

    cases = Case.objects.filter(is_demo=True)
    assert cases.count() == 30 and len(set(cases.values_list("slug", flat=True))) == 30
    assert cases.published().exists() and not cases.filter(submitted_by__isnull=False).exists()
    one = cases.published().first()
    assert one in Case.objects.published().search(one.last_name)
    assert content_version() != before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its statistics in sqlite_stat1")
def test_seed_demo_scale_leaves_the_database_statistics_to_plan_by():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")

    call_command("seed_demo", "--scale", "30", stdout=StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {table for (table,) in cursor.fetchall()}
    assert {Case._meta.db_table, CaseSearchToken._meta.db_table} <= analysed


def test_seed_demo_scale_needs_a_positive_number():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "0")
