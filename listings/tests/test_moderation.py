import pytest
from django.core.exceptions import ValidationError

from listings import moderation
from listings.models import AuditAction, AuditEntry, Case, CaseStatus, ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_publish_makes_case_and_its_pending_photos_public(moderator):
    case = CaseFactory()
    photo = PhotoFactory(case=case)

    moderation.publish(case, by=moderator, note="Checked with RNC")

    case.refresh_from_db()
    photo.refresh_from_db()
    assert case.review_state == ReviewState.PUBLISHED
    assert case.reviewed_by == moderator
    assert case.published_at is not None
    assert photo.review_state == ReviewState.PUBLISHED
    assert list(Case.objects.published()) == [case]
    entry = AuditEntry.objects.get(case=case, action=AuditAction.PUBLISHED)
    assert (entry.actor, entry.from_value, entry.to_value, entry.note) == (
        moderator,
        ReviewState.PENDING,
        ReviewState.PUBLISHED,
        "Checked with RNC",
    )
    assert AuditEntry.objects.filter(case=case, action=AuditAction.PHOTO_PUBLISHED, photo=photo).exists()


def test_reject_hides_case_and_rejects_pending_photos(moderator):
    case = CaseFactory()
    photo = PhotoFactory(case=case)

    moderation.reject(case, by=moderator, note="Duplicate")

    photo.refresh_from_db()
    assert Case.objects.get(pk=case.pk).review_state == ReviewState.REJECTED
    assert photo.review_state == ReviewState.REJECTED
    assert not Case.objects.published().exists()
    assert AuditEntry.objects.get(case=case, action=AuditAction.REJECTED).note == "Duplicate"


def test_mark_found_keeps_case_published(moderator):
    case = CaseFactory(published=True)

    moderation.mark_found(case, by=moderator)

    case.refresh_from_db()
    assert case.case_status == CaseStatus.FOUND
    assert case.review_state == ReviewState.PUBLISHED
    entry = AuditEntry.objects.get(case=case, action=AuditAction.MARKED_FOUND)
    assert (entry.from_value, entry.to_value) == (CaseStatus.MISSING, CaseStatus.FOUND)


def test_unpublish_returns_case_to_pending(moderator):
    case = CaseFactory(published=True)

    moderation.unpublish(case, by=moderator, note="Family asked")

    assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING
    assert AuditEntry.objects.filter(case=case, action=AuditAction.UNPUBLISHED).count() == 1


def test_invalid_transition_changes_nothing_and_writes_no_audit_row(moderator):
    case = CaseFactory()

    with pytest.raises(ValidationError) as excinfo:
        moderation.unpublish(case, by=moderator)

    assert excinfo.value.code == "invalid_transition"
    assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING
    assert not AuditEntry.objects.exists()


def test_marking_found_twice_is_refused(moderator):
    case = CaseFactory(published=True, case_status=CaseStatus.FOUND)

    with pytest.raises(ValidationError) as excinfo:
        moderation.mark_found(case, by=moderator)

    assert excinfo.value.code == "unchanged_status"


def test_audit_entries_cannot_be_changed_or_deleted(moderator):
    case = CaseFactory()
    moderation.publish(case, by=moderator)
    entry = AuditEntry.objects.get(action=AuditAction.PUBLISHED)

    entry.note = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_state_change_rolls_back_with_its_audit_row(moderator, monkeypatch):
    case = CaseFactory()

    def failing_record(*args, **kwargs):
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(moderation, "record", failing_record)
    with pytest.raises(RuntimeError):
        moderation.publish(case, by=moderator)

    assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING


def test_a_deleted_photo_keeps_its_key_in_the_audit_trail(moderator):
    photo = PhotoFactory(case=CaseFactory())
    key = photo.key

    moderation.record_deletion(photo, by=moderator)
    photo.delete()

    entry = AuditEntry.objects.get(action=AuditAction.DELETED)
    assert (entry.actor, entry.field, entry.from_value, entry.photo) == (moderator, "photo", str(key), None)


def test_a_photo_of_a_rejected_case_cannot_be_published(moderator):
    case = CaseFactory()
    photo = PhotoFactory(case=case, review_state=ReviewState.REJECTED)
    moderation.reject(case, by=moderator, email_submitter=False)

    with pytest.raises(ValidationError) as excinfo:
        moderation.publish_photo(photo, by=moderator)

    assert excinfo.value.code == "case_rejected"
    photo.refresh_from_db()
    assert photo.review_state == ReviewState.REJECTED
    assert not AuditEntry.objects.filter(action=AuditAction.PHOTO_PUBLISHED).exists()
