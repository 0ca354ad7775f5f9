"""Possible duplicates: cases with a similar name, last seen around the same time.

Similar means the same once case and accents are set aside, or one typo apart
(a letter added, dropped, changed, or two swapped) across first and last name.
Who sees which match is the caller's queryset: `Case.objects.visible_to(member)`
for a member, every case for staff.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from rapidfuzz.distance import DamerauLevenshtein

from .models import ReviewState

MAX_TYPOS = 1


def name_key(name):
    """`name` without accents, case, punctuation or extra spaces: "Zoë O'Brien" → "zoe obrien"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w\s]", "", letters).split())


def similar_names(first_a, last_a, first_b, last_b):
    typos = DamerauLevenshtein.distance(name_key(first_a), name_key(first_b), score_cutoff=MAX_TYPOS + 1)
    typos += DamerauLevenshtein.distance(name_key(last_a), name_key(last_b), score_cutoff=MAX_TYPOS + 1)
    return typos <= MAX_TYPOS


def possible_duplicates(queryset, *, first_name, last_name, last_seen_date, exclude=None):
    """Cases of `queryset` whose name is similar and whose last-seen date is within the window."""
    if not (first_name and last_name and last_seen_date):
        return []
    window = datetime.timedelta(days=settings.DUPLICATE_WINDOW_DAYS)
    candidates = queryset.filter(
        last_seen_date__range=(last_seen_date - window, last_seen_date + window),
    ).exclude(review_state=ReviewState.WITHDRAWN)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [
        case
        for case in candidates.order_by("last_name", "first_name", "id")
        if similar_names(first_name, last_name, case.first_name, case.last_name)
    ]
