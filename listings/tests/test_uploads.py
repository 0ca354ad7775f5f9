"""Submitting a case with photos through /submit/: checks, metadata stripping and clean failure."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from listings.models import AuditAction, AuditEntry, Case, Photo, ReviewState
from listings.tests.factories import jpeg_bytes, uploaded_jpeg
from listings.tests.helpers import error_codes, fail_storage_after, stored_bytes, submission_data

pytestmark = pytest.mark.django_db


def stored_files():
    root = Path(default_storage.location)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def gps_jpeg(name="gps.jpg"):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 33.0, 0.0), 3: "W", 4: (52.0, 42.0, 0.0)}
    exif[0x010F] = "PhoneMaker"  # camera make
    data = jpeg_bytes(size=(120, 90), exif=exif)
    assert b"Exif" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_member_submits_a_case_with_photos_end_to_end(member_client, member):
    data = submission_data(photos=[uploaded_jpeg("first.jpg"), uploaded_jpeg("second.jpg", colour=(10, 20, 30))])

    response = member_client.post(reverse("listings:submit"), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:submissions")
    assert "was sent for review" in response.content.decode()
    case = Case.objects.get()
    assert (case.first_name, case.last_name, case.submitted_by) == ("Ada", "Testcase", member)
    assert case.review_state == ReviewState.PENDING
    photos = list(case.photos.all())
    assert len(photos) == 2
    assert photos[0].is_primary and not photos[1].is_primary
    assert all(photo.review_state == ReviewState.PENDING for photo in photos)
    assert all(default_storage.exists(name) for photo in photos for name in photo.stored_names())
    entry = AuditEntry.objects.get(case=case)
    assert (entry.action, entry.actor) == (AuditAction.SUBMITTED, member)
    # Not public yet, but its submitter can open it.
    member_client.logout()
    assert member_client.get(case.get_absolute_url()).status_code == 404


def test_text_file_named_jpg_is_refused(member_client):
    fake = SimpleUploadedFile("holiday.jpg", b"This is not an image at all.\n" * 20, content_type="image/jpeg")

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[fake]))

    assert response.status_code == 200
    assert "invalid_image" in error_codes(response.context["form"], "photos")
    assert "holiday.jpg" in response.content.decode()
    assert not Case.objects.exists() and stored_files() == []


def test_empty_file_is_refused(member_client):
    empty = SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg")

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[empty]))

    assert response.status_code == 200
    assert error_codes(response.context["form"], "photos")
    assert not Case.objects.exists()


def test_oversized_photo_is_refused(member_client, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1024
    big = uploaded_jpeg("big.jpg", size=(800, 600), colour=(200, 10, 10))
    assert big.size > 1024

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[big]))

    assert response.status_code == 200
    assert "file_too_large" in error_codes(response.context["form"], "photos")
    assert not Case.objects.exists() and stored_files() == []


def test_photo_with_too_many_pixels_is_refused(member_client, settings):
    settings.PHOTO_MAX_PIXELS = 100

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))

    assert "too_many_pixels" in error_codes(response.context["form"], "photos")
    assert not Case.objects.exists()


def test_gps_exif_is_stripped_from_stored_photos(member_client):
    response = member_client.post(reverse("listings:submit"), submission_data(photos=[gps_jpeg()]))

    assert response.status_code == 302
    photo = Photo.objects.get()
    for data in stored_bytes(photo):
        assert b"Exif" not in data and b"PhoneMaker" not in data
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)


def test_failed_storage_leaves_no_case_and_no_file(member_client, monkeypatch):
    """The first file is stored, the second save fails: everything is rolled back and deleted."""
    calls = fail_storage_after(monkeypatch, 1, OSError("disk full"))

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))

    assert response.status_code == 200
    assert "storage_unavailable" in error_codes(response.context["form"], "__all__")
    assert "Nothing was saved" in response.content.decode()
    assert len(calls) == 2
    assert not Case.objects.exists() and not Photo.objects.exists() and not AuditEntry.objects.exists()
    assert stored_files() == []


def test_a_bug_while_storing_is_raised_as_a_bug_and_leaves_no_file(member_client, monkeypatch):
    """Only storage failures become the "could not store" message; a bug still cleans up what was stored."""
    calls = fail_storage_after(monkeypatch, 1, ValueError("a bug"))

    with pytest.raises(ValueError, match="a bug"):
        member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))

    assert len(calls) == 2
    assert not Case.objects.exists() and not Photo.objects.exists() and not AuditEntry.objects.exists()
    assert stored_files() == []
