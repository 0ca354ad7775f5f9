"""Encrypt a secret with a KMS key, for DATABASE_PASSWORD_KMS and the like."""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from project.kms import encrypt, kms_client, reason


class Command(BaseCommand):
    help = (
        "Encrypt a secret (read from standard input, or asked for on a terminal) with the KMS key "
        "--key-id and print the base64 ciphertext, e.g. for DATABASE_PASSWORD_KMS. Uses the usual AWS "
        "credentials and region; AWS_KMS_ENDPOINT_URL / AWS_KMS_REGION_NAME override the endpoint and region."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--key-id", required=True, help="KMS key id, ARN or alias (e.g. alias/lostinnl-secrets).")

    def handle(self, *args, key_id, **options):
        if sys.stdin.isatty():
            secret = getpass.getpass("Secret to encrypt: ")
        else:
            secret = sys.stdin.read().rstrip("\r\n")
        if not secret:
            raise CommandError("nothing to encrypt: the secret is empty")
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            ciphertext = encrypt(secret, key_id=key_id, client=kms_client())
        except (BotoCoreError, ClientError) as error:
            raise CommandError(f"KMS could not encrypt with {key_id}: {reason(error)}") from error
        self.stdout.write(ciphertext)
