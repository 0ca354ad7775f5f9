"""Search that forgives: what a case is found by, written the way people type it.

Each case has a row per word it can be found by (`CaseSearchToken`): its names,
nickname and last-seen place, and its region's name in every language of the site,
each *normalised* — lower case, accents and apostrophes dropped, any other
punctuation a space — so "St. John's", "st johns" and "ST JOHNS" are the same two
words, and "Zoë" is "zoe". A query word matches a case that has a word starting
with it (people type the start of a name), or, for a word of five letters or more,
a *name* differing from it by one typo (a letter missed, added, changed or two
swapped), found among the distinct names (`SearchName`) with rapidfuzz's
optimal-string-alignment distance. Every query word must match; cases where every
word matched exactly come first.

Lookups are by the token index, never a scan of the cases table, so a search costs
about the same with 24 cases or 100,000, on SQLite and MySQL alike (README, Performance).
"""

import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import translation
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

# Words shorter than this are matched only from their start, never with a typo.
FUZZY_MIN_LENGTH = 5
MAX_QUERY_WORDS = 6
TOKEN_MAX_LENGTH = 40
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
NAMES_CACHE_KEY = "search:names"


def normalise(text):
    """ "St. John's Zoë" -> ["st", "johns", "zoe"]."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = _APOSTROPHES.sub("", plain)
    return [word[:TOKEN_MAX_LENGTH] for word in _NOT_WORD.split(plain) if word]


def name_words(case):
    return set(normalise(f"{case.first_name} {case.last_name} {case.nickname}"))


def case_words(case, region_labels):
    """Every word a case can be found by; `region_labels` maps a region to its names in every language."""
    words = name_words(case) | set(normalise(case.last_seen_place))
    for label in region_labels.get(case.region, ()):
        words.update(normalise(label))
    return words


def region_labels():
    """{region: [its name in each language of the site]}."""
    from .models import Region

    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for region in Region:
                labels.setdefault(region.value, []).append(str(region.label))
    return labels


def index_cases(cases):
    """(Re)write the search rows of `cases`; one query to delete, two to insert, whatever their number."""
    from .models import CaseSearchToken, SearchName

    labels = region_labels()
    CaseSearchToken.objects.filter(case__in=[case.pk for case in cases]).delete()
    CaseSearchToken.objects.bulk_create(
        [CaseSearchToken(case_id=case.pk, token=word) for case in cases for word in case_words(case, labels)],
        batch_size=2000,
    )
    names = {word for case in cases for word in name_words(case) if len(word) >= FUZZY_MIN_LENGTH - 1}
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
    """Names one typo away from `word` (five letters or more), for example "snowbunting" for "snowbuntng"."""
    if len(word) < FUZZY_MIN_LENGTH:
        return []
    return [name for name, _distance, _index in extract(word, _known_names(), scorer=OSA.distance, score_cutoff=1)]


def search(queryset, text):
    """`queryset` narrowed to cases matching every word of `text`, exact matches first."""
    from .models import CaseSearchToken

    words = normalise(text)[:MAX_QUERY_WORDS]
    if not words:
        return queryset
    exact = Q()
    for word in words:
        tokens = CaseSearchToken.objects.filter(Q(token__istartswith=word) | Q(token__in=near_names(word)))
        queryset = queryset.filter(pk__in=tokens.values("case_id"))
        exact &= Q(Exists(CaseSearchToken.objects.filter(case=OuterRef("pk"), token=word)))
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    exact_match = ExpressionWrapper(exact, output_field=BooleanField())
    return queryset.alias(exact_match=exact_match).order_by(F("exact_match").desc(), *ordering)
