"""Many fictional cases at once, for measuring the registry at scale (`manage.py seed_demo --scale N`).

Names are invented (common first names, surnames made of Newfoundland words that
no family carries), every case is `is_demo` and says it is demo data, so
`seed_demo --clear` removes them. Rows go in with `bulk_create` in batches; the
search rows are written for each batch, and the page cache is told once at the end,
since bulk inserts send no model signals.
"""

import datetime
import random

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from pagecache.pages import bump_content_version

from . import search
from .models import CARD_FIELDS, Case, CaseStatus, Region, ReviewState, Sex

BATCH_SIZE = 2000
FIRST_NAMES = (
    "Ada Abel Bridie Callum Clementine Dara Elsie Emmett Finnian Greta Hollis Iris Jory Kit Lottie Maren Marigold "
    "Nell Oswin Pippa Quincy Rory Sadie Silas Tobias Una Wendell Zoë Chloé Renée Noël Léa Aoife Brendan Ciara "
    "Declan Eamon Fiona Gemma Hugh Jude Kieran Liam Mairead Niamh Owen Padraig Rosaleen Seamus Tess"
).split()
SURNAME_STARTS = (
    "Quill Fog Tide Salt Capelin Bakeapple Marrow Gully Brindle Wren Kettle Thimble Dory Partridge Squid Tucka "
    "Iceberg Flake Caribou Snow Ptarmi Crow Gannet Puffin Lobster Scoff Toutan Mummer Jigg Killick"
).split()
SURNAME_ENDS = "feather bottom whistle stone berry wood light hollow cove fiddle moss yard quill bunting gale".split()
PLACES = {
    Region.AVALON: ["Water Street, St. John's", "Mount Pearl", "Conception Bay South", "Bay Bulls", "Placentia"],
    Region.EASTERN: ["Clarenville", "Bonavista", "Marystown", "Trinity", "Burin"],
    Region.CENTRAL: ["Gander", "Grand Falls-Windsor", "Lewisporte", "Twillingate", "Botwood"],
    Region.WESTERN: ["Corner Brook", "Stephenville", "Deer Lake", "Port aux Basques", "Rocky Harbour"],
    Region.NORTHERN_PENINSULA: ["St. Anthony", "Port au Choix", "Plum Point", "Roddickton"],
    Region.LABRADOR: ["Happy Valley-Goose Bay", "Labrador City", "Wabush", "Nain", "L'Anse-au-Loup"],
}
NICKNAMES = ["", "", "", "", "Bud", "Sis", "Skipper", "Dolly", "Red", "Junior"]


def _case(rng, number, now):
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)
    region = rng.choice(list(PLACES))
    roll = rng.random()
    state = ReviewState.PUBLISHED if roll < 0.8 else ReviewState.PENDING if roll < 0.9 else ReviewState.REJECTED
    published_at = now - datetime.timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
    found = state == ReviewState.PUBLISHED and rng.random() < 0.15
    return Case(
        slug=f"{slugify(f'{first} {last}')[:60]}-d{number:07d}",
        first_name=first,
        last_name=last,
        nickname=rng.choice(NICKNAMES),
        age_at_disappearance=rng.randrange(5, 95),
        sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]),
        last_seen_date=(published_at - datetime.timedelta(days=rng.randrange(1, 30))).date(),
        last_seen_place=rng.choice(PLACES[region]),
        region=region,
        circumstances="Demo data: an invented case generated to measure the site at scale.",
        case_status=CaseStatus.FOUND if found else CaseStatus.MISSING,
        found_at=published_at + datetime.timedelta(days=rng.randrange(1, 60)) if found else None,
        review_state=state,
        published_at=published_at if state == ReviewState.PUBLISHED else None,
        is_demo=True,
    )


def seed_scale(count, *, seed=15, progress=None):
    """Add `count` fictional cases; return how many were created."""
    rng = random.Random(seed)  # noqa: S311 (fictional data, not security)
    now = timezone.now()
    start = Case.objects.filter(is_demo=True).count()
    created = 0
    while created < count:
        size = min(BATCH_SIZE, count - created)
        cases = [_case(rng, start + created + index, now) for index in range(size)]
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            stored = list(Case.objects.filter(slug__in=[case.slug for case in cases]).only(*CARD_FIELDS))
            search.index_cases(stored)
        created += size
        if progress:
            progress(created)
    # auto_now stamped every row with this minute: spread "last updated" out as a real registry's is.
    Case.objects.filter(is_demo=True, published_at__isnull=False, updated_at__gte=now).update(
        updated_at=F("published_at")
    )
    bump_content_version()
    refresh_statistics()
    return created


def refresh_statistics():
    """Have SQLite re-read what its tables hold after a bulk load, so that it plans by it.

    SQLite keeps no statistics until told to: without them, the listings at 100,000 cases
    took 29 ms instead of 6. MariaDB refreshes its own once a tenth of a table has changed
    (and its ANALYZE TABLE would commit the caller's transaction).
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
