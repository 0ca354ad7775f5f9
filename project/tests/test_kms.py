"""The KMS-encrypted database password, against moto's KMS server over HTTP."""

import io
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from project import kms

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kms_key(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_KMS_ENDPOINT_URL", aws_env)
    client = boto3.client("kms", endpoint_url=aws_env, region_name="ca-central-1")
    return client.create_key(Description="lostinnl test key")["KeyMetadata"]["KeyId"]


def ciphertext_for(secret, key_id):
    return kms.encrypt(secret, key_id=key_id)


def test_decrypt_returns_the_encrypted_password(kms_key):
    ciphertext = ciphertext_for("s3cr3t-pässwörd", kms_key)

    assert kms.decrypt_setting("DATABASE_PASSWORD_KMS", ciphertext) == "s3cr3t-pässwörd"


def test_decrypt_ignores_line_breaks_in_the_base64(kms_key):
    ciphertext = ciphertext_for("wrapped", kms_key)
    wrapped = "\n".join(ciphertext[i : i + 40] for i in range(0, len(ciphertext), 40))

    assert kms.decrypt_setting("DATABASE_PASSWORD_KMS", wrapped) == "wrapped"


@pytest.mark.parametrize(
    ("value", "reason"),
    [("not base64!", "the value is not valid base64"), ("", "the value is empty")],
)
def test_a_malformed_value_is_one_clear_error(value, reason):
    with pytest.raises(ImproperlyConfigured) as error:
        kms.decrypt_setting("DATABASE_PASSWORD_KMS", value)

    assert str(error.value) == f"DATABASE_PASSWORD_KMS could not be decrypted: {reason}"


def test_a_wrong_ciphertext_is_one_clear_error(kms_key):
    with pytest.raises(ImproperlyConfigured) as error:
        kms.decrypt_setting("DATABASE_PASSWORD_KMS", "d3JvbmcgY2lwaGVydGV4dCBmb3IgdGhpcyBrZXk=")

    message = str(error.value)
    assert message.startswith("DATABASE_PASSWORD_KMS could not be decrypted: ")
    assert "\n" not in message


def test_missing_permission_is_one_clear_error():
    client = boto3.client(
        "kms", region_name="ca-central-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stub:
        stub.add_client_error(
            "decrypt",
            service_error_code="AccessDeniedException",
            service_message="User: arn:aws:sts::123:assumed-role/lostinnl is not authorized to perform: kms:Decrypt",
            http_status_code=400,
        )
        with pytest.raises(ImproperlyConfigured) as error:
            kms.decrypt_setting("DATABASE_PASSWORD_KMS", "c2VjcmV0", client=client)

    assert str(error.value) == (
        "DATABASE_PASSWORD_KMS could not be decrypted: AccessDeniedException: User: "
        "arn:aws:sts::123:assumed-role/lostinnl is not authorized to perform: kms:Decrypt"
    )


def test_unreachable_kms_is_one_clear_error(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_KMS_ENDPOINT_URL", "http://127.0.0.1:9")

    with pytest.raises(ImproperlyConfigured, match="^DATABASE_PASSWORD_KMS could not be decrypted: Could not connect"):
        kms.decrypt_setting("DATABASE_PASSWORD_KMS", "c2VjcmV0")


def test_encrypt_secret_command_makes_a_ciphertext_settings_can_decrypt(kms_key, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("db-password-😀\n"))
    out = io.StringIO()

    call_command("encrypt_secret", "--key-id", kms_key, stdout=out)

    assert kms.decrypt_setting("DATABASE_PASSWORD_KMS", out.getvalue().strip()) == "db-password-😀"


def test_encrypt_secret_with_an_unknown_key_fails_clearly(kms_key, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("secret"))

    with pytest.raises(CommandError, match="KMS could not encrypt with alias/nope: NotFoundException"):
        call_command("encrypt_secret", "--key-id", "alias/nope")


def test_encrypt_secret_refuses_an_empty_secret(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))

    with pytest.raises(CommandError, match="the secret is empty"):
        call_command("encrypt_secret", "--key-id", "alias/any")


def start_up(args, **extra_env):
    env = {key: value for key, value in os.environ.items() if key.startswith("AWS_") or key == "NO_PROXY"}
    env |= {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SECRET_KEY": "x", **extra_env}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )


def test_settings_use_the_decrypted_password_at_start_up(kms_key):
    result = start_up(
        [
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.DATABASES['default']['PASSWORD'])",
        ],
        DJANGO_SETTINGS_MODULE="project.settings",
        DATABASE_URL="mysql://lostinnl@db.example.internal:3306/lostinnl",
        DATABASE_PASSWORD_KMS=ciphertext_for("from-kms", kms_key),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-kms"


def test_manage_py_stops_with_one_line_on_a_wrong_ciphertext(kms_key):
    result = start_up(["manage.py", "check"], DATABASE_PASSWORD_KMS="d3JvbmcgY2lwaGVydGV4dA==")

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: DATABASE_PASSWORD_KMS could not be decrypted: ")


def test_manage_py_check_passes_with_a_good_ciphertext(kms_key):
    result = start_up(["manage.py", "check"], DATABASE_PASSWORD_KMS=ciphertext_for("good", kms_key))

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_wsgi_stops_with_one_line_on_a_wrong_ciphertext(kms_key):
    result = start_up(["-c", "import project.wsgi"], DATABASE_PASSWORD_KMS="d3JvbmcgY2lwaGVydGV4dA==")

    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: DATABASE_PASSWORD_KMS could not be decrypted: ")
    assert "Traceback" not in result.stderr
