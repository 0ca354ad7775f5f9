"""Photos on S3 (moto's server over HTTP): processed objects, signed URLs, privacy, deletion, failures."""

import io
import urllib.request
from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from accounts.tests.factories import StaffFactory, UserFactory
from listings import moderation
from listings.forms import CaseSubmissionForm
from listings.models import Case, Photo
from listings.submissions import SubmissionFailed, submit_case
from listings.tests.factories import CaseFactory, PhotoFactory, jpeg_bytes, uploaded_jpeg
from listings.tests.helpers import submission_data

pytestmark = pytest.mark.django_db


def jpeg_with_gps(name="gps.jpg"):
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x8825] = {1: "N", 2: (47.0, 33.0, 40.0), 3: "W", 4: (52.0, 42.0, 46.0)}  # GPSInfo
    data = jpeg_bytes(size=(320, 240), exif=exif.tobytes())
    assert b"Camera Maker" in data
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own moto server
        return response.read()


def submit(client, photos):
    return client.post(reverse("listings:submit"), submission_data(photos=photos))


def test_submission_stores_processed_objects_without_exif(s3_storage, client):
    member = UserFactory()
    client.force_login(member)

    response = submit(client, [jpeg_with_gps(), uploaded_jpeg("second.jpg")])

    assert response.status_code == 302
    case = Case.objects.get(submitted_by=member)
    photos = list(case.photos.all())
    assert len(photos) == 2
    expected = sorted(name for photo in photos for name in photo.stored_names())
    assert s3_storage.keys() == expected
    for key in expected:
        stored = s3_storage.read(key)
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG"
            assert not image.getexif()
        assert b"Camera Maker" not in stored
        assert b"Exif" not in stored


def test_objects_are_private(s3_storage):
    photo = PhotoFactory()
    unsigned = f"{s3_storage.endpoint_url}/{s3_storage.name}/{photo.image.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(unsigned)
    assert refused.value.code == 403
    assert s3_storage.client.head_object(Bucket=s3_storage.name, Key=photo.image.name)["ContentLength"] > 0


def test_staff_get_signed_urls_that_fetch_the_stored_bytes(s3_storage, client):
    photo = PhotoFactory()  # pending
    client.force_login(StaffFactory())

    for size, field in (("full", photo.image), ("thumb", photo.thumbnail)):
        response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": size}))

        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith(f"{s3_storage.endpoint_url}/{s3_storage.name}/{field.name}?")
        assert "X-Amz-Signature=" in location
        assert "X-Amz-Expires=300" in location
        assert "no-store" in response["Cache-Control"]
        assert fetch(location) == s3_storage.read(field.name)


def test_submitter_gets_a_signed_url_for_their_pending_photo(s3_storage, client):
    photo = PhotoFactory()
    client.force_login(photo.case.submitted_by)

    response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "full"}))

    assert response.status_code == 302
    assert fetch(response["Location"]) == s3_storage.read(photo.image.name)


@pytest.mark.parametrize("who", ["visitor", "other member"])
def test_pending_photo_url_is_never_signed_for_others(s3_storage, client, who):
    photo = PhotoFactory()
    if who == "other member":
        client.force_login(UserFactory())

    with mock.patch.object(S3Storage, "url") as url:
        response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "full"}))
        page = client.get(reverse("listings:case_detail", kwargs={"slug": photo.case.slug}))

    assert response.status_code == 404
    assert page.status_code == 404
    url.assert_not_called()
    assert s3_storage.name.encode() not in response.content + page.content


def test_published_photo_redirect_is_cacheable_for_less_than_the_signature(s3_storage, client):
    photo = PhotoFactory(case=CaseFactory(published=True))

    response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "thumb"}))

    assert response.status_code == 302
    assert "public" in response["Cache-Control"]
    assert "max-age=150" in response["Cache-Control"]
    assert fetch(response["Location"]) == s3_storage.read(photo.thumbnail.name)


def test_deleting_a_photo_deletes_its_objects(s3_storage, django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    other = PhotoFactory()
    assert len(s3_storage.keys()) == 4

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    assert s3_storage.keys() == sorted(other.stored_names())


def test_deleting_a_case_deletes_every_photo_object(s3_storage, django_capture_on_commit_callbacks):
    case = CaseFactory()
    PhotoFactory.create_batch(2, case=case)
    assert len(s3_storage.keys()) == 4

    with django_capture_on_commit_callbacks(execute=True):
        case.delete()

    assert s3_storage.keys() == []
    assert not Photo.objects.exists()


def test_purge_removes_rejected_objects(s3_storage, django_capture_on_commit_callbacks):
    rejected = CaseFactory()
    PhotoFactory(case=rejected)
    moderation.reject(rejected, by=StaffFactory())
    Case.objects.filter(pk=rejected.pk).update(reviewed_at="2020-01-01T00:00:00Z")
    kept = PhotoFactory(case=CaseFactory(published=True))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_rejected", "--older-than", "30", stdout=io.StringIO())

    assert s3_storage.keys() == sorted(kept.stored_names())
    assert not Case.objects.filter(pk=rejected.pk).exists()


def test_s3_failure_during_submit_shows_an_error_and_keeps_nothing(s3_storage, client):
    member = UserFactory()
    client.force_login(member)
    real_save = S3Storage._save
    calls = []

    def flaky_save(storage, name, content):
        calls.append(name)
        if len(calls) == 3:  # the second photo's full image: one photo is already stored
            raise EndpointConnectionError(endpoint_url=s3_storage.endpoint_url)
        return real_save(storage, name, content)

    with mock.patch.object(S3Storage, "_save", flaky_save):
        response = submit(client, [uploaded_jpeg("one.jpg"), uploaded_jpeg("two.jpg")])

    assert response.status_code == 200
    assert "storage_unavailable" in [error.code for error in response.context["form"].non_field_errors().as_data()]
    assert "Nothing was saved" in response.content.decode()
    assert len(calls) == 3
    assert not Case.objects.exists()
    assert not Photo.objects.exists()
    assert s3_storage.keys() == []


def test_missing_bucket_fails_the_submission_cleanly(s3_storage, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket-here"},
        },
    }
    form = CaseSubmissionForm(data=submission_data(), files={"photos": [uploaded_jpeg()]})
    assert form.is_valid(), form.errors

    with pytest.raises(SubmissionFailed):
        submit_case(by=UserFactory(), fields=form.submission_fields(), photos=[(form.cleaned_data["photos"][0], "")])

    assert not Case.objects.exists()
