"""Withdraw found people's cases from the site once FOUND_CASE_RETENTION_DAYS have passed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from listings import moderation
from listings.models import Case


class Command(BaseCommand):
    help = (
        "Take down every published case whose person was found more than FOUND_CASE_RETENTION_DAYS "
        f"(now {settings.FOUND_CASE_RETENTION_DAYS}) days ago: its page then answers 410 Gone and it leaves "
        "every public list, feed and photo URL. A case staff restored after such a withdrawal is left alone. "
        "Each one is recorded in the audit trail and printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be withdrawn; change nothing.")

    def handle(self, *args, dry_run, **options):
        days = settings.FOUND_CASE_RETENTION_DAYS
        if days < 1:
            raise CommandError(f"FOUND_CASE_RETENTION_DAYS must be at least 1 (it is {days}).")
        verb = "would withdraw" if dry_run else "withdrawing"
        cases = list(Case.objects.due_for_withdrawal().order_by("found_at", "id"))
        failed = 0
        for case in cases:
            self.stdout.write(f"{verb} case {case.slug} “{case}” (found {case.found_at:%Y-%m-%d})")
            if dry_run:
                continue
            try:
                moderation.take_down(case, by=None, note=f"Withdrawn {days} days after the person was found.")
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"could not withdraw {case.slug}: {' '.join(error.messages)}")
        if failed:
            raise CommandError(f"{failed} case(s) could not be withdrawn; see above.")
        if not cases:
            self.stdout.write(f"No case found more than {days} day(s) ago is still on the site.")
