"""Enrol a staff member in two-factor authentication for the admin."""

import io

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class Command(BaseCommand):
    help = (
        "Give a staff member a new authenticator (TOTP) key and ten single-use recovery codes, replacing any "
        "they had. Prints the key as a QR code to scan, the key itself and the recovery codes: hand them over "
        "privately. The admin asks for a code whenever HTTPS is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user is named “{username}”.") from None
        if not user.is_staff:
            raise CommandError(f"“{username}” is not staff: only staff use the admin.")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            totp = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
            recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        qr = io.StringIO()
        segno.make(totp.config_url, error="m").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write(f"Authenticator key for {username}: {totp.config_url}")
        self.stdout.write("Recovery codes (each works once): " + " ".join(codes))
