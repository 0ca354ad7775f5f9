"""Secrets kept encrypted with AWS KMS and decrypted once, at start-up.

The settings call `decrypt_setting` for `DATABASE_PASSWORD_KMS`; operators make
the ciphertext with `manage.py encrypt_secret`. Any failure (bad base64, wrong
ciphertext or key, missing kms:Decrypt permission, no credentials, KMS out of
reach) becomes one `ImproperlyConfigured` line naming the variable, which
manage.py and the WSGI entry point print instead of a traceback.

The KMS endpoint is boto3's own unless `AWS_KMS_ENDPOINT_URL` is set (boto3
also reads the standard `AWS_ENDPOINT_URL_KMS` itself); the region comes from
`AWS_KMS_REGION_NAME`, else boto3's usual `AWS_REGION` / `AWS_DEFAULT_REGION`.
"""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured


def kms_client():
    import boto3
    from botocore.config import Config

    return boto3.client(
        "kms",
        endpoint_url=os.environ.get("AWS_KMS_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_KMS_REGION_NAME") or None,
        config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"}),
    )


def reason(error):
    """A short, single-line reason for a boto3/botocore failure."""
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "Error")
        message = error.response.get("Error", {}).get("Message", "")
        return f"{code}: {message}".strip().rstrip(":") if message else code
    return " ".join(str(error).split()) or type(error).__name__


def encrypt(plaintext, *, key_id, client=None):
    """Encrypt `plaintext` (str) with the KMS key `key_id`; return base64 text."""
    client = client or kms_client()
    response = client.encrypt(KeyId=key_id, Plaintext=plaintext.encode("utf-8"))
    return base64.b64encode(response["CiphertextBlob"]).decode("ascii")


def decrypt_setting(variable, ciphertext, *, client=None):
    """Decrypt the base64 `ciphertext` held by the environment variable `variable`."""
    from botocore.exceptions import BotoCoreError, ClientError

    def fail(why):
        return ImproperlyConfigured(f"{variable} could not be decrypted: {why}")

    try:
        blob = base64.b64decode("".join(ciphertext.split()), validate=True)
    except (binascii.Error, ValueError):
        raise fail("the value is not valid base64") from None
    if not blob:
        raise fail("the value is empty")
    try:
        client = client or kms_client()
        plaintext = client.decrypt(CiphertextBlob=blob)["Plaintext"]
    except (BotoCoreError, ClientError) as error:
        raise fail(reason(error)) from None
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("the decrypted value is not UTF-8 text") from None
