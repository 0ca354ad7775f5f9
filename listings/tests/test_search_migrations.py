"""Migrations that rewrite search rows keep what each case is found by, and add only what is new."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection

from listings import search
from listings.models import SEARCH_ROW_COPIES, CaseSearchToken, CaseStatus, Region, SearchName
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

add_joined_words = importlib.import_module("listings.migrations.0013_search_words_joined").add_joined_words
drop_region_words = importlib.import_module("listings.migrations.0014_search_regions_by_column").drop_region_words
copy_listing_columns = importlib.import_module(
    "listings.migrations.0015_search_rows_listing_copies"
).copy_listing_columns


def tokens(case):
    return sorted(CaseSearchToken.objects.filter(case=case).values_list("token", flat=True))


def test_0013_adds_the_joined_words_of_cases_indexed_before_it_and_nothing_twice():
    case = CaseFactory(first_name="Mary Ann", last_name="O'Neil", last_seen_place="Corner Brook")
    indexed_today = tokens(case)
    # As 0008 indexed it: each word apart.
    apart = set(search.normalise("Mary Ann O'Neil Corner Brook"))
    joined = set(indexed_today) - apart
    assert {"maryann", "cornerbrook"} <= joined
    CaseSearchToken.objects.filter(case=case, token__in=joined).delete()
    SearchName.objects.filter(name__in=joined).delete()
    cache.set(search.NAMES_CACHE_KEY, ["stale"])

    add_joined_words(apps, None)

    assert tokens(case) == indexed_today
    assert joined <= set(SearchName.objects.values_list("name", flat=True))
    assert cache.get(search.NAMES_CACHE_KEY) is None


def test_0014_drops_the_words_of_a_cases_region_but_keeps_its_own():
    avalon = CaseFactory(last_name="Avalon", last_seen_place="Mount Pearl", region=Region.AVALON)
    labrador = CaseFactory(last_name="Dyke", last_seen_place="Labrador City", region=Region.LABRADOR)
    indexed_today = {case: tokens(case) for case in (avalon, labrador)}
    # As 0013 left them: the words of each region's names in every language among their rows.
    for case in (avalon, labrador):
        CaseSearchToken.objects.bulk_create(
            CaseSearchToken(case=case, token=word)
            for word in sorted(search.region_words()[case.region] - set(indexed_today[case]))
        )
    assert {"peninsula", "avalonpeninsula"} <= set(tokens(avalon))

    drop_region_words(apps, SimpleNamespace(connection=connection))

    assert {case: tokens(case) for case in (avalon, labrador)} == indexed_today
    assert "avalon" in tokens(avalon) and "labrador" in tokens(labrador)


def test_0015_copies_each_cases_place_in_the_listings_into_its_search_rows():
    now = datetime.datetime(2026, 11, 30, 14, 5, 6, 123456, tzinfo=datetime.UTC)
    published = CaseFactory(published=True, published_at=now, case_status=CaseStatus.FOUND, region=Region.CENTRAL)
    on_the_hour = CaseFactory(published=True, published_at=now.replace(microsecond=0))
    pending = CaseFactory(region=Region.LABRADOR)
    copies = {case: set(copies_of(case)) for case in (published, on_the_hour, pending)}
    CaseSearchToken.objects.update(
        published_key=None, case_status=CaseStatus.MISSING, region="", age_at_disappearance=0, last_seen_day=0
    )

    copy_listing_columns(apps, SimpleNamespace(connection=connection))

    assert {case: set(copies_of(case)) for case in copies} == copies
    published.refresh_from_db()
    assert copies[published] == {
        (
            search.published_key(now),
            CaseStatus.FOUND,
            Region.CENTRAL,
            published.age_at_disappearance,
            published.last_seen_date.toordinal(),
        )
    }
    assert {copy[:3] for copy in copies[pending]} == {(None, CaseStatus.MISSING, Region.LABRADOR)}


def copies_of(case):
    return CaseSearchToken.objects.filter(case=case).values_list(*SEARCH_ROW_COPIES)
