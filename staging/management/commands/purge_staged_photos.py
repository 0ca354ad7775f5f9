"""Delete staged photos whose submission was never completed."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from staging.models import StagedPhoto


def positive_hours(value):
    try:
        hours = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of hours: {value!r}") from None
    if hours < 1:
        raise argparse.ArgumentTypeError("the age must be at least 1 hour")
    return hours


class Command(BaseCommand):
    help = (
        "Delete photos kept from unfinished submissions (and their stored files) "
        "uploaded more than HOURS hours ago, printing each one removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=positive_hours,
            default=settings.STAGED_PHOTO_HOURS,
            metavar="HOURS",
            help="Age in hours (default: STAGED_PHOTO_HOURS, %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        verb = "would remove" if dry_run else "removing"
        expired = StagedPhoto.objects.expired(hours=older_than).select_related("owner").order_by("id")
        count = 0
        for photo in expired:
            count += 1
            uploaded = f"{photo.created_at:%Y-%m-%d %H:%M}"
            self.stdout.write(f"{verb} staged photo {photo.key} of user {photo.owner_id} (uploaded {uploaded})")
            if not dry_run:
                try:
                    photo.delete()
                except Exception as error:
                    raise CommandError(f"could not delete staged photo {photo.key}: {error}") from error
        if not count:
            self.stdout.write(f"No staged photo older than {older_than} hour(s).")
