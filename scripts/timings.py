#!/usr/bin/env python3
"""In-process timings of the public pages on the configured database, with the page cache off.

    DATABASE_URL=mysql://root@127.0.0.1:3306/lostinnl_scale .venv/bin/python scripts/timings.py
    ... scripts/timings.py --explain           # also the EXPLAIN of every query each page runs

    ... scripts/timings.py --fragments         # the cards and the filter form from the site's cache
    ... scripts/timings.py --path '/listings/?q=water+street' --path '/listings/?q=bay'   # these pages only

Seed the database first (`manage.py seed_demo --scale 100000`). Each page is requested
`--repeat` times (default 40) through Django's test client, after two warm-up requests,
and its p50/p95 printed with its number of queries. The page cache is always off. By
default the cache is a dummy one (nothing stored, not even fragments), so every request
renders every card: the figures of a cold cache. With `--fragments` the site's own cache
keeps the card and filter-form fragments, as in production, where a card rendered once
serves every listing, search and page that shows the case until it changes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
if "--fragments" not in sys.argv:
    # No cache at all: every page and fragment is rendered, and nothing shared is touched.
    os.environ["CACHE_URL"] = "dummycache://"
# Static URLs without collectstatic's manifest: the same work for the template.
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")


def pages(slug, last_page):
    return [
        ("home", "/"),
        ("listings", "/listings/"),
        ("listings, deep page", f"/listings/?page={last_page}"),
        ("page beyond the last", "/listings/?page=999999"),
        ("region", "/listings/?region=labrador"),
        ("status found", "/listings/?case_status=found"),
        ("last seen range", "/listings/?seen_after=2020-01-01&seen_before=2021-06-30"),
        ("age range", "/listings/?age_min=18&age_max=30"),
        ("all filters", "/listings/?region=avalon&case_status=missing&age_min=10&age_max=60&seen_after=2018-01-01"),
        ("search 1 word", "/listings/?q=quillfeather"),
        ("search 1 word, typo", "/listings/?q=snowbuntng"),
        ("search place", "/listings/?q=st.+john%27s"),
        ("search street", "/listings/?q=water+street"),
        ("search common word", "/listings/?q=bay"),
        ("search 2 words", "/listings/?q=maren+gander"),
        ("search 3 words", "/listings/?q=zoe+corner+brook"),
        ("search region word", "/listings/?q=labrador+ada"),
        ("search region alone", "/listings/?q=labrador"),
        ("search + filter", "/listings/?q=kettle&region=central"),
        ("case page", f"/listings/{slug}/"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--fragments", action="store_true", help="keep card and form fragments in the cache")
    parser.add_argument("--path", action="append", help="time this page instead of the usual ones (repeatable)")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from listings.models import Case

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    published = Case.objects.appealing()
    slug = published.values_list("slug", flat=True).first()
    last_page = max(1, min(settings.LISTINGS_MAX_PAGES, -(-published.count() // settings.LISTINGS_PAGE_SIZE)))
    cache = "fragments cached" if options.fragments else "nothing cached"
    print(
        f"{connection.vendor}, {Case.objects.count()} cases ({published.count()} open appeals), "
        f"{os.cpu_count()} CPUs, {cache}"
    )
    print(f"{'page':<22} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}  path")
    chosen = [(unquote_plus(urlsplit(path).query)[:22], path) for path in options.path or []]
    for name, path in chosen or pages(slug, last_page):
        timings = []
        for attempt in range(options.repeat + 2):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if attempt >= 2:
                timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<22} {statistics.median(timings):>7.1f} {p95:>7.1f} {len(queries):>7}  {path}", flush=True)
        if options.explain:
            for query in queries.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + query["sql"])
                    columns = [column[0] for column in cursor.description]
                    print(f"    {query['sql'][:300]}")
                    for row in cursor.fetchall():
                        print(
                            "      " + ", ".join(f"{c}={v}" for c, v in zip(columns, row, strict=True) if v is not None)
                        )


if __name__ == "__main__":
    main()
