"""A submission form with an error keeps the photos that passed the checks, privately, for a day."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from listings.models import Case
from listings.tests.factories import uploaded_jpeg
from listings.tests.helpers import error_codes, fail_storage_after, submission_data
from staging.models import StagedPhoto

pytestmark = pytest.mark.django_db

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


def stored_files(prefix):
    root = Path(default_storage.location) / prefix
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def post_with_a_date_error(client, photos):
    return client.post(reverse("listings:submit"), submission_data(last_seen_date=TOMORROW, photos=photos))


def test_photos_survive_an_error_elsewhere_and_are_shown_attached(member_client, member):
    response = post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg"), uploaded_jpeg("two.jpg")])

    assert response.status_code == 200
    assert "future_date" in error_codes(response.context["form"], "last_seen_date")
    staged = list(StagedPhoto.objects.all())
    assert [(photo.owner, photo.original_name) for photo in staged] == [(member, "one.jpg"), (member, "two.jpg")]
    assert not Case.objects.exists()
    html = response.content.decode()
    for photo in staged:
        assert re.search(rf'<input type="checkbox" name="staged" value="{photo.key}"[^>]* checked', html)
        assert photo.get_thumbnail_url() in html
        assert member_client.get(photo.get_thumbnail_url()).status_code == 200
    assert len(stored_files("staged")) == 4  # full and thumbnail of each


def test_the_next_try_submits_the_kept_photos_and_releases_them(
    member_client, member, django_capture_on_commit_callbacks
):
    post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg")])
    keys = [str(key) for key in StagedPhoto.objects.values_list("key", flat=True)]

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("listings:submit"), submission_data(staged=keys, photos=[uploaded_jpeg("three.jpg")])
        )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.photos.count() == 2
    assert case.photos.filter(is_primary=True).count() == 1
    assert not StagedPhoto.objects.exists()
    assert stored_files("staged") == []
    assert all(default_storage.exists(name) for photo in case.photos.all() for name in photo.stored_names())


def test_an_unticked_photo_is_left_out(member_client):
    post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg"), uploaded_jpeg("two.jpg")])
    first = StagedPhoto.objects.first()

    response = member_client.post(reverse("listings:submit"), submission_data(staged=[str(first.key)]))

    assert response.status_code == 302
    assert Case.objects.get().photos.count() == 1
    assert list(StagedPhoto.objects.all()) != [first] and StagedPhoto.objects.count() == 1


def test_no_photo_at_all_is_still_refused(member_client):
    response = member_client.post(reverse("listings:submit"), submission_data())

    assert "required" in error_codes(response.context["form"], "photos")


def test_kept_and_new_photos_count_together_against_the_limit(member_client, settings):
    settings.PHOTO_MAX_PER_CASE = 2
    post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg"), uploaded_jpeg("two.jpg")])
    keys = [str(key) for key in StagedPhoto.objects.values_list("key", flat=True)]

    response = member_client.post(reverse("listings:submit"), submission_data(staged=keys, photos=[uploaded_jpeg()]))

    assert "too_many_photos" in error_codes(response.context["form"], "photos")
    assert not Case.objects.exists()


def test_another_members_staged_photo_cannot_be_used_or_seen(member_client, client):
    post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg")])
    photo = StagedPhoto.objects.get()
    other = UserFactory()
    client.force_login(other)

    response = client.post(reverse("listings:submit"), submission_data(staged=[str(photo.key)]))

    assert "invalid_choice" in error_codes(response.context["form"], "staged")
    assert not Case.objects.exists()
    assert client.get(photo.get_thumbnail_url()).status_code == 404
    client.logout()
    assert client.get(photo.get_thumbnail_url()).status_code == 302


def test_a_refused_file_is_not_kept_but_the_good_one_is(member_client):
    bad = SimpleUploadedFile("bad.jpg", b"not an image at all" * 10, content_type="image/jpeg")

    response = member_client.post(reverse("listings:submit"), submission_data(photos=[bad, uploaded_jpeg("good.jpg")]))

    assert "invalid_image" in error_codes(response.context["form"], "photos")
    assert list(StagedPhoto.objects.values_list("original_name", flat=True)) == ["good.jpg"]


def test_storage_failure_while_keeping_photos_keeps_nothing(member_client, monkeypatch):
    fail_storage_after(monkeypatch, 1, OSError("disk full"))

    response = post_with_a_date_error(member_client, [uploaded_jpeg()])

    assert "staging_unavailable" in error_codes(response.context["form"], "__all__")
    assert not StagedPhoto.objects.exists() and stored_files("staged") == []


def test_expired_photos_are_not_offered_and_are_purged_with_their_files(
    member_client, settings, django_capture_on_commit_callbacks
):
    post_with_a_date_error(member_client, [uploaded_jpeg("old.jpg")])
    old = StagedPhoto.objects.get()
    StagedPhoto.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    post_with_a_date_error(member_client, [uploaded_jpeg("new.jpg")])

    html = member_client.get(reverse("listings:submit")).content.decode()
    assert "new.jpg" in html and "old.jpg" not in html

    out = StringIO()
    call_command("purge_staged_photos", "--dry-run", stdout=out)
    assert f"would remove staged photo {old.key}" in out.getvalue()
    assert StagedPhoto.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_staged_photos", stdout=StringIO())

    assert list(StagedPhoto.objects.values_list("original_name", flat=True)) == ["new.jpg"]
    assert not any(str(old.key) in str(path) for path in stored_files("staged"))
    assert len(stored_files("staged")) == 2


def test_purge_refuses_a_nonsense_age():
    with pytest.raises(CommandError, match="at least 1 hour"):
        call_command("purge_staged_photos", "--older-than", "0")


def test_another_members_staged_photo_answers_exactly_as_one_that_never_existed(member_client, client):
    post_with_a_date_error(member_client, [uploaded_jpeg("one.jpg")])
    photo = StagedPhoto.objects.get()
    client.force_login(UserFactory())

    missing_url = reverse("staging:photo", kwargs={"key": "00000000-0000-4000-8000-000000000000"})
    existing = client.get(photo.get_thumbnail_url())
    missing = client.get(missing_url)

    def normalised(response, url):
        # The page names its own address (the language switch) and carries a fresh CSRF token and nonce.
        html = response.content.decode().replace(url, "URL")
        return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', r'\1=""', html)

    assert existing.status_code == missing.status_code == 404
    assert normalised(existing, photo.get_thumbnail_url()) == normalised(missing, missing_url)
