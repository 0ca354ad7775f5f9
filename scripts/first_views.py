#!/usr/bin/env python3
"""In-process timings of listing pages seen for the first time, with the file cache already holding entries.

    DATABASE_URL=mysql://root@127.0.0.1:3306/lostinnl_scale .venv/bin/python scripts/first_views.py --fill 4000

A fresh file cache (the default without CACHE_URL) in a temporary folder is first given
`--fill` entries, as a cache a site has used for a while holds, then `--pages` listing
pages are each requested once, with the page cache off: every card on them is new, so each
page renders and stores its cards, grid and form. Prints their p50/p95 and how many files
the cache holds at the end. Seed the database first (`manage.py seed_demo --scale 100000`).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.pop("CACHE_URL", None)
# Static URLs without collectstatic's manifest: the same work for the template.
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", type=int, default=4000, help="entries in the cache before the first view")
    parser.add_argument("--pages", type=int, default=60, help="listing pages, each requested once")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ["CACHE_DIR"] = folder
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.test import Client

        settings.ALLOWED_HOSTS = ["testserver"]
        for number in range(options.fill):
            cache.set(f"entry-{number}", "x" * 1500, 3600)
        client = Client()
        client.get("/listings/")  # the first request of a process loads what every later one uses
        timings = []
        for page in range(2, options.pages + 2):
            started = time.perf_counter()
            response = client.get(f"/listings/?page={page}")
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"page {page} answered {response.status_code}")
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{options.pages} first views, cache filled with {options.fill} entries: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms; {len(os.listdir(folder))} files at the end"
        )


if __name__ == "__main__":
    main()
