"""With MULTI_HOST=true the settings refuse anything a request needs that would live on one host only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project.hosts import local_state

ROOT = Path(__file__).resolve().parents[2]

SHARED = {
    "MULTI_HOST": "true",
    "DATABASE_URL": "mysql://lostinnl@db.example.internal:3306/lostinnl",
    "AWS_STORAGE_BUCKET_NAME": "lostinnl-media",
    "CACHE_URL": "redis://cache.example.internal:6379/1",
}


def manage_check(**env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SECRET_KEY": "x", "HOME": str(ROOT)}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import manage; manage.main()", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=base | env,
        timeout=60,
    )


def test_one_host_may_keep_media_cache_and_database_locally():
    assert manage_check().returncode == 0


def test_several_hosts_start_with_s3_redis_and_mysql():
    result = manage_check(**SHARED)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("missing", "says"),
    [
        ("AWS_STORAGE_BUCKET_NAME", "photos are stored on this host's file system; set AWS_STORAGE_BUCKET_NAME"),
        ("CACHE_URL", "the 'default' cache (SharedFileCache) is kept on each host; set CACHE_URL"),
        ("DATABASE_URL", "SQLite is a file on one host; set DATABASE_URL"),
    ],
)
def test_several_hosts_refuse_to_start_with_state_on_one_host(missing, says):
    env = {key: value for key, value in SHARED.items() if key != missing}

    result = manage_check(**env)

    assert result.returncode == 1
    # One line, no traceback, naming the setting and what to do.
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: MULTI_HOST is true but ")
    assert says in result.stderr


def test_a_file_cache_is_one_host_state_too():
    problems = local_state(
        databases={"default": {"ENGINE": "django.db.backends.mysql"}},
        storages={"default": {"BACKEND": "storages.backends.s3.S3Storage"}},
        caches={"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}},
    )

    assert problems == [
        "the 'default' cache (FileBasedCache) is kept on each host; set CACHE_URL to the shared Redis (redis://...)"
    ]
