"""Fixtures for the appeal tests: an open appeal with a photo, and one case in every other state."""

import pytest

from accounts.tests.factories import StaffFactory
from listings import moderation
from listings.models import Case, ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://lostinnl.example"


@pytest.fixture
def appeal():
    case = CaseFactory(
        published=True,
        first_name="Marion",
        last_name="Brookfield",
        age_at_disappearance=17,
        last_seen_place="Harbour Drive, St. John's",
        police_file_number="RNC-2026-04417",
        distinguishing_features="Small anchor tattoo on the right forearm.",
        circumstances="Left the ferry terminal on foot.",
    )
    PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)
    return Case.objects.with_visible_photos().get(pk=case.pk)


@pytest.fixture
def cases_not_appealing():
    """A case in every state whose share image and poster must not exist."""
    moderator = StaffFactory()
    found = moderation.mark_found(CaseFactory(published=True), by=moderator)
    withdrawn = moderation.take_down(CaseFactory(published=True), by=moderator)
    cases = {
        "pending": CaseFactory(),
        "rejected": CaseFactory(rejected=True),
        "found": found,
        "withdrawn": withdrawn,
    }
    for case in cases.values():
        PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)
    return cases
