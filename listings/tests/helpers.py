"""Small helpers shared by the public-site tests."""

import datetime

from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from listings.models import Region, Sex


def submission_data(**overrides):
    """A complete, valid POST body for /submit/ (photos are added by the caller)."""
    data = {
        "first_name": "Ada",
        "last_name": "Testcase",
        "nickname": "",
        "age_at_disappearance": "29",
        "sex": Sex.FEMALE,
        "height_cm": "170",
        "weight_kg": "65",
        "eye_colour": "Green",
        "hair_colour": "Red",
        "distinguishing_features": "Small scar above the left eyebrow.",
        "last_seen_date": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
        "last_seen_place": "Duckworth Street, St. John's",
        "region": Region.AVALON,
        "circumstances": "Left work at five and did not arrive home.",
        "police_file_number": "RNC-2026-12345",
        "investigating_agency": "Royal Newfoundland Constabulary",
        "agency_phone": "709-729-8000",
    }
    data.update(overrides)
    return data


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


def case_url(case):
    return reverse("listings:case_detail", kwargs={"slug": case.slug})


def tip_url(case):
    return reverse("listings:case_tip", kwargs={"slug": case.slug})


def fail_storage_after(monkeypatch, saves, error):
    """Let the file system storage keep `saves` files, then raise `error`; returns the names it was asked to save."""
    original_save = FileSystemStorage._save
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) > saves:
            raise error
        return original_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


def stored_bytes(photo):
    """The bytes kept on the media storage for a photo: the full image, then the thumbnail."""
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored:
            yield stored.read()
