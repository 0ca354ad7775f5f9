"""Create cases from a CSV file made by `export_cases` (or by hand): every row valid, or nothing."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from listings.case_csv import COLUMNS, ImportFileError, check_rows, import_rows


class Command(BaseCommand):
    help = (
        "Import cases from a CSV file (columns: " + ", ".join(COLUMNS) + "). Every row is validated as "
        "the site validates a case; errors are reported by line and, if there is any, nothing is imported. "
        "Each imported case gets an 'Imported' audit entry."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="CSV file to read (UTF-8; '-' for standard input).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--by", metavar="USERNAME", help="Staff user recorded as the importer in the audit trail.")

    def handle(self, *args, csv_file, dry_run, by, **options):
        actor = self._actor(by)
        try:
            if csv_file == "-":
                result = check_rows(sys.stdin)
            else:
                with open(csv_file, encoding="utf-8-sig", newline="") as stream:
                    result = check_rows(stream)
        except OSError as error:
            raise CommandError(f"cannot read {csv_file}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{csv_file} is not UTF-8 text ({error.reason} at byte {error.start})") from error
        except ImportFileError as error:
            raise CommandError(f"{csv_file}: {error}") from error

        if not result.ok:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} error(s) in {csv_file}; nothing was imported.")
        if dry_run:
            self.stdout.write(f"Dry run: {len(result.forms)} case(s) are valid and would be imported.")
            return
        try:
            cases = import_rows(result, by=actor, source=csv_file)
        except DatabaseError as error:
            raise CommandError(f"the database refused the import, nothing was imported: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {len(cases)} case(s)."))

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"--by: no user is named {username!r}") from None
