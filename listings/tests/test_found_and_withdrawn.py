"""A found person's case thanks the public and drops its details; a withdrawn case is gone (410) everywhere."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from listings import moderation
from listings.models import AuditAction, AuditEntry, Case, CaseStatus, ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory
from listings.tests.helpers import case_url, tip_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def found_case(moderator):
    case = CaseFactory(
        published=True,
        first_name="Oona",
        last_name="Quarrington",
        circumstances="Walked towards Signal Hill at dusk.",
        distinguishing_features="Tattoo of a puffin on the left wrist.",
        last_seen_place="Quidi Vidi Village",
    )
    PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)
    return moderation.mark_found(case, by=moderator)


def public_surfaces(client):
    """The text of every public page that lists cases."""
    pages = [
        reverse("home"),
        reverse("listings:case_list"),
        reverse("listings:case_list") + "?q=Quarrington",
        reverse("listings:feed"),
        reverse("listings:sitemap"),
    ]
    return {url: client.get(url).content.decode() for url in pages}


def test_mark_found_records_the_date_found_and_mark_missing_clears_it(moderator):
    case = CaseFactory(published=True)

    moderation.mark_found(case, by=moderator)
    assert Case.objects.get(pk=case.pk).found_at is not None

    moderation.mark_missing(case, by=moderator)
    assert Case.objects.get(pk=case.pk).found_at is None


def test_found_case_page_thanks_the_public_without_tip_form_911_share_or_details(client, found_case):
    response = client.get(case_url(found_case))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Oona has been found." in html
    assert "Thank you" in html
    for gone in [
        "Share information",
        'call <a href="tel:911">911</a>.</p>\n      </section>',
        "If you see this person now",
        "Share this case",
        "Walked towards Signal Hill",
        "puffin",
        "Quidi Vidi Village",
        found_case.police_file_number,
        "poster.pdf",
    ]:
        assert gone not in html, gone
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_found_case_photos_carry_noindex(client, found_case):
    photo = found_case.photos.get()

    response = client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "full"}))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"


def test_missing_case_page_and_photos_are_indexable(client):
    case = CaseFactory(published=True)
    photo = PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)

    assert "X-Robots-Tag" not in client.get(case_url(case))
    assert "X-Robots-Tag" not in client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "thumb"}))


def test_found_case_takes_no_tips(client, found_case):
    response = client.post(tip_url(found_case), {"message": "I saw her yesterday near the harbour."})

    assert response.status_code == 404
    assert not found_case.tips.exists()


def test_found_cases_are_listed_only_under_the_found_filter_without_details(client, found_case):
    surfaces = public_surfaces(client)
    for url, text in surfaces.items():
        assert found_case.slug not in text, url

    html = client.get(reverse("listings:case_list"), {"case_status": "found"}).content.decode()
    assert found_case.get_absolute_url() in html
    assert "Quidi Vidi Village" not in html


def test_take_down_withdraws_a_case_with_its_audit_row(moderator, found_case):
    moderation.take_down(found_case, by=moderator, note="Family asked")

    case = Case.objects.get(pk=found_case.pk)
    assert case.review_state == ReviewState.WITHDRAWN
    assert case.withdrawn_at is not None
    entry = AuditEntry.objects.get(case=case, action=AuditAction.TAKEN_DOWN)
    assert (entry.actor, entry.from_value, entry.to_value, entry.note) == (
        moderator,
        ReviewState.PUBLISHED,
        ReviewState.WITHDRAWN,
        "Family asked",
    )


@pytest.mark.parametrize("start", [{}, {"rejected": True}, {"withdrawn": True}])
def test_only_a_published_case_can_be_taken_down(moderator, start):
    case = CaseFactory(**start)

    with pytest.raises(ValidationError) as error:
        moderation.take_down(case, by=moderator)

    assert error.value.code == "invalid_transition"
    assert not AuditEntry.objects.filter(case=case).exists()


def test_withdrawn_case_answers_410_and_leaves_every_public_surface(client, moderator, found_case):
    photo = found_case.photos.get()
    moderation.take_down(found_case, by=moderator)

    response = client.get(case_url(found_case))
    assert response.status_code == 410
    html = response.content.decode()
    assert "no longer on the site" in html
    assert "Oona" not in html
    assert '<meta name="robots" content="noindex">' in html
    for size in ["full", "thumb"]:
        assert client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": size})).status_code == 404
    assert client.post(tip_url(found_case), {"message": "Seen"}).status_code == 404
    for url, text in public_surfaces(client).items():
        assert found_case.slug not in text, url
    found_list = client.get(reverse("listings:case_list"), {"case_status": "found"}).content.decode()
    assert found_case.slug not in found_list


def test_withdrawn_case_is_gone_for_its_submitter_too(client, moderator, found_case):
    moderation.take_down(found_case, by=moderator)
    client.force_login(found_case.submitted_by)

    assert client.get(case_url(found_case)).status_code == 410
    photo = found_case.photos.get()
    assert client.get(reverse("listings:photo", kwargs={"key": photo.key, "size": "full"})).status_code == 404


def test_a_slug_that_never_existed_is_still_404(client):
    assert client.get(reverse("listings:case_detail", kwargs={"slug": "nobody-abc123"})).status_code == 404


def test_restore_puts_a_withdrawn_case_back_as_it_was(client, moderator, found_case):
    moderation.take_down(found_case, by=moderator)

    moderation.restore(found_case, by=moderator, note="Taken down by mistake")

    case = Case.objects.get(pk=found_case.pk)
    assert (case.review_state, case.case_status) == (ReviewState.PUBLISHED, CaseStatus.FOUND)
    assert AuditEntry.objects.filter(case=case, action=AuditAction.RESTORED, note="Taken down by mistake").exists()
    assert client.get(case_url(case)).status_code == 200


def test_withdraw_found_takes_down_cases_past_the_retention_period(settings, moderator):
    settings.FOUND_CASE_RETENTION_DAYS = 30
    old = CaseFactory(found=True, found_at=timezone.now() - datetime.timedelta(days=31))
    recent = CaseFactory(found=True, found_at=timezone.now() - datetime.timedelta(days=29))
    missing = CaseFactory(published=True)
    out = io.StringIO()

    call_command("withdraw_found", stdout=out)

    assert Case.objects.get(pk=old.pk).review_state == ReviewState.WITHDRAWN
    assert Case.objects.get(pk=recent.pk).review_state == ReviewState.PUBLISHED
    assert Case.objects.get(pk=missing.pk).review_state == ReviewState.PUBLISHED
    assert f"withdrawing case {old.slug}" in out.getvalue()
    entry = AuditEntry.objects.get(case=old, action=AuditAction.TAKEN_DOWN)
    assert (entry.actor, entry.note) == (None, "Withdrawn 30 days after the person was found.")


def test_withdraw_found_dry_run_changes_nothing(settings):
    old = CaseFactory(
        found=True, found_at=timezone.now() - datetime.timedelta(days=settings.FOUND_CASE_RETENTION_DAYS + 1)
    )
    out = io.StringIO()

    call_command("withdraw_found", "--dry-run", stdout=out)

    assert f"would withdraw case {old.slug}" in out.getvalue()
    assert Case.objects.get(pk=old.pk).review_state == ReviewState.PUBLISHED
    assert not AuditEntry.objects.exists()


def test_withdraw_found_leaves_a_case_staff_restored(settings, moderator):
    old = CaseFactory(
        found=True, found_at=timezone.now() - datetime.timedelta(days=settings.FOUND_CASE_RETENTION_DAYS + 1)
    )
    call_command("withdraw_found", stdout=io.StringIO())
    moderation.restore(old, by=moderator)

    out = io.StringIO()
    call_command("withdraw_found", stdout=out)

    assert Case.objects.get(pk=old.pk).review_state == ReviewState.PUBLISHED
    assert "No case found more than" in out.getvalue()
