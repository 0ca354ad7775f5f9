"""manage.py setup_roles: create or repair the Moderators group."""

from django.core.management.base import BaseCommand
from django.db import transaction

from listings.roles import MODERATORS_GROUP, ensure_moderators_group


class Command(BaseCommand):
    help = (
        f"Create the “{MODERATORS_GROUP}” group, or bring its permissions back to exactly what moderation "
        "needs: review cases and photos, read tips and contact messages, edit resources, read the audit "
        "trail. It grants no user administration. Safe to run any number of times. Add staff members to the "
        "group in the admin (Users) to make them moderators."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            group, created, added, removed = ensure_moderators_group()
        self.stdout.write(f"{'Created' if created else 'Found'} group “{group.name}”.")
        for label in added:
            self.stdout.write(f"  granted {label}")
        for label in removed:
            self.stdout.write(f"  revoked {label}")
        if not (added or removed):
            self.stdout.write("  permissions already up to date.")
        self.stdout.write(self.style.SUCCESS(f"{group.name}: {group.permissions.count()} permissions."))
