"""Write cases as CSV (to a file or standard output), for `import_cases` or a spreadsheet."""

import sys

from django.core.management.base import BaseCommand, CommandError

from listings.case_csv import write_cases
from listings.models import Case, ReviewState


class Command(BaseCommand):
    help = (
        "Export cases as CSV (UTF-8, one row per case, with review state and case status), "
        "in the format import_cases reads."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", default="-", metavar="FILE", help="File to write (default: standard output)."
        )
        parser.add_argument(
            "--review-state",
            action="append",
            choices=ReviewState.values,
            help="Only cases in this review state (repeatable; default: all).",
        )

    def handle(self, *args, output, review_state, **options):
        cases = Case.objects.all()
        if review_state:
            cases = cases.filter(review_state__in=review_state)
        if output == "-":
            count = write_cases(cases, self.stdout)
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    count = write_cases(cases, stream)
            except OSError as error:
                raise CommandError(f"cannot write {output}: {error.strerror or error}") from error
        (sys.stderr if output == "-" else self.stdout).write(f"Exported {count} case(s).\n")
