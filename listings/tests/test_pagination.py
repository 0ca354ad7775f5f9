"""Listing pages: exact matches first across page boundaries, rows fetched by id, a capped count."""

import datetime

import pytest

from listings import search
from listings.models import Case, CaseStatus
from listings.pagination import CappedPaginator
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


FROM_SEARCH_ROWS = ("ranked from search rows", "common words ranked from search rows")


@pytest.fixture(
    autouse=True,
    params=["short list", "ranked from search rows", "common words", "common words ranked from search rows"],
)
def narrowing(request, monkeypatch):
    """Each test four times: a search narrowed to a list of ids (read at once), the same ranked from the copies
    its search rows hold (as the listings do, given their filters), and one of words too common to list, as at
    100,000 cases: ranked by the database from the cases (read in tiers) and from the search rows (as the listings
    do)."""
    if request.param.startswith("common words"):
        monkeypatch.setattr(search, "CANDIDATE_LIMIT", 0)
    return request.param


def paginator_of(text, per_page, narrowing, max_pages=10):
    published = Case.objects.published()
    if narrowing in FROM_SEARCH_ROWS:
        filters = {"case_status": CaseStatus.MISSING, "region": None}
        matches = published.filter(case_status=CaseStatus.MISSING).search(text)
        return CappedPaginator(matches, per_page, rows=published, max_pages=max_pages, filters=filters)
    return CappedPaginator(published.search(text), per_page, rows=published, max_pages=max_pages)


@pytest.fixture
def martins_and_martens():
    now = datetime.datetime.now(datetime.UTC)
    for days, name in enumerate(["Marten", "Martin", "Marten", "Martin", "Marten", "Martin"]):
        CaseFactory(published=True, last_name=name, first_name=f"N{days}", published_at=now - datetime.timedelta(days))


def pages(text, per_page, narrowing, max_pages=10):
    paginator = paginator_of(text, per_page, narrowing, max_pages)
    return paginator, [[case.full_name for case in paginator.page(n)] for n in paginator.page_range]


def test_pages_hold_the_exact_matches_then_the_near_ones_newest_first(martins_and_martens, narrowing):
    paginator, shown = pages("martin", per_page=2, narrowing=narrowing)

    assert shown == [["N1 Martin", "N3 Martin"], ["N5 Martin", "N0 Marten"], ["N2 Marten", "N4 Marten"]]
    assert paginator.count == 6 and not paginator.has_more


def test_a_page_spanning_both_kinds_of_match_is_in_the_searchs_order(martins_and_martens, narrowing):
    _paginator, shown = pages("marten", per_page=4, narrowing=narrowing)

    expected = list(Case.objects.published().search("marten"))
    assert [name for page in shown for name in page] == [case.full_name for case in expected]
    assert shown[0][:3] == ["N0 Marten", "N2 Marten", "N4 Marten"]


def test_the_count_stops_at_the_last_page_shown(martins_and_martens, narrowing):
    paginator, shown = pages("mart", per_page=2, narrowing=narrowing, max_pages=2)

    assert paginator.count == 4 and paginator.has_more
    assert len(shown) == 2


def test_an_unpublished_case_never_reaches_a_page_even_among_the_ids(narrowing):
    CaseFactory(published=True, last_name="Martin")
    CaseFactory(last_name="Martin")

    _paginator, shown = pages("martin", per_page=10, narrowing=narrowing)

    assert shown == [[Case.objects.published().get().full_name]]


def test_a_short_list_is_counted_and_paged_with_one_query(martins_and_martens, narrowing, django_assert_num_queries):
    paginator = paginator_of("martin", 2, narrowing)

    # One query for the count and the ids, one for the rows; a short list ranked from the search rows, the rows
    # alone; in tiers, the count and each tier's ids apart.
    queries = {
        "short list": 2,
        "ranked from search rows": 1,
        "common words": 4,
        "common words ranked from search rows": 2,
    }[narrowing]
    with django_assert_num_queries(queries):
        assert paginator.count == 6
        assert [case.full_name for case in paginator.page(2)] == ["N5 Martin", "N0 Marten"]
    assert search.is_short_list(paginator.object_list.matches) == (not narrowing.startswith("common words"))
