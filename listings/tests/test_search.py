"""Search forgives punctuation, accents, region names and one typo, and ranks exact matches first."""

import datetime
import re
from operator import itemgetter

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listings import moderation, search
from listings.filters import CaseFilter
from listings.models import Case, CaseSearchToken, CaseStatus, Region
from listings.pagination import CappedPaginator
from listings.search import Ids, InIds, normalise
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def found(text):
    return list(Case.objects.published().search(text).values_list("last_name", flat=True))


@pytest.fixture
def cases():
    CaseFactory(
        published=True, first_name="Maren", last_name="Quillfeather", last_seen_place="Water Street, St. John's"
    )
    CaseFactory(published=True, first_name="Zoë", last_name="Brûlé", last_seen_place="Gander", region=Region.CENTRAL)
    CaseFactory(
        published=True,
        first_name="Marigold",
        last_name="Snowbunting",
        nickname="Goldie",
        last_seen_place="Wabush",
        region=Region.LABRADOR,
    )


def test_words_are_normalised():
    assert normalise("St. John’s, ZOË  o'Brien-Smith") == ["st", "johns", "zoe", "obrien", "smith"]


@pytest.mark.parametrize("text", ["St Johns", "st. john's", "ST JOHN’S"])
def test_punctuation_and_apostrophes_are_ignored(cases, text):
    assert found(text) == ["Quillfeather"]


@pytest.mark.parametrize("text", ["Zoe", "zoë brule", "BRULE"])
def test_accents_are_ignored(cases, text):
    assert found(text) == ["Brûlé"]


@pytest.mark.parametrize(("text", "expected"), [("labrador", "Snowbunting"), ("avalon", "Quillfeather")])
def test_region_names_find_the_cases_in_that_region(cases, text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("labr", ["Snowbunting"]), ("péninsule d'avalon", ["Quillfeather"]), ("central newfoundland", ["Brûlé"])],
)
def test_a_region_is_found_by_the_start_of_its_name_or_its_name_in_french(cases, text, expected):
    assert found(text) == expected


def test_a_region_word_narrows_a_search_of_other_words(cases):
    assert found("quillfeather labrador") == []
    assert found("maren avalon") == ["Quillfeather"]


def test_a_case_moved_to_another_region_is_found_by_that_regions_name(cases):
    case = Case.objects.get(last_name="Brûlé")
    case.region = Region.WESTERN
    case.save(update_fields=["region"])

    assert found("western") == ["Brûlé"]
    assert found("central") == []


def test_a_case_in_the_region_comes_before_a_place_the_word_only_starts():
    today = datetime.datetime.now(datetime.UTC)
    CaseFactory(
        published=True, last_name="Cove", last_seen_place="Labradorite Cove", region=Region.CENTRAL, published_at=today
    )
    CaseFactory(
        published=True,
        last_name="Wabush",
        region=Region.LABRADOR,
        published_at=today - datetime.timedelta(days=3),
    )

    assert found("labrador") == ["Wabush", "Cove"]


@pytest.mark.parametrize("text", ["O'Neil", "oneil", "O Neil", "o neil"])
def test_a_name_is_found_written_apart_or_as_one_word(text):
    CaseFactory(published=True, first_name="Aidan", last_name="O'Neil")
    CaseFactory(published=True, first_name="Brigid", last_name="O Neil")

    assert sorted(found(text)) == ["O Neil", "O'Neil"]


@pytest.mark.parametrize(("text", "expected"), [("stjohns", "Quillfeather"), ("waterstreet", "Quillfeather")])
def test_two_words_of_a_place_are_found_written_as_one(cases, text, expected):
    assert found(text) == [expected]


def test_nickname_finds_the_case(cases):
    assert found("goldie") == ["Snowbunting"]


@pytest.mark.parametrize(("text", "expected"), [("bill pike", "William Pike"), ("william hynes", "Billy Hynes")])
def test_a_common_nickname_finds_the_name_and_the_name_its_nicknames(text, expected):
    CaseFactory(published=True, first_name="William", last_name="Pike")
    CaseFactory(published=True, first_name="Billy", last_name="Hynes")
    CaseFactory(published=True, first_name="Wilhelmina", last_name="Pike")

    assert [case.full_name for case in Case.objects.published().search(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("saint johns", "Quillfeather"),
        ("Ste-Anne", "Trask"),
        ("mount pearl", "Hollett"),
        ("Mt. Pearl", "Hollett"),
        ("topsail road", "Hollett"),
    ],
)
def test_a_place_or_address_is_found_abbreviated_or_in_full(cases, text, expected):
    CaseFactory(published=True, last_name="Hollett", last_seen_place="Topsail Rd, Mount Pearl")
    CaseFactory(published=True, last_name="Trask", last_seen_place="Rue Sainte-Anne")

    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"), [("margot gallant", "Marguerite Gallant"), ("pierre aucoin", "Pierrot Aucoin")]
)
def test_a_french_pet_name_finds_the_name_and_the_name_its_pet_names(text, expected):
    CaseFactory(published=True, first_name="Marguerite", last_name="Gallant")
    CaseFactory(published=True, first_name="Pierrot", last_name="Aucoin")
    CaseFactory(published=True, first_name="Josée", last_name="Aucoin")

    assert [case.full_name for case in Case.objects.published().search(text)] == [expected]


@pytest.mark.parametrize(
    ("field", "typed", "other", "query"),
    [
        ("first_name", "Will", "William", "will tobin"),
        ("last_seen_place", "St. Lawrence", "Saint Lawrence", "st lawrence tobin"),
    ],
)
def test_the_word_as_typed_comes_before_its_nickname_or_abbreviation(field, typed, other, query):
    # The word as typed was published first: in the listing's own order it would come second.
    CaseFactory(
        published=True,
        last_name="Tobin",
        published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        **{field: typed},
    )
    CaseFactory(published=True, last_name="Tobin", **{field: other})

    assert [getattr(case, field) for case in Case.objects.published().search(query)] == [typed, other]


@pytest.mark.parametrize("text", ["Snowbuntng", "snowbuntimg", "snowbutning", "Snowbuntingg", "Marigld"])
def test_one_typo_in_a_name_of_five_letters_or_more_still_finds_it(cases, text):
    assert found(text) == ["Snowbunting"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wabsh", ["Snowbunting"]),
        ("Gandr", ["Brûlé"]),
        ("Labrdor", ["Snowbunting"]),
        ("Cantral", ["Brûlé"]),
        ("Labradr wabush", ["Snowbunting"]),
    ],
)
def test_one_typo_in_a_place_or_region_name_of_five_letters_or_more_still_finds_it(cases, text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", ["Snwbuntng", "mren", "zzzz"])
def test_two_typos_or_a_short_word_with_a_typo_find_nothing(cases, text):
    assert found(text) == []


def test_a_word_of_one_or_two_letters_matches_only_a_whole_word(cases):
    assert found("st johns") == ["Quillfeather"]
    assert found("qu") == []
    assert found("qui") == ["Quillfeather"]


@pytest.mark.parametrize("text", ["ortiz", "orti", "zz top9", "zz top", "top"])
def test_words_ending_in_z_or_9_are_found_from_their_start(text):
    CaseFactory(published=True, first_name="Zz", last_name="Ortiz", nickname="Top9")

    assert found(text) == ["Ortiz"]


def test_every_word_must_match(cases):
    assert found("quillfeather gander") == []
    assert found("marigold labrador") == ["Snowbunting"]


def test_exact_matches_come_before_near_ones():
    today = datetime.datetime.now(datetime.UTC)
    CaseFactory(published=True, last_name="Martin", published_at=today - datetime.timedelta(days=3))
    CaseFactory(published=True, last_name="Marten", published_at=today)

    assert found("martin") == ["Martin", "Marten"]
    assert found("marten") == ["Marten", "Martin"]
    # The same when the word is remembered as common, so its cases are no short list.
    cache.set(search.COMMON_WORD_KEY.format("martin"), 2)
    assert found("martin") == ["Martin", "Marten"]


def test_an_edited_name_is_found_by_its_new_spelling(cases):
    case = Case.objects.get(last_name="Quillfeather")
    case.last_name = "Featherquill"
    case.save()

    assert found("featherquill") == ["Featherquill"]
    assert found("quillfeather") == []


def test_listing_search_forgives_and_never_shows_unpublished_cases(client, cases):
    CaseFactory(last_name="Snowbunting", first_name="Hidden")

    html = client.get(reverse("listings:case_list"), {"q": "snowbuntng"}).content.decode()

    assert "Marigold Snowbunting" in html and "Hidden" not in html


def test_ids_are_written_into_the_sql_as_numbers_only():
    first, second, other = CaseFactory.create_batch(3)
    ids = Ids({second.pk, first.pk})

    assert ids.sql == f"{first.pk},{second.pk}"
    assert set(Case.objects.filter(InIds(F("pk"), ids))) == {first, second}
    assert set(Case.objects.filter(InIds(F("pk"), [other.pk]))) == {other}
    assert not Case.objects.filter(InIds(F("pk"), Ids([]))).exists()
    assert Case.objects.exclude(InIds(F("pk"), Ids([]))).count() == 3
    with pytest.raises(ValueError):
        Ids(["1) OR (1=1"])


def reads_of(queries, word):
    """The queries that read `word`'s search rows."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].split(" FROM ", 1)[1].strip('`"').startswith("listings_casesearchtoken")
        and f"'{word}'" in query["sql"]
    ]


def among_cases(sql):
    """Whether a query on search rows reads them only for a list of cases."""
    return re.search(r"case_id[`\"]? IN \(\d", sql) is not None


def test_a_word_found_common_is_remembered_and_read_after_the_others(monkeypatch):
    monkeypatch.setattr(search, "COMMON_WORD_ROWS", 2)
    for last_name in ("Ashby", "Brett", "Colley"):
        CaseFactory(published=True, last_name=last_name, last_seen_place="Wabush")
    CaseFactory(published=True, last_name="Dyke", first_name="Ashby", last_seen_place="Gander", region=Region.CENTRAL)

    with CaptureQueriesContext(connection) as first:
        assert found("wabush ashby") == ["Ashby"]
    with CaptureQueriesContext(connection) as again:
        assert found("wabush ashby") == ["Ashby"]

    assert cache.get(search.COMMON_WORD_KEY.format("wabush")) == 3  # its rows
    assert cache.get(search.COMMON_WORD_KEY.format("ashby")) is None
    order = [query["sql"] for query in again.captured_queries]
    assert order.index(reads_of(again.captured_queries, "ashby")[0]) < order.index(
        reads_of(again.captured_queries, "wabush")[0]
    )
    assert reads_of(first.captured_queries, "wabush")


def test_a_place_in_two_rows_of_each_case_is_still_a_short_list(monkeypatch):
    # Each case has "water" and "waterstreet": six rows, three cases.
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 3)
    for last_name in ("Ashby", "Brett", "Colley"):
        CaseFactory(published=True, last_name=last_name, last_seen_place="Water Street, St. John's")

    matches = Case.objects.published().search("water")

    assert search.is_short_list(matches)
    assert sorted(case.last_name for case in matches) == ["Ashby", "Brett", "Colley"]
    assert cache.get(search.COMMON_WORD_KEY.format("water")) is None


def test_a_search_of_words_remembered_as_common_is_ranked_by_the_database(monkeypatch):
    # Each case has "water" and "waterstreet": two rows a case.
    monkeypatch.setattr(search, "COMMON_WORD_ROWS", 6)
    for first_name, last_name in (("Ada", "Ashby"), ("Bea", "Brett"), ("Cy", "Colley")):
        CaseFactory(published=True, first_name=first_name, last_name=last_name, last_seen_place="Water Street")
    assert search.is_short_list(Case.objects.published().search("water"))
    assert cache.get(search.COMMON_WORD_KEY.format("water")) is None

    CaseFactory(published=True, first_name="Di", last_name="Dyke", last_seen_place="Water Street")
    first = Case.objects.published().search("water")
    again = Case.objects.published().search("water")

    assert search.is_short_list(first)
    assert cache.get(search.COMMON_WORD_KEY.format("water")) == 8
    assert isinstance(search.ranking_of(again), search.LongList)
    assert [case.pk for case in again] == [case.pk for case in first]
    assert sorted(case.last_name for case in again) == ["Ashby", "Brett", "Colley", "Dyke"]


@pytest.mark.parametrize(
    ("rows_remembered", "read_among_cases"),
    [(2, False), (10**6, True)],
    ids=["few rows: read whole", "many rows: read among the cases"],
)
def test_a_common_word_is_read_the_cheaper_way(rows_remembered, read_among_cases):
    # First names of their own: a random one ("Johnson") would match "johns" too.
    CaseFactory(published=True, first_name="Ada", last_name="Ashby", last_seen_place="St. John's")
    CaseFactory(
        published=True,
        first_name="Bea",
        last_name="Brett",
        last_seen_place="St. Anthony",
        region=Region.NORTHERN_PENINSULA,
    )
    CaseFactory(published=True, first_name="Cy", last_name="Colley", last_seen_place="Gander", region=Region.CENTRAL)
    cache.set(search.COMMON_WORD_KEY.format("st"), rows_remembered)

    with CaptureQueriesContext(connection) as queries:
        assert found("st johns") == ["Ashby"]

    (read,) = reads_of(queries.captured_queries, "st")
    assert among_cases(read) is read_among_cases


def test_a_word_wrongly_remembered_as_common_is_still_matched(cases):
    expected = found("quillfeather st")
    cache.set(search.COMMON_WORD_KEY.format("quillfeather"), 1)
    cache.set(search.COMMON_WORD_KEY.format("st"), 10**6)

    assert expected == ["Quillfeather"]
    assert found("quillfeather st") == expected
    assert found("quillfeather") == expected


def listed_copies(case):
    return set(CaseSearchToken.objects.filter(case=case).values_list("published_key", "case_status", "region"))


def test_search_rows_follow_their_case_through_moderation_and_edits(moderator):
    case = CaseFactory(last_name="Quillfeather", region=Region.AVALON)
    assert listed_copies(case) == {(None, CaseStatus.MISSING, Region.AVALON)}

    moderation.publish(case, by=moderator)
    case.refresh_from_db()
    assert listed_copies(case) == {(search.published_key(case.published_at), CaseStatus.MISSING, Region.AVALON)}

    moderation.mark_found(case, by=moderator)
    assert listed_copies(case) == {(search.published_key(case.published_at), CaseStatus.FOUND, Region.AVALON)}

    case.region = Region.CENTRAL
    case.save(update_fields=["region"])
    assert listed_copies(case) == {(search.published_key(case.published_at), CaseStatus.FOUND, Region.CENTRAL)}

    case.age_at_disappearance, case.last_seen_date = 41, datetime.date(2026, 3, 1)
    case.save(update_fields=["age_at_disappearance", "last_seen_date"])
    assert set(CaseSearchToken.objects.filter(case=case).values_list("age_at_disappearance", "last_seen_day")) == {
        (41, datetime.date(2026, 3, 1).toordinal())
    }

    moderation.unpublish(case, by=moderator)
    assert listed_copies(case) == {(None, CaseStatus.FOUND, Region.CENTRAL)}


def test_a_case_saved_with_its_dates_as_text_has_its_copies_as_dates():
    case = CaseFactory(published=True, published_at="2026-11-30T14:05:06+00:00", last_seen_date="2026-11-28")

    (copy,) = set(CaseSearchToken.objects.filter(case=case).values_list("published_key", "last_seen_day"))

    moment = datetime.datetime(2026, 11, 30, 14, 5, 6, tzinfo=datetime.UTC)
    assert copy == (search.published_key(moment), datetime.date(2026, 11, 28).toordinal())


def listing_ids(client, query):
    response = client.get(reverse("listings:case_list"), query)
    return [case.pk for case in response.context["cases"]]


@pytest.fixture(params=["short list", "long list"])
def breadth(request, monkeypatch):
    """A search narrowed to a short list (ranked in the web process), or too broad for one, as a common word is at
    100,000 cases (ranked by one query on the search rows)."""
    if request.param == "long list":
        monkeypatch.setattr(search, "CANDIDATE_LIMIT", 0)
    return request.param


def test_a_search_ranked_from_its_search_rows_is_ranked_as_from_the_cases(client, breadth):
    today = datetime.datetime.now(datetime.UTC)
    for days, (name, place, region, age) in enumerate(
        [
            ("Martin", "Gander", Region.CENTRAL, 12),
            ("Marten", "Gander", Region.CENTRAL, 30),
            ("Martin", "St. John's", Region.AVALON, 45),
            ("Martineau", "Labrador City", Region.LABRADOR, 67),
            ("Martin", "Nain", Region.LABRADOR, 80),
        ]
    ):
        CaseFactory(
            published=True,
            last_name=name,
            last_seen_place=place,
            region=region,
            age_at_disappearance=age,
            last_seen_date=(today - datetime.timedelta(100 * days + 1)).date(),
            published_at=today - datetime.timedelta(days),
        )
    CaseFactory(published=True, last_name="Martin", case_status=CaseStatus.FOUND, found_at=today)
    CaseFactory(last_name="Martin")
    a_year_ago = (today - datetime.timedelta(365)).date().isoformat()

    ranked = {}
    for query in (
        {"q": "martin"},
        {"q": "martin labrador"},
        {"q": "martin gander"},
        {"q": "mart labrador", "age_max": "70"},
        {"q": "martin", "region": "central"},
        {"q": "mart", "case_status": "found"},
        {"q": "mart", "age_min": "30", "age_max": "67"},
        {"q": "martin", "seen_after": a_year_ago},
        {"q": "mart", "seen_before": a_year_ago, "region": "labrador"},
    ):
        with CaptureQueriesContext(connection) as queries:
            ranked[tuple(query.items())] = listing_ids(client, query)
        assert ranked[tuple(query.items())] == ranked_from_the_cases(query), query
        assert not [sql for sql in map(itemgetter("sql"), queries.captured_queries) if ranking_the_cases(sql)]
    names = [Case.objects.get(pk=pk).last_name for pk in ranked[("q", "martin"),]]
    assert names == ["Martin", "Martin", "Martin", "Marten", "Martineau"]
    assert len(ranked[("q", "martin labrador"),]) == 2
    assert [Case.objects.get(pk=pk).last_name for pk in ranked[("q", "martin gander"),]] == ["Martin", "Marten"]
    assert len(ranked[("q", "mart labrador"), ("age_max", "70")]) == 1
    assert len(ranked[("q", "mart"), ("age_min", "30"), ("age_max", "67")]) == 3


def ranked_from_the_cases(query):
    """The first page of the listing for `query`, ranked by queries on the cases."""
    published = Case.objects.published()
    paginator = CappedPaginator(CaseFilter(query, queryset=published).qs, 24, rows=published, max_pages=10)
    return [case.pk for case in paginator.page(1)]


def ranking_the_cases(sql):
    """Whether `sql` reads the cases' ids in rank order (a page's own rows are then read whole, by their ids)."""
    return re.match(r"""SELECT [`"]listings_case[`"]\.[`"]id[`"] AS [`"]pk[`"] FROM""", sql) is not None


def test_a_search_row_copy_left_behind_never_lists_a_hidden_case(client, breadth):
    shown = CaseFactory(published=True, last_name="Martin")
    hidden = CaseFactory(last_name="Martin")
    # As if a change had reached the case but not its search rows.
    CaseSearchToken.objects.filter(case=hidden).update(published_key=search.published_key(shown.published_at) + 1)

    assert listing_ids(client, {"q": "martin"}) == [shown.pk]
