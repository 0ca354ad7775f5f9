"""Check that the database, the media storage and the task queue answer; exit 0 when all do, 1 otherwise."""

from django.core.management.base import BaseCommand, CommandError

from project.health import check_broker, check_database, check_media_storage


class Command(BaseCommand):
    help = (
        "Check the database (SELECT 1) and the media storage (write, read back and delete a probe "
        "object) and the task queue's broker (connect, count waiting tasks). Prints one line per check; "
        "exits 0 when all pass, 1 otherwise."
    )
    requires_system_checks = []

    def handle(self, *args, **options):
        checks = [check_database(), check_media_storage(), check_broker()]
        for check in checks:
            style = self.style.SUCCESS if check.ok else self.style.ERROR
            self.stdout.write(style(str(check)))
        failed = [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError(f"unhealthy: {', '.join(failed)}", returncode=1)
