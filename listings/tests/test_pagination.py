"""Listing pages: exact matches first across page boundaries, rows fetched by id, a capped count."""

import datetime

import pytest

from listings import search
from listings.models import Case
from listings.pagination import CappedPaginator
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["short list", "common words"])
def narrowing(request, monkeypatch):
    """Each test twice: a search narrowed to a list of ids (read at once), and one of words too common to list
    (read in tiers), as at 100,000 cases."""
    if request.param == "common words":
        monkeypatch.setattr(search, "CANDIDATE_LIMIT", 0)
    return request.param


@pytest.fixture
def martins_and_martens():
    now = datetime.datetime.now(datetime.UTC)
    for days, name in enumerate(["Marten", "Martin", "Marten", "Martin", "Marten", "Martin"]):
        CaseFactory(published=True, last_name=name, first_name=f"N{days}", published_at=now - datetime.timedelta(days))


def pages(text, per_page, max_pages=10):
    published = Case.objects.published()
    paginator = CappedPaginator(published.search(text), per_page, rows=published, max_pages=max_pages)
    return paginator, [[case.full_name for case in paginator.page(n)] for n in paginator.page_range]


def test_pages_hold_the_exact_matches_then_the_near_ones_newest_first(martins_and_martens):
    paginator, shown = pages("martin", per_page=2)

    assert shown == [["N1 Martin", "N3 Martin"], ["N5 Martin", "N0 Marten"], ["N2 Marten", "N4 Marten"]]
    assert paginator.count == 6 and not paginator.has_more


def test_a_page_spanning_both_kinds_of_match_is_in_the_searchs_order(martins_and_martens):
    _paginator, shown = pages("marten", per_page=4)

    expected = list(Case.objects.published().search("marten"))
    assert [name for page in shown for name in page] == [case.full_name for case in expected]
    assert shown[0][:3] == ["N0 Marten", "N2 Marten", "N4 Marten"]


def test_the_count_stops_at_the_last_page_shown(martins_and_martens):
    paginator, shown = pages("mart", per_page=2, max_pages=2)

    assert paginator.count == 4 and paginator.has_more
    assert len(shown) == 2


def test_an_unpublished_case_never_reaches_a_page_even_among_the_ids():
    CaseFactory(published=True, last_name="Martin")
    CaseFactory(last_name="Martin")

    _paginator, shown = pages("martin", per_page=10)

    assert shown == [[Case.objects.published().get().full_name]]


def test_a_short_list_is_counted_and_paged_with_one_query(martins_and_martens, narrowing, django_assert_num_queries):
    published = Case.objects.published()
    matches = published.search("martin")
    paginator = CappedPaginator(matches, 2, rows=published, max_pages=10)

    # One query for the count and the ids, one for the rows; in tiers, the count and each tier's ids apart.
    with django_assert_num_queries(2 if narrowing == "short list" else 4):
        assert paginator.count == 6
        assert [case.full_name for case in paginator.page(2)] == ["N5 Martin", "N0 Marten"]
    assert search.is_short_list(matches) == (narrowing == "short list")
