"""A member owns their submissions: reads why one was rejected, corrects it, withdraws it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from listings import moderation
from listings.models import AuditAction, AuditEntry, Case, Photo, ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory, uploaded_jpeg
from listings.tests.helpers import error_codes, submission_data

pytestmark = pytest.mark.django_db


def edit_url(case):
    return reverse("accounts:submission_edit", kwargs={"slug": case.slug})


def withdraw_url(case):
    return reverse("accounts:submission_withdraw", kwargs={"slug": case.slug})


class TestRejectionReason:
    def test_the_submitter_reads_the_reason_and_never_the_private_note(self, member_client, member, moderator):
        case = CaseFactory(submitted_by=member)

        moderation.reject(case, by=moderator, note="Looks like a prank", reason="Please add the police file number.")

        html = member_client.get(reverse("accounts:submissions")).content.decode()
        assert "Please add the police file number." in html
        assert "prank" not in html
        entry = AuditEntry.objects.get(case=case, action=AuditAction.REJECTED)
        assert entry.note == "Looks like a prank"

    def test_the_admin_confirmation_asks_for_the_reason(self, client, moderator):
        case = CaseFactory()
        client.force_login(moderator)
        url = reverse("admin:listings_case_moderate", args=[case.pk, "reject"])

        page = client.get(url)
        assert 'name="reason"' in page.text and 'name="note"' in page.text
        client.post(url, {"post": "yes", "note": "private", "reason": "We could not confirm it with the police."})

        case.refresh_from_db()
        assert case.review_state == ReviewState.REJECTED
        assert case.rejection_reason == "We could not confirm it with the police."

    def test_publishing_clears_the_reason(self, moderator):
        case = CaseFactory()
        moderation.reject(case, by=moderator, reason="Missing details")

        moderation.publish(case, by=moderator)

        case.refresh_from_db()
        assert case.rejection_reason == ""


class TestCorrect:
    def test_a_pending_case_is_corrected_and_audited(self, member_client, member):
        case = CaseFactory(submitted_by=member)
        PhotoFactory(case=case)

        response = member_client.post(edit_url(case), submission_data(first_name="Adah"))

        assert response.status_code == 302
        case.refresh_from_db()
        assert (case.first_name, case.review_state) == ("Adah", ReviewState.PENDING)
        entry = AuditEntry.objects.get(case=case, action=AuditAction.RESUBMITTED)
        assert (entry.actor, entry.from_value, entry.to_value) == (member, "pending", "pending")
        assert "first_name" in entry.note

    def test_a_rejected_case_goes_back_to_review_with_its_photos(self, member_client, member, moderator):
        case = CaseFactory(submitted_by=member)
        photo = PhotoFactory(case=case)
        moderation.reject(case, by=moderator, reason="Add a photo where the face shows")
        photo.refresh_from_db()
        assert photo.review_state == ReviewState.REJECTED

        member_client.post(edit_url(case), submission_data())

        case.refresh_from_db()
        photo.refresh_from_db()
        assert (case.review_state, case.rejection_reason) == (ReviewState.PENDING, "")
        assert photo.review_state == ReviewState.PENDING
        assert AuditEntry.objects.filter(case=case, action=AuditAction.RESUBMITTED).count() == 2

    def test_a_bad_correction_changes_nothing(self, member_client, member):
        case = CaseFactory(submitted_by=member, first_name="Ada")
        PhotoFactory(case=case)
        tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

        response = member_client.post(edit_url(case), submission_data(first_name="Bea", last_seen_date=tomorrow))

        assert response.status_code == 200
        assert "future_date" in error_codes(response.context["form"], "last_seen_date")
        case.refresh_from_db()
        assert case.first_name == "Ada"
        assert not AuditEntry.objects.filter(case=case).exists()

    def test_photos_are_removed_and_added_and_the_primary_moves(
        self, member_client, member, django_capture_on_commit_callbacks
    ):
        case = CaseFactory(submitted_by=member)
        primary = PhotoFactory(case=case, is_primary=True)
        names = primary.stored_names()

        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(
                edit_url(case), submission_data(remove_photos=[str(primary.key)], photos=[uploaded_jpeg("new.jpg")])
            )

        assert response.status_code == 302
        (photo,) = case.photos.all()
        assert photo.pk != primary.pk and photo.is_primary and photo.review_state == ReviewState.PENDING
        assert not any(default_storage.exists(name) for name in names)
        actions = set(AuditEntry.objects.filter(case=case).values_list("action", "field"))
        assert {(AuditAction.DELETED, "photo"), (AuditAction.RESUBMITTED, "photo")} <= actions

    def test_the_last_photo_cannot_be_removed(self, member_client, member):
        case = CaseFactory(submitted_by=member)
        photo = PhotoFactory(case=case)

        response = member_client.post(edit_url(case), submission_data(remove_photos=[str(photo.key)]))

        assert "required" in error_codes(response.context["form"], "photos")
        assert case.photos.count() == 1

    def test_another_cases_photo_cannot_be_removed(self, member_client, member):
        case = CaseFactory(submitted_by=member)
        PhotoFactory(case=case)
        other = PhotoFactory()

        response = member_client.post(edit_url(case), submission_data(remove_photos=[str(other.key)]))

        assert "invalid_choice" in error_codes(response.context["form"], "remove_photos")
        assert Photo.objects.filter(pk=other.pk).exists()

    def test_published_and_other_members_cases_cannot_be_corrected(self, member_client, member):
        published = CaseFactory(submitted_by=member, published=True)
        someone_elses = CaseFactory(first_name="Bea")

        assert member_client.get(edit_url(published)).status_code == 404
        assert member_client.post(edit_url(someone_elses), submission_data()).status_code == 404
        someone_elses.refresh_from_db()
        assert someone_elses.first_name == "Bea"

    def test_visitors_are_sent_to_log_in(self, client):
        assert client.get(edit_url(CaseFactory())).status_code == 302

    def test_only_the_submitter_may_resubmit(self, moderator):
        case = CaseFactory()

        with pytest.raises(ValidationError) as error:
            moderation.resubmit(case, by=moderator, fields={"first_name": "X"})

        assert error.value.code == "not_submitter"


class TestWithdraw:
    def test_withdrawing_deletes_the_case_photos_and_files_and_is_audited(
        self, member_client, member, django_capture_on_commit_callbacks
    ):
        case = CaseFactory(submitted_by=member)
        photo = PhotoFactory(case=case)
        names = photo.stored_names()
        assert all(default_storage.exists(name) for name in names)

        assert "cannot be undone" in member_client.get(withdraw_url(case)).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(withdraw_url(case))

        assert response.status_code == 302
        assert not Case.objects.filter(pk=case.pk).exists() and not Photo.objects.exists()
        assert not any(default_storage.exists(name) for name in names)
        entry = AuditEntry.objects.get(action=AuditAction.WITHDRAWN)
        assert (entry.case, entry.actor, entry.case_label) == (None, member, str(case))

    def test_published_and_other_members_cases_cannot_be_withdrawn(self, member_client, member):
        published = CaseFactory(submitted_by=member, published=True)
        someone_elses = CaseFactory()

        assert member_client.post(withdraw_url(published)).status_code == 404
        assert member_client.post(withdraw_url(someone_elses)).status_code == 404
        assert Case.objects.count() == 2

    def test_a_moderator_cannot_withdraw_someone_elses_case(self, moderator):
        case = CaseFactory()

        with pytest.raises(ValidationError) as error:
            moderation.withdraw(case, by=moderator)

        assert error.value.code == "not_submitter"
        assert Case.objects.filter(pk=case.pk).exists()


def test_a_correction_with_an_error_keeps_the_new_photo_attached(member_client, member):
    case = CaseFactory(submitted_by=member)
    PhotoFactory(case=case)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    response = member_client.post(
        edit_url(case), submission_data(last_seen_date=tomorrow, photos=[uploaded_jpeg("new.jpg")])
    )

    assert response.status_code == 200
    (staged,) = member.staged_photos.all()
    assert f'value="{staged.key}"' in response.content.decode()
    assert case.photos.count() == 1
