"""What MySQL/MariaDB must do for this site: full Unicode, strict mode, the indexes the listings use.

Run with DATABASE_URL=mysql://root@127.0.0.1:3306/lostinnl make test; on SQLite these are skipped.
"""

import pytest
from django.conf import settings
from django.db import DataError, connection
from django.db.models import F

from accounts.tests.factories import UserFactory
from listings import search
from listings.filters import CaseFilter
from listings.models import Case, CaseSearchToken
from listings.pagination import CappedPaginator
from listings.search import InIds
from listings.tests.factories import CaseFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL-only: set DATABASE_URL=mysql://..."),
]


def test_connection_and_tables_use_utf8mb4_with_a_full_unicode_collation():
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@character_set_connection, @@collation_connection")
        assert cursor.fetchone() == ("utf8mb4", "utf8mb4_unicode_520_ci")
        cursor.execute(
            "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            [Case._meta.db_table],
        )
        assert cursor.fetchone() == ("utf8mb4_unicode_520_ci",)


def test_accents_and_emoji_round_trip():
    case = CaseFactory(
        first_name="Zoë", last_name="Ó Súilleabháin", nickname="Zo 🌊💫", last_seen_place="Île-à-la-Crosse"
    )

    fresh = Case.objects.get(pk=case.pk)

    assert (fresh.first_name, fresh.last_name, fresh.nickname, fresh.last_seen_place) == (
        "Zoë",
        "Ó Súilleabháin",
        "Zo 🌊💫",
        "Île-à-la-Crosse",
    )
    assert Case.objects.filter(nickname="Zo 🌊💫").get() == case
    assert not Case.objects.filter(nickname="Zo 🌊🌊").exists()


def test_search_ignores_accents_and_case():
    case = CaseFactory(published=True, first_name="Zoë", last_seen_place="Île-à-la-Crosse")

    assert list(Case.objects.published().search("zoe")) == [case]
    assert list(Case.objects.published().search("ILE")) == [case]


def test_strict_mode_refuses_data_that_would_be_truncated():
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@SESSION.sql_mode")
        assert "STRICT_TRANS_TABLES" in cursor.fetchone()[0]
    case = CaseFactory()

    with pytest.raises(DataError):
        Case.objects.filter(pk=case.pk).update(first_name="x" * 81)


def explain(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def many_cases():
    submitter = UserFactory()  # one: hashing a password per case would be slow
    CaseFactory.create_batch(40, published=True, region="labrador", submitted_by=submitter)
    CaseFactory.create_batch(40, published=True, region="avalon", case_status="found", submitted_by=submitter)
    CaseFactory.create_batch(200, submitted_by=submitter)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"region": "labrador"},
        {"case_status": "found"},
        {"seen_after": "2020-01-01", "seen_before": "2030-01-01"},
        {"age_min": "20", "age_max": "40"},
        {"q": "street"},
        {"q": "labrador"},
    ],
)
def test_listing_pages_use_an_index(many_cases, query):
    matches = CaseFilter(query, queryset=Case.objects.published()).qs
    paginator = CappedPaginator(matches, settings.LISTINGS_PAGE_SIZE, rows=matches, max_pages=100)
    page_ids = paginator.object_list.tiers[0].values_list("pk", flat=True)[: settings.LISTINGS_PAGE_SIZE]

    for queryset in (matches[: settings.LISTINGS_PAGE_SIZE], page_ids):
        plan = explain(queryset)
        case_rows = [row for row in plan if row["table"] == Case._meta.db_table]
        assert case_rows and all(row["key"] for row in case_rows), plan


@pytest.mark.parametrize(
    "query", [{}, {"region": "labrador"}, {"seen_after": "2020-01-01"}, {"age_min": "20", "age_max": "40"}]
)
def test_a_listing_pages_ids_come_from_the_index_alone(many_cases, query):
    matches = CaseFilter(query, queryset=Case.objects.published()).qs
    paginator = CappedPaginator(matches, settings.LISTINGS_PAGE_SIZE, rows=matches, max_pages=100)
    page_ids = paginator.object_list.tiers[0].values_list("pk", flat=True)[: settings.LISTINGS_PAGE_SIZE]

    plan = explain(page_ids)

    # "Using index" (not "Using index condition"): every row of the plan is read from the index alone.
    case_rows = [row for row in plan if row["table"] == Case._meta.db_table]
    assert case_rows, plan
    assert all("Using index" in (row["Extra"] or "").split("; ") for row in case_rows), plan


@pytest.mark.parametrize("text", ["labrador", "labr"])
def test_a_region_words_pages_are_read_in_the_listings_order_not_sorted(many_cases, text):
    # The region is a condition on the cases' column, which the listing index holds: each tier of the ranking
    # is read from it in order, stopping after a page, however many cases the region has.
    matches = CaseFilter({"q": text}, queryset=Case.objects.published()).qs

    plans = [
        explain(tier.values_list("pk", flat=True)[: settings.LISTINGS_PAGE_SIZE]) for tier in search.tiers(matches)
    ]

    # A tier nothing can be in ("labr" is no case's whole word) is not read at all ("Impossible WHERE").
    case_rows = [row for plan in plans for row in plan if row["table"] == Case._meta.db_table]
    assert case_rows, plans
    assert all(row["key"].startswith("case_listing") for row in case_rows), plans
    assert not any("filesort" in (row["Extra"] or "") for row in case_rows), plans


def test_newest_first_listing_reads_the_index_in_order(many_cases):
    [row] = explain(Case.objects.published()[: settings.LISTINGS_PAGE_SIZE])

    assert row["key"] == "case_state_published_idx"
    assert "filesort" not in (row["Extra"] or "")


def test_a_searchs_other_words_are_read_for_its_few_cases_only(many_cases):
    # A common word ("labrador": the region of a sixth of the cases at scale, and the start of more words
    # here), once another word of the search has narrowed it to a few cases, is read for those cases alone.
    cases = list(Case.objects.values_list("pk", flat=True))
    CaseSearchToken.objects.bulk_create(
        CaseSearchToken(case_id=cases[number % len(cases)], token=f"labrador{number}") for number in range(3000)
    )
    few = cases[:5]
    rows = CaseSearchToken.objects.filter(search.matching_word("labrador"), InIds(F("case_id"), few))

    [row] = explain(rows.values_list("case_id", "token"))

    assert row["key"] == "search_case_token_idx", row
    assert "Using index" in (row["Extra"] or "").split("; "), row


@pytest.mark.parametrize("query", [{"q": "street"}, {"q": "street labrador", "age_min": "20"}])
def test_a_broad_search_is_ranked_from_the_search_token_index_alone(many_cases, query, monkeypatch):
    # As a common word is at 100,000 cases: too many cases for a short list, ranked by one query on the search rows.
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 0)
    filters = CaseFilter(query, queryset=Case.objects.published())
    ranking = search.ranking_of(filters.qs)

    plan = explain(ranking.ranked(**filters.short_list_filters())[: settings.LISTINGS_PAGE_SIZE * 100 + 1])

    # "Using index" (not "Using index condition"): no search row is read but from the index, no case at all.
    assert [row["table"] for row in plan] == [CaseSearchToken._meta.db_table], plan
    assert [row["key"] for row in plan] == ["search_token_listed_idx"], plan
    assert "Using index" in (plan[0]["Extra"] or "").split("; "), plan
