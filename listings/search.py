"""Search that forgives: what a case is found by, written the way people type it.

Each case has a row per word it can be found by (`CaseSearchToken`): its names,
nickname and last-seen place, each *normalised* — lower case, accents and apostrophes
dropped, any other punctuation a space — so "St. John's", "st johns" and "ST JOHNS"
are the same two words, and "Zoë" is "zoe". Each two words in a row of a field are
also one word, so "stjohns" and "cornerbrook" are found too; a letter standing alone
in a query is joined to the next word: "O Neil" is "oneil", as "O'Neil" is.

A case's region is found by the case's own column, not by rows: a query word that
matches a word of a region's name in any language of the site, as it would a case's
word ("labrador", "aval", "labrdor", "peninsule"), finds every case in that region
(`regions_found_by`). A region holds a sixth of the registry, so its rows made the
slowest searches.

A query word matches a case that has a word starting with it (people type the start
of a name; a word of one or two letters, such as "st", matches only itself), or, for a
word of five letters or more, a *name* differing from it by one typo (a letter missed,
added, changed or two swapped): a person's or a place's ("Snowbuntng",
"Stephenvile"), found among the distinct names (`SearchName`) with
rapidfuzz's optimal-string-alignment distance. It also matches a name it is a common
nickname of, or a nickname of it ("Bill" and "William", "Peggy" and "Margaret": the
`nicknames` package's table of English names; "Jos" and "Joseph", "Pierrot" and
"Pierre": `FRENCH_NICKNAMES`), and the word an abbreviation of a place or an address
stands for, or its abbreviation ("St" and "Saint", "Mt" and "Mount", "Rd" and "Road":
`ABBREVIATIONS`). Every query word must match; cases where every word matched exactly
come first.

Lookups are by the token index, never a scan of the cases' rows, so a search costs about
the same with 24 cases or 100,000, on SQLite and MySQL alike. Each search row also holds a
copy of its case's place in the listings (publication, case status and the filtered
fields), so a listing's search is filtered and ranked without reading the cases: a search
narrowed to a short list here (`ShortList`), a broader one, or one of common words only, by
one query on the search rows (`LongList`). A search whose words all find a region, or one
ranked without the listing's filters, is ranked by the database as two `tiers` (exact
matches, then the others), each read in the listing's own order, so that it never sorts
every match (README, Performance).
"""

import datetime
import functools
import itertools
import operator
import re
import string
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, F, Lookup, Max, Q, Value
from django.db.models.functions import Least
from django.utils import translation
from nicknames import NickNamer
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

# Words shorter than this match only themselves, not the words they start.
PREFIX_MIN_LENGTH = 3
# Words shorter than this are matched only from their start, never with a typo.
FUZZY_MIN_LENGTH = 5
MAX_QUERY_WORDS = 6
# A search whose words leave at most this many cases is a short list, ranked here; a commoner one is ranked by the
# database (`LongList`).
CANDIDATE_LIMIT = 5000
# A word's search rows read at most, to be intersected with the other words' (a case has one to three rows a word
# matches: "water", "waterstreet").
ROW_LIMIT = 4 * CANDIDATE_LIMIT
# A word read with more search rows than this is remembered as common: a search of common words only is then ranked
# by the database (`LongList`), which groups that many rows faster than the web process reads them.
COMMON_WORD_ROWS = 2000
# Looking up one case's rows by its id costs about as much as reading this many rows of a word's range (MariaDB,
# 100,000 cases: the rows of 3,343 cases looked up by id in 15-26 ms, the 7,434 rows of "st" read in 4.5 ms).
ROWS_PER_LOOKUP = 8
TOKEN_MAX_LENGTH = 40
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Every character a token may hold, in the order both databases sort them.
TOKEN_ALPHABET = string.digits + string.ascii_lowercase
NAMES_CACHE_KEY = "search:names"
# Query words read with more than COMMON_WORD_ROWS search rows ("st", "water"), remembered with how many they had,
# so that they are read after the others and the cheaper way, or not at all when every word of a search is common.
# Only a hint: a word remembered wrongly is still matched, and a word not remembered is read as any other.
COMMON_WORD_KEY = "search:common:{}"
COMMON_WORD_SECONDS = 24 * 3600
# The alias that holds a search's `ShortList` or `LongList` (`ranking_of`).
RANKING = "search_ranking"
# What a read of a word's range of rows holds: the case, the word, and the copy of the case's place in the listings
# (`models.SEARCH_ROW_COPIES`, in its order, which `ShortList.ranked` unpacks).
RANGE_COLUMNS = ("case_id", "token", "published_key", "case_status", "region", "age_at_disappearance", "last_seen_day")
# Common French and Acadian pet names, which the `nicknames` package (English names only) lacks:
# {name: its pet names}, matched both ways as nicknames are ("Jos" finds Joseph, "Pierre" finds Pierrot).
FRENCH_NICKNAMES = {
    "andre": ["dede"],
    "elisabeth": ["babette", "lisette"],
    "francois": ["fanfan"],
    "francoise": ["fanfan"],
    "jacques": ["jacquot"],
    "jean": ["jeannot"],
    "joseph": ["jos", "jojo"],
    "josephine": ["jojo", "fifine"],
    "louis": ["loulou"],
    "madeleine": ["mado"],
    "marguerite": ["margot", "guite"],
    "marie": ["manon", "mimi"],
    "pierre": ["pierrot"],
}
# How places and addresses are shortened, matched both ways: "St. John's" is "Saint John's", "Mt Pearl" "Mount Pearl".
ABBREVIATIONS = {
    "ave": ["avenue"],
    "dr": ["drive"],
    "hbr": ["harbour"],
    "hwy": ["highway"],
    "mt": ["mount"],
    "pt": ["point"],
    "rd": ["road"],
    # Not "street" as well: "St." in a place is a saint, and reading every street too made "St. John's" 3 times slower.
    "st": ["saint"],
    "ste": ["sainte"],
}


def _both_ways(table):
    """{word: [other words]} read in both directions: {"st": ["saint"]} also gives {"saint": ["st"]}."""
    pairs = {}
    for word, others in table.items():
        for other in others:
            for one, two in ((word, other), (other, word)):
                pairs.setdefault(one, set()).add(two)
    return pairs


def normalise(text):
    """ "St. John's Zoë" -> ["st", "johns", "zoe"]."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = _APOSTROPHES.sub("", plain)
    return [word[:TOKEN_MAX_LENGTH] for word in _NOT_WORD.split(plain) if word]


def with_joined(words):
    """`words` and each two in a row as one: "Corner Brook" is also "cornerbrook", "O Neil" also "oneil"."""
    return [*words, *(f"{first}{second}"[:TOKEN_MAX_LENGTH] for first, second in itertools.pairwise(words))]


def query_words(text):
    """The words of a query, a letter standing alone joined to the word after it: "O Neil" is "oneil".

    "O'Neil" is one word ("oneil"), so a letter alone ("o") would otherwise match nothing of it.
    """
    words = []
    for word in normalise(text):
        if words and len(words[-1]) == 1 and words[-1].isalpha():
            words[-1] = f"{words[-1]}{word}"[:TOKEN_MAX_LENGTH]
        else:
            words.append(word)
    return words


def name_words(case):
    return {word for name in (case.first_name, case.last_name, case.nickname) for word in with_joined(normalise(name))}


def case_words(case):
    """Every word a case can be found by, but its region's names: those are matched to the region itself."""
    return name_words(case) | set(with_joined(normalise(case.last_seen_place)))


def region_labels():
    """{region: [its name in each language of the site]}."""
    from .models import Region

    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for region in Region:
                labels.setdefault(region.value, []).append(str(region.label))
    return labels


@functools.cache
def region_words():
    """{region: the words of its names in every language}: "labrador", "avalon", "peninsula", "avalonpeninsula"…"""
    return {
        region: {word for label in labels for word in with_joined(normalise(label))}
        for region, labels in region_labels().items()
    }


def regions_found_by(word):
    """(the regions a query word finds, those it names exactly), as a word finds a case's words (`matching_word`)."""
    others = other_names(word)
    found, exact = set(), set()
    for region, words in region_words().items():
        if word in words:
            exact.add(region)
        if any(_finds(word, region_word, others) for region_word in words):
            found.add(region)
    return found, exact


def _finds(word, other, others):
    if other == word or other in others:
        return True
    if len(word) >= PREFIX_MIN_LENGTH and other.startswith(word):
        return True
    return len(word) >= FUZZY_MIN_LENGTH and OSA.distance(word, other) <= 1


def published_key(moment):
    """`moment` in whole microseconds since 1970 (UTC): the search rows' copy of a case's `published_at`."""
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def listing_columns(case):
    """The copy of `case`'s place in the listings its search rows hold (`CaseSearchToken`).

    A published case without a publication date sorts last, as the listings put it.
    """
    from .models import ReviewState

    # As the database got them: a case may have been saved with a date written as text.
    fields = type(case)._meta
    published_at = fields.get_field("published_at").get_prep_value(case.published_at)
    last_seen_date = fields.get_field("last_seen_date").get_prep_value(case.last_seen_date)
    if case.review_state != ReviewState.PUBLISHED:
        key = None
    else:
        key = published_key(published_at) if published_at else 0
    return {
        "published_key": key,
        "case_status": case.case_status,
        "region": case.region,
        "age_at_disappearance": case.age_at_disappearance,
        "last_seen_day": last_seen_date.toordinal(),
    }


def copy_listing_columns(case):
    """Bring the copy `case`'s search rows hold of its place in the listings up to date (one query)."""
    from .models import CaseSearchToken

    CaseSearchToken.objects.filter(case_id=case.pk).update(**listing_columns(case))


def index_cases(cases):
    """(Re)write the search rows of `cases`; one query to delete, two to insert, whatever their number."""
    from .models import CaseSearchToken, SearchName

    CaseSearchToken.objects.filter(case__in=[case.pk for case in cases]).delete()
    CaseSearchToken.objects.bulk_create(
        [
            CaseSearchToken(case_id=case.pk, token=word, **listing_columns(case))
            for case in cases
            for word in case_words(case)
        ],
        batch_size=2000,
    )
    names = {word for case in cases for word in case_words(case) if len(word) >= FUZZY_MIN_LENGTH - 1}
    SearchName.objects.bulk_create([SearchName(name=name) for name in names], ignore_conflicts=True, batch_size=2000)
    cache.delete(NAMES_CACHE_KEY)


def _known_names():
    from .models import SearchName

    names = cache.get(NAMES_CACHE_KEY)
    if names is None:
        names = list(SearchName.objects.values_list("name", flat=True))
        cache.set(NAMES_CACHE_KEY, names, timeout=3600)
    return names


def near_names(word):
    """Names one typo away from `word` (five letters or more): "snowbunting" for "snowbuntng", "gander" for "gandr"."""
    if len(word) < FUZZY_MIN_LENGTH:
        return []
    return [name for name, _distance, _index in extract(word, _known_names(), scorer=OSA.distance, score_cutoff=1)]


class Ids:
    """Ids written as SQL numbers once, however many queries a search puts them in.

    `int()` keeps anything but a number out of the SQL.
    """

    def __init__(self, ids):
        self.sql = ",".join(map(str, map(int, sorted(ids))))


class InIds(Lookup):
    """`field IN (1, 2, …)` with the ids (`Ids`, or any ids) written into the SQL as numbers.

    `pk__in=` passes each of a few thousand ids as its own parameter, which costs the web
    process more than the query costs the database.
    """

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = getattr(self.rhs, "value", self.rhs)  # used as an expression, Django wraps the ids in a Value
        if not isinstance(ids, Ids):
            ids = Ids(ids)
        if not ids.sql:
            return "1 = 0", []  # false, and its NOT true (`IN (NULL)` would be unknown either way)
        return f"{lhs} IN ({ids.sql})", params


def _narrowing(words):
    """(cases matching every word, cases matching every word exactly), as two conditions on the cases,
    and how a listing can rank them from the search rows (`ranking_of`).

    The longest word's search rows are read from the token index at once (at most
    ROW_LIMIT), and with them which cases it matches exactly and the copy each row holds of
    its case's place in the listings. Each other word only narrows those cases: its whole
    range is read when it has at most ROWS_PER_LOOKUP rows per case left, else its rows are
    looked up for those cases alone (`_rows_among`). So the queries on the cases start from
    a short list of ids (at most CANDIDATE_LIMIT), which a listing can rank from the copies.
    A word read with more than COMMON_WORD_ROWS rows is remembered as common
    (`COMMON_WORD_KEY`, with how many rows it had), and later read after the others. A
    word that finds a region ("labrador", "aval", "labrdor") is never read first: it
    matches the cases in its regions, which the copies tell for a short list, and those
    among its search rows (a place "Labrador City"). When the words leave more than a short
    list ("st", "bay", "red bay"), or every word is common or finds a region ("water
    street" once remembered), a listing ranks them by one query on the search rows
    (`LongList`): the database groups those rows faster than the web process reads them.
    Then the conditions are subqueries the database checks as it reads a listing index in
    order (`tiers`), a region word's as a condition on the cases' column or'd with its
    rows: that is also how words that all find a region are ranked ("labrador"), since the
    region column serves them.
    """
    from .models import CaseSearchToken

    matching = exact = copies = None
    every, regional, common = [], [], []
    remembered = cache.get_many([COMMON_WORD_KEY.format(word) for word in words])
    # The longest words first: usually the rarest.
    for word in sorted(words, key=len, reverse=True):
        rows = CaseSearchToken.objects.filter(matching_word(word))
        regions = regions_found_by(word)
        every.append((word, rows, regions))
        rows_held = remembered.get(COMMON_WORD_KEY.format(word))
        if regions[0]:
            regional.append((word, rows, regions))
        elif rows_held is not None:
            common.append((word, rows, rows_held))
        elif matching is not None:
            matching, exact = _narrowed(matching, exact, word, _rows_among(rows, matching))
        else:
            found = list(rows.values_list(*RANGE_COLUMNS)[: ROW_LIMIT + 1])
            if len(found) > COMMON_WORD_ROWS:
                cache.set(COMMON_WORD_KEY.format(word), len(found), timeout=COMMON_WORD_SECONDS)
            if len(found) > ROW_LIMIT:
                common.append((word, rows, len(found)))
            else:
                matching, exact = _narrowed(matching, exact, word, found)
                # Every case left matches this word too, so these rows hold the copies of them all.
                copies = found
    for word, rows, rows_held in common:
        if matching is None or len(matching) > CANDIDATE_LIMIT:
            break
        matching, exact = _narrowed(matching, exact, word, _rows_among(rows, matching, rows_held))
    if matching is not None and len(matching) <= CANDIDATE_LIMIT:
        region_of = {row[0]: row[4] for row in copies if row[0] in matching} if regional else {}
        for word, rows, (regions, exact_regions) in regional:
            # The cases in its regions count as having the word, exactly when it names one of them.
            in_regions = [
                (case, word if region in exact_regions else "")
                for case, region in region_of.items()
                if region in regions
            ]
            matching, exact = _narrowed(matching, exact, word, [*_rows_among(rows, matching), *in_regions])
        listed = {row[0]: row for row in copies if row[2] is not None and row[0] in matching}
        short_list = ShortList(matching, exact, listed)
        return Q(InIds(F("pk"), Ids(matching))), Q(InIds(F("pk"), Ids(exact))), short_list
    long_list = LongList([(word, regions) for word, _rows, regions in every]) if len(regional) < len(every) else None
    return (
        Q(*(_either(regions, rows.values("case_id")) for _word, rows, (regions, _exact) in every)),
        Q(*(_exactly(word, regions) for word, _rows, (_found, regions) in every)),
        long_list,
    )


def _rows_among(rows, matching, rows_held=None):
    """(case id, token) of `rows` (a word's) whose case is among `matching`.

    The word's whole range when that is cheaper than looking up each of those cases' rows,
    that is when it holds at most ROWS_PER_LOOKUP rows per case: as `rows_held` (how many
    it had when last read) says, or a read that stops there.
    """
    if not matching:
        return []
    budget = min(len(matching) * ROWS_PER_LOOKUP, ROW_LIMIT)
    if rows_held is None or rows_held <= budget:
        found = list(rows.values_list("case_id", "token")[: budget + 1])
        if len(found) <= budget:
            return found
    return rows.filter(InIds(F("case_id"), matching)).values_list("case_id", "token")


class ShortList:
    """A search narrowed to at most CANDIDATE_LIMIT cases: their ids (`matching`), those every word matched
    exactly (`exact`), and the copy their search rows hold of each published one's place in the listings
    (`listed`: {id: one of its rows, `RANGE_COLUMNS`}).
    """

    def __init__(self, matching, exact, listed):
        self.matching = matching
        self.exact = exact
        self.listed = listed

    def ranked(self, case_status, region=None, seen_after=None, seen_before=None, age_min=None, age_max=None):
        """The ids of the published matches of `case_status` within the listing's filters, in the listings'
        order (exact matches first, then newest first), from the copies alone."""
        first_day = seen_after.toordinal() if seen_after else 0
        last_day = seen_before.toordinal() if seen_before else datetime.date.max.toordinal()
        youngest = 0 if age_min is None else age_min
        oldest = float("inf") if age_max is None else age_max
        exact = self.exact
        keys = [
            (case_id in exact, published, case_id)
            for case_id, _token, published, status, case_region, age, day in self.listed.values()
            if status == case_status
            and region in (None, case_region)
            and first_day <= day <= last_day
            and youngest <= age <= oldest
        ]
        keys.sort(reverse=True)
        return [case_id for _exact, _published, case_id in keys]


class LongList:
    """A search too broad for a short list, ranked by the database from its words' search rows alone.

    `words` are (word, (regions it finds, regions it names exactly)); at least one finds no
    region. Every search row holds its case's place in the listings, so one query reads
    the rows of every word from the token index, keeps those of published cases within
    the listing's filters, and groups them by case. A case matches when it has a row of
    each word, or for a word that finds a region, is in one of them; it matches exactly
    when each word is one of its words or names its region. The rows of a word that finds
    no region carry the region of every case that can match, so no case is read at all.
    """

    def __init__(self, words):
        self.words = words

    def ranked(self, case_status, region=None, seen_after=None, seen_before=None, age_min=None, age_max=None):
        """The ids of the published matches of `case_status` within the listing's filters, in the listings'
        order (exact matches first, then newest first), as a query to slice."""
        from .models import CaseSearchToken

        copies = {
            "region": region,
            "last_seen_day__gte": seen_after.toordinal() if seen_after else None,
            "last_seen_day__lte": seen_before.toordinal() if seen_before else None,
            "age_at_disappearance__gte": age_min,
            "age_at_disappearance__lte": age_max,
        }
        rows = CaseSearchToken.objects.filter(
            functools.reduce(operator.or_, (matching_word(word) for word, _regions in self.words)),
            published_key__isnull=False,
            case_status=case_status,
            **{lookup: value for lookup, value in copies.items() if value is not None},
        )
        found, exactly = {}, []
        for number, (word, (regions, exact_regions)) in enumerate(self.words):
            found[f"found_{number}"] = _any_row(_or_in(regions, matching_word(word)))
            exactly.append(_any_row(_or_in(exact_regions, Q(token=word))))
        exact = Least(*exactly, output_field=BooleanField()) if len(exactly) > 1 else exactly[0]
        return (
            rows.values("case_id")
            .alias(published=Max("published_key"), exact=exact, **found)
            .filter(**dict.fromkeys(found, True))
            .order_by(F("exact").desc(), F("published").desc(), F("case_id").desc())
            .values_list("case_id", flat=True)
        )


def _any_row(condition):
    """Whether any of a case's search rows meets `condition`."""
    return Max(ExpressionWrapper(condition, output_field=BooleanField()))


def _or_in(regions, condition):
    """`condition`, or the row's case in one of `regions`."""
    return Q(region__in=sorted(regions)) | condition if regions else condition


def _exactly(word, regions):
    """The cases `word` names exactly: those of its `regions`, and those with it among their words."""
    return _either(regions, _named(word).values("case_id"))


def _named(word):
    """The search rows that are `word` itself."""
    from .models import CaseSearchToken

    return CaseSearchToken.objects.filter(token=word)


def _either(regions, cases):
    """Cases in one of `regions` or among `cases` (a subquery of ids): the regions first, which the listing
    indexes hold, so that the database looks for a search row only for the cases outside them."""
    among = Q(pk__in=cases)
    return Q(region__in=sorted(regions)) | among if regions else among


def _narrowed(matching, exact, word, rows):
    """`matching` and `exact` narrowed to the cases of `rows` ((case id, token, …) of one word's matches)."""
    word_matching = {row[0] for row in rows}
    word_exact = {row[0] for row in rows if row[1] == word}
    if matching is None:
        return word_matching, word_exact
    return matching & word_matching, exact & word_exact


@functools.cache
def _nicknamer():
    return NickNamer()


def other_names(word):
    """The names a nickname stands for and a name's nicknames ("bill": william, will…), from `nicknames`' table
    and `FRENCH_NICKNAMES`, and the word an abbreviation stands for or its abbreviation ("st": saint; "rd": road)."""
    nicknamer = _nicknamer()
    others = nicknamer.nicknames_of(word) | nicknamer.canonicals_of(word) | _other_words().get(word, set())
    return others - {word}


@functools.cache
def _other_words():
    return _both_ways(FRENCH_NICKNAMES | ABBREVIATIONS)


def _starting_with(word):
    """Tokens that start with `word`, as a range of the token index: SQLite's LIKE cannot read an index.

    Tokens hold only 0-9 and a-z (`normalise`), which sort in that order on SQLite and in
    MySQL's Unicode collations alike, so they start with "kettle" exactly when they sort from
    "kettle" up to, not including, "kettlf"; with "ortiz", up to "ortj" (the next character
    after "z" would be punctuation, which the Unicode collations sort before letters).
    """
    stem = word.rstrip(TOKEN_ALPHABET[-1])
    if not stem:
        return Q(token__gte=word)
    return Q(token__gte=word, token__lt=stem[:-1] + TOKEN_ALPHABET[TOKEN_ALPHABET.index(stem[-1]) + 1])


def matching_word(word):
    """Search rows whose token `word` matches: one it starts, a name one typo away, a nickname."""
    near = Q(token__in=near_names(word)) if len(word) >= FUZZY_MIN_LENGTH else Q()
    start = _starting_with(word) if len(word) >= PREFIX_MIN_LENGTH else Q(token=word)
    also = Q(token__in=sorted(other_names(word)))
    return start | near | also


def search(queryset, text):
    """`queryset` narrowed to cases matching every word of `text`, exact matches first."""
    words = query_words(text)[:MAX_QUERY_WORDS]
    if not words:
        return queryset
    matching, exact, ranking = _narrowing(words)
    queryset = queryset.filter(matching)
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    exact_match = ExpressionWrapper(exact, output_field=BooleanField())
    queryset = queryset.alias(exact_match=exact_match)
    if ranking:
        queryset = queryset.alias(**{RANKING: Value(ranking)})
    return queryset.order_by(F("exact_match").desc(), *ordering)


def ranking_of(matches):
    """How a listing can filter and rank `matches` from their search rows' copies, without reading the cases:
    their `ShortList` when they are a search narrowed to at most CANDIDATE_LIMIT cases, their `LongList` when
    a broader one, else None (no search, or only words that find a region)."""
    alias = matches.query.annotations.get(RANKING)
    return alias.value if alias is not None else None


def is_short_list(matches):
    """Whether `matches` is a search narrowed to a list of at most CANDIDATE_LIMIT cases.

    Ranking those (exact matches first) is a sort of a few thousand rows at most, so a
    listing can read every id it shows in rank order at once (`listings/pagination.py`).
    """
    return isinstance(ranking_of(matches), ShortList)


def tiers(matches):
    """`matches` in their order as querysets read one after another: exact matches (`search`), then the rest.

    Each tier is in the model's own order, which the listing indexes serve, so the
    database stops after one page instead of ranking every match.
    """
    matches = matches.order_by(*matches.model._meta.ordering)
    if "exact_match" not in matches.query.annotations:
        return [matches]
    return [matches.filter(exact_match=True), matches.filter(exact_match=False)]
