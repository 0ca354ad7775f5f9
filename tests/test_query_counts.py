"""No public page's query count grows with the number of cases, photos or resources it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listings.models import ReviewState
from listings.tests.factories import CaseFactory, PhotoFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def add_cases(count):
    cases = CaseFactory.create_batch(count, published=True, last_name="Kettleberry")
    for case in cases:
        PhotoFactory(case=case, review_state=ReviewState.PUBLISHED)
    ResourceFactory.create_batch(count)
    return cases


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("listings:case_list"),
        reverse("listings:case_list") + "?q=kettleberry",
        reverse("listings:case_list") + "?region=avalon&case_status=missing&age_min=1&age_max=99",
        reverse("listings:feed"),
        reverse("listings:sitemap"),
        reverse("listings:resources"),
    ],
)
def test_query_count_is_the_same_for_one_case_and_for_many(client, url, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    add_cases(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200

    add_cases(3)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_case_page_query_count_does_not_grow_with_its_photos(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    case = add_cases(1)[0]
    with CaptureQueriesContext(connection) as one:
        client.get(case.get_absolute_url())

    PhotoFactory.create_batch(3, case=case, review_state=ReviewState.PUBLISHED)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(case.get_absolute_url())
