"""Time the share image and the poster, cold (rendered and stored) and cached (found in the storage)."""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from listings.models import Case

from ...stored import discard_all


class Command(BaseCommand):
    help = (
        "Fetch an open appeal's share image and poster through the site (the whole middleware stack) "
        "ROUNDS times each: cold (stored files deleted first, so each request renders and stores) and "
        "cached (the stored file is served), with /healthz as the yardstick. Deletes and remakes that "
        "case's stored share image and posters; nothing else changes. Needs ALLOWED_HOSTS to allow 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", help="The case to use (default: the newest open appeal).")
        parser.add_argument("--rounds", type=int, default=20, help="Requests per measure (default: %(default)s).")

    def handle(self, *args, slug, rounds, **options):
        cases = Case.objects.appealing().order_by("-published_at", "-id")
        case = cases.filter(slug=slug).first() if slug else cases.first()
        if case is None:
            raise CommandError("No open appeal to time: run seed_demo, or name one with --slug.")
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        client = Client(HTTP_HOST="127.0.0.1")
        urls = {
            "share image": reverse("appeals:share_image", kwargs={"slug": case.slug}),
            "poster (Letter)": reverse("appeals:poster", kwargs={"slug": case.slug}),
        }
        baseline = self._time(client, reverse("healthz"), rounds)
        self.stdout.write(f"case {case.slug}, {rounds} requests each, median (min–max) in ms")
        self.stdout.write(f"{'/healthz':<22} {self._format(baseline)}")
        for label, url in urls.items():
            cold = self._time(client, url, rounds, before=lambda: discard_all(case))
            cached = self._time(client, url, rounds)
            ratio = statistics.median(cached) / statistics.median(baseline)
            self.stdout.write(f"{label + ' cold':<22} {self._format(cold)}")
            self.stdout.write(f"{label + ' cached':<22} {self._format(cached)}  ({ratio:.1f} × /healthz)")

    def _time(self, client, url, rounds, before=None):
        times = []
        for _ in range(rounds):
            if before:
                before()
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return times

    @staticmethod
    def _format(times):
        return f"{statistics.median(times):7.1f} ({min(times):.1f}–{max(times):.1f})"
