"""Possible duplicates: similar names (case, accents, one typo) last seen within the window."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from listings.duplicates import name_key, possible_duplicates, similar_names
from listings.models import Case
from listings.roles import ensure_moderators_group
from listings.tests.factories import CaseFactory, uploaded_jpeg
from listings.tests.helpers import error_codes, submission_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _window(settings):
    settings.DUPLICATE_WINDOW_DAYS = 90


def test_name_key_sets_aside_case_accents_and_punctuation():
    assert name_key("  ZOË  O'Brien ") == "zoe obrien"


@pytest.mark.parametrize(
    ("first", "last", "similar"),
    [
        ("ada", "TESTCASE", True),  # case
        ("Adà", "Testcasé", True),  # accents
        ("Adda", "Testcase", True),  # a letter added
        ("Ada", "Tsetcase", True),  # two letters swapped
        ("Ida", "Testcase", True),  # one letter changed
        ("Ida", "Testcas", False),  # two typos
        ("Bob", "Testcase", False),
    ],
)
def test_similar_names_forgive_case_accents_and_one_typo(first, last, similar):
    assert similar_names("Ada", "Testcase", first, last) is similar


def test_only_cases_last_seen_within_the_window_match():
    near = CaseFactory(first_name="Ada", last_name="Testcase", last_seen_date=TODAY - datetime.timedelta(days=80))
    CaseFactory(first_name="Ada", last_name="Testcase", last_seen_date=TODAY - datetime.timedelta(days=200))

    found = possible_duplicates(Case.objects.all(), first_name="Ada", last_name="Testcase", last_seen_date=TODAY)

    assert found == [near]


class TestAtSubmission:
    def test_a_published_match_is_shown_by_name_and_link_and_asks_for_confirmation(self, member_client):
        published = CaseFactory(
            published=True, first_name="Adá", last_name="Testcase", last_seen_date=TODAY, police_file_number="RNC-77"
        )

        response = member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))

        assert response.status_code == 200
        assert "possible_duplicate" in error_codes(response.context["form"], "__all__")
        html = response.content.decode()
        assert f'<a href="{published.get_absolute_url()}">{published.full_name}</a>' in html
        assert "RNC-77" not in html
        assert not Case.objects.exclude(pk=published.pk).exists()

    def test_confirming_it_is_another_person_submits(self, member_client):
        CaseFactory(published=True, first_name="Ada", last_name="Testcase", last_seen_date=TODAY)

        response = member_client.post(
            reverse("listings:submit"), submission_data(different_person="on", photos=[uploaded_jpeg()])
        )

        assert response.status_code == 302
        assert Case.objects.count() == 2

    def test_someone_elses_pending_case_is_never_shown_to_a_member(self, member_client):
        hidden = CaseFactory(first_name="Ada", last_name="Testcase", last_seen_date=TODAY)

        response = member_client.post(reverse("listings:submit"), submission_data(photos=[uploaded_jpeg()]))

        assert response.status_code == 302  # no warning: the member cannot know that case exists
        assert Case.objects.exclude(pk=hidden.pk).count() == 1


class TestInTheAdmin:
    def test_a_pending_case_lists_every_possible_duplicate_to_staff(self, client):
        moderator = StaffFactory()
        moderator.groups.add(ensure_moderators_group()[0])
        client.force_login(moderator)
        case = CaseFactory(first_name="Ada", last_name="Testcase", last_seen_date=TODAY)
        pending = CaseFactory(first_name="ADA", last_name="Testcas", last_seen_date=TODAY)
        rejected = CaseFactory(rejected=True, first_name="Ada", last_name="Testcase", last_seen_date=TODAY)
        unrelated = CaseFactory(first_name="Zed", last_name="Other", last_seen_date=TODAY)

        html = client.get(reverse("admin:listings_case_change", args=[case.pk])).content.decode()

        for match in (pending, rejected):
            assert reverse("admin:listings_case_change", args=[match.pk]) in html
        assert reverse("admin:listings_case_change", args=[unrelated.pk]) not in html
