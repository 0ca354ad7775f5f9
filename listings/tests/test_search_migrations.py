"""Migrations that rewrite search rows keep what each case is found by, and add only what is new."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection

from listings import search
from listings.models import CaseSearchToken, Region, SearchName
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

add_joined_words = importlib.import_module("listings.migrations.0013_search_words_joined").add_joined_words
drop_region_words = importlib.import_module("listings.migrations.0014_search_regions_by_column").drop_region_words


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
