"""Migrations that rewrite search rows keep what each case is found by, and add only what is new."""

import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from listings import search
from listings.models import CaseSearchToken, SearchName
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

add_joined_words = importlib.import_module("listings.migrations.0013_search_words_joined").add_joined_words


def tokens(case):
    return sorted(CaseSearchToken.objects.filter(case=case).values_list("token", flat=True))


def test_0013_adds_the_joined_words_of_cases_indexed_before_it_and_nothing_twice():
    case = CaseFactory(first_name="Mary Ann", last_name="O'Neil", last_seen_place="Corner Brook")
    indexed_today = tokens(case)
    # As 0008 indexed it: each word apart.
    labels = search.region_labels()[case.region]
    apart = {word for text in ["Mary Ann O'Neil Corner Brook", *labels] for word in search.normalise(text)}
    joined = set(indexed_today) - apart
    assert {"maryann", "cornerbrook", "avalonpeninsula"} <= joined
    CaseSearchToken.objects.filter(case=case, token__in=joined).delete()
    SearchName.objects.filter(name__in=joined).delete()
    cache.set(search.NAMES_CACHE_KEY, ["stale"])

    add_joined_words(apps, None)

    assert tokens(case) == indexed_today
    assert joined <= set(SearchName.objects.values_list("name", flat=True))
    assert cache.get(search.NAMES_CACHE_KEY) is None
