"""Environment values alone choose the database and the media storage; nothing else changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW = """
import json
from django.conf import settings
print(json.dumps({"db": settings.DATABASES["default"], "storage": settings.STORAGES["default"]}, default=str))
"""


def settings_for(**env):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "project.settings",
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", SHOW], cwd=ROOT, capture_output=True, text=True, env=base | env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_mysql_url_gives_utf8mb4_strict_persistent_connections():
    db = settings_for(DATABASE_URL="mysql://lostinnl:pa%40ss@db.example.rds.amazonaws.com:3306/lostinnl")["db"]

    assert db["ENGINE"] == "django.db.backends.mysql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "lostinnl",
        "pa@ss",
        "db.example.rds.amazonaws.com",
        3306,
        "lostinnl",
    )
    options = db["OPTIONS"]
    assert options["charset"] == "utf8mb4"
    assert options["collation"] == "utf8mb4_unicode_520_ci"
    assert "STRICT_TRANS_TABLES" in options["init_command"]
    assert options["isolation_level"] == "read committed"
    assert "ssl" not in options
    assert db["TEST"] == {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_520_ci"}
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True


def test_rds_tls_and_connection_age_come_from_the_environment():
    db = settings_for(
        DATABASE_URL="mysql://lostinnl@db:3306/lostinnl",
        DATABASE_SSL_CA="/etc/ssl/rds-global-bundle.pem",
        CONN_MAX_AGE="300",
    )["db"]

    assert db["OPTIONS"]["ssl"] == {"ca": "/etc/ssl/rds-global-bundle.pem"}
    assert db["CONN_MAX_AGE"] == 300


def test_nothing_configured_means_sqlite_and_local_media():
    chosen = settings_for()

    assert chosen["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert chosen["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_means_private_s3_media_with_signed_urls_and_no_keys_in_settings():
    storage = settings_for(
        AWS_STORAGE_BUCKET_NAME="lostinnl-media",
        AWS_S3_REGION_NAME="ca-central-1",
        AWS_S3_ENDPOINT_URL="https://s3.ca-central-1.amazonaws.com",
    )["storage"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "lostinnl-media"
    assert options["region_name"] == "ca-central-1"
    assert options["endpoint_url"] == "https://s3.ca-central-1.amazonaws.com"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["file_overwrite"] is False
    assert not any("key" in name.lower() or "secret" in name.lower() for name in options)
