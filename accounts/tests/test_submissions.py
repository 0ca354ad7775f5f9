import pytest
from django.urls import reverse

from listings.models import ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory

from .factories import UserFactory

pytestmark = pytest.mark.django_db


class TestLoginRequired:
    def test_submissions_redirect_visitors_to_login_with_next(self, client):
        url = reverse("accounts:submissions")

        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"

    def test_submit_redirects_visitors_to_login_with_next(self, client):
        url = reverse("listings:submit")

        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


class TestMySubmissions:
    def test_empty_state_invites_a_first_submission(self, client, member):
        client.force_login(member)

        response = client.get(reverse("accounts:submissions"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "<h1>My submissions</h1>" in content
        assert "You have not submitted a case yet" in content
        assert f'href="{reverse("listings:submit")}"' in content

    def test_lists_own_cases_with_their_review_state(self, client, member):
        pending = CaseFactory(submitted_by=member, first_name="Pending", last_name="Person")
        published = CaseFactory(submitted_by=member, published=True, first_name="Public", last_name="Person")
        rejected = CaseFactory(submitted_by=member, rejected=True, first_name="Refused", last_name="Person")
        client.force_login(member)

        response = client.get(reverse("accounts:submissions"))

        assert set(response.context["cases"]) == {pending, published, rejected}
        content = response.content.decode()
        for case in (pending, published, rejected):
            assert f'href="{case.get_absolute_url()}"' in content
            assert case.full_name in content
        for label in ("Pending review", "Published", "Rejected"):
            assert label in content
        assert "badge--pending" in content and "badge--rejected" in content
        assert "What the review states mean" in content
        assert f'href="{reverse("listings:submit")}"' in content

    def test_shows_the_case_status(self, client, member):
        CaseFactory(submitted_by=member, published=True, case_status="found")
        client.force_login(member)

        response = client.get(reverse("accounts:submissions"))

        assert '<span class="badge badge--found">Found</span>' in response.content.decode()

    def test_never_lists_other_members_cases(self, client, member):
        mine = CaseFactory(submitted_by=member)
        others = [
            CaseFactory(first_name="Secret", last_name="Pending"),
            CaseFactory(first_name="Secret", last_name="Rejected", rejected=True),
            CaseFactory(first_name="Secret", last_name="Published", published=True),
        ]
        client.force_login(member)

        response = client.get(reverse("accounts:submissions"))

        assert list(response.context["cases"]) == [mine]
        content = response.content.decode()
        assert "Secret" not in content
        for case in others:
            assert case.get_absolute_url() not in content

    def test_staff_see_only_their_own_submissions_here(self, client, member):
        CaseFactory(submitted_by=member)
        staff = UserFactory(username="moderator", is_staff=True)
        client.force_login(staff)

        response = client.get(reverse("accounts:submissions"))

        assert list(response.context["cases"]) == []

    def test_shows_the_thumbnail_of_a_pending_photo_to_its_submitter(self, client, member):
        photo = PhotoFactory(case=CaseFactory(submitted_by=member), is_primary=True)
        client.force_login(member)

        response = client.get(reverse("accounts:submissions"))

        assert photo.get_thumbnail_url() in response.content.decode()
        assert photo.case.review_state == ReviewState.PENDING

    @pytest.mark.parametrize("state", [ReviewState.PENDING, ReviewState.REJECTED])
    def test_links_work_for_the_submitter_before_publication(self, client, member, state):
        case = CaseFactory(submitted_by=member, review_state=state)
        client.force_login(member)

        response = client.get(case.get_absolute_url())

        assert response.status_code == 200

    def test_queries_do_not_grow_with_the_number_of_cases(self, client, member, django_assert_max_num_queries):
        for _ in range(5):
            PhotoFactory(case=CaseFactory(submitted_by=member), is_primary=True)
        client.force_login(member)

        with django_assert_max_num_queries(8):
            response = client.get(reverse("accounts:submissions"))

        assert len(response.context["cases"]) == 5
