"""`migrate` under a fleet-wide lock: when several hosts start a release at once, one migrates
and the others wait for it, then find nothing left to do."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fleet.locks import LockTimeout, fleet_lock

LOCK_NAME = "lostinnl:migrate"


class Command(BaseCommand):
    help = "Apply migrations once for the whole fleet: other hosts wait for the one that is migrating."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait", type=int, default=600, help="seconds to wait for another host's migration (default 600)"
        )

    def handle(self, *args, wait, **options):
        try:
            with fleet_lock(LOCK_NAME, wait=wait):
                call_command("migrate", interactive=False, verbosity=options["verbosity"])
        except LockTimeout as error:
            raise CommandError(f"{error}; is a migration stuck? Nothing was migrated by this host.") from None
