"""Delete rejected submissions and their media once the retention period has passed."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from listings.media import STORAGE_ERRORS, delete_stored_files
from listings.models import Case, Photo
from listings.moderation import record_deletion


def positive_days(value):
    try:
        days = int(value)
    except ValueError:
        raise ValueError(f"not a number of days: {value!r}") from None
    if days < 1:
        raise ValueError("the retention period must be at least 1 day")
    return days


class Command(BaseCommand):
    help = (
        "Delete rejected cases (with their photos, tips and stored media) rejected more than DAYS days ago, "
        "and rejected photos of other cases, printing each one removed. Age is taken from when the case "
        "was reviewed (or last updated) and from when the photo was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=positive_days,
            default=settings.REJECTED_RETENTION_DAYS,
            metavar="DAYS",
            help="Retention period in days (default: REJECTED_RETENTION_DAYS, %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        verb = "would remove" if dry_run else "removing"
        leftovers = []

        cases = Case.objects.rejected_before(cutoff).order_by("id")
        for case in cases:
            names = [name for photo in case.photos.all() for name in photo.stored_names()]
            self.stdout.write(
                f"{verb} case {case.slug} “{case}” (rejected {case.rejected_on:%Y-%m-%d}, "
                f"{len(names) // 2} photo(s), {len(names)} stored file(s))"
            )
            if not dry_run:
                with transaction.atomic():
                    record_deletion(case, note=f"Purged {older_than} days after rejection.")
                    case.delete()
                leftovers += self._still_stored(names)

        photos = Photo.objects.rejected_before(cutoff).select_related("case").order_by("id")
        for photo in photos:
            names = photo.stored_names()
            self.stdout.write(
                f"{verb} photo {photo.key} of case {photo.case.slug} (rejected {photo.rejected_on:%Y-%m-%d})"
            )
            if not dry_run:
                with transaction.atomic():
                    record_deletion(photo, note="Rejected photo purged.")
                    photo.delete()
                leftovers += self._still_stored(names)

        if leftovers:
            for name in leftovers:
                self.stderr.write(f"could not delete stored file {name}")
            raise CommandError(f"{len(leftovers)} stored file(s) could not be deleted; see above.")
        if not cases and not photos:
            self.stdout.write(f"Nothing rejected more than {older_than} day(s) ago.")

    def _still_stored(self, names):
        """Delete the media of a deleted row now (listings.signals does too, on commit) and check it went."""
        delete_stored_files(names)
        leftovers = []
        for name in names:
            try:
                if default_storage.exists(name):
                    leftovers.append(name)
            except STORAGE_ERRORS as error:
                leftovers.append(f"{name} ({error})")
        return leftovers
