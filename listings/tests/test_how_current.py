"""A case page says how current it is; staff re-confirm open cases with the police."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from listings import moderation
from listings.models import AuditAction, AuditEntry, Case
from listings.tests.factories import CaseFactory
from listings.tests.helpers import case_url

pytestmark = pytest.mark.django_db


def test_case_page_shows_published_and_updated_dates_and_age_now(client):
    seen = timezone.localdate().replace(year=timezone.localdate().year - 5) - datetime.timedelta(days=1)
    case = CaseFactory(published=True, age_at_disappearance=16, last_seen_date=seen)

    html = client.get(case_url(case)).content.decode()

    assert "Published" in html
    assert "Last updated" in html
    assert "(about 21 years old now)" in html
    assert "Details last confirmed" not in html


def test_found_case_page_shows_the_date_found(client, moderator):
    case = moderation.mark_found(CaseFactory(published=True), by=moderator)

    html = client.get(case_url(case)).content.decode()

    assert f'Found <time datetime="{timezone.localtime(case.found_at).date().isoformat()}">' in html


def test_confirm_records_the_check_and_the_page_shows_it(client, moderator):
    case = CaseFactory(published=True)

    moderation.confirm(case, by=moderator, note="Spoke to RNC file officer")

    case = Case.objects.get(pk=case.pk)
    assert case.confirmed_at is not None
    entry = AuditEntry.objects.get(case=case, action=AuditAction.CONFIRMED)
    assert (entry.actor, entry.note) == (moderator, "Spoke to RNC file officer")
    html = client.get(case_url(case)).content.decode()
    assert "Details last confirmed on" in html


@pytest.mark.parametrize("start", [{}, {"rejected": True}, {"found": True}, {"withdrawn": True}])
def test_only_an_open_published_case_can_be_confirmed(moderator, start):
    case = CaseFactory(**start)

    with pytest.raises(ValidationError) as error:
        moderation.confirm(case, by=moderator)

    assert error.value.code == "invalid_transition"
    assert not AuditEntry.objects.filter(case=case).exists()


def test_cases_unconfirmed_for_the_period_need_reconfirmation_and_stay_published(settings, client, moderator):
    settings.CASE_CONFIRMATION_DAYS = 90
    long_ago = timezone.now() - datetime.timedelta(days=91)
    stale = CaseFactory(published=True, published_at=long_ago)
    checked = CaseFactory(published=True, published_at=long_ago, confirmed_at=timezone.now())
    fresh = CaseFactory(published=True)
    CaseFactory(found=True, published_at=long_ago)

    assert list(Case.objects.needs_confirmation()) == [stale]
    assert client.get(case_url(stale)).status_code == 200

    client.force_login(moderator)
    changelist = reverse("admin:listings_case_changelist")
    response = client.get(changelist, {"confirmation": "due"})
    assert list(response.context["cl"].result_list) == [stale]
    assert "1 case needs re-confirmation" in response.content.decode()
    assert {checked, fresh}.isdisjoint(response.context["cl"].result_list)
