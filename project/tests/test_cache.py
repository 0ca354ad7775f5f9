"""The caches: with CACHE_URL, Django's Redis cache on the local Redis, keeping one client per connection pool;
without, Django's file cache, counting its files on one set in a hundred."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from project.cache import CULL_CHECK_EVERY, RedisCache, SharedFileCache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["page", "hits", "from-child"])


def test_the_redis_cache_stores_counts_and_forgets(redis_cache):
    redis_cache.set("page", (200, b"<html>"), 30)
    assert redis_cache.get("page") == (200, b"<html>")
    assert redis_cache.add("hits", 1, 30)
    assert not redis_cache.add("hits", 5, 30)
    assert redis_cache.incr("hits") == 2
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_every_call_uses_the_same_client(redis_cache):
    redis_cache.get("page")
    client = redis_cache._cache.get_client()
    redis_cache.set("page", 1, 30)

    assert redis_cache._cache.get_client(write=True) is client


def test_a_forked_process_uses_the_shared_client_on_its_own_connections(redis_cache):
    # Gunicorn forks its workers: the client made before must work in each, not share the parent's socket.
    redis_cache.set("page", "before the fork", 30)
    child = os.fork()
    if child == 0:
        ok = redis_cache.get("page") == "before the fork"
        redis_cache.set("from-child", os.getpid(), 30)
        os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache.get("from-child") == child
    assert redis_cache.get("page") == "before the fork"


def test_a_redis_cache_url_chooses_it():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["default"]["BACKEND"] == "project.cache.RedisCache"


def test_the_file_cache_counts_its_files_on_one_set_in_a_hundred_and_culls_a_third(tmp_path):
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 3}})

    for number in range(CULL_CHECK_EVERY):
        cache.set(f"card-{number}", "<article>", 60)
    # Django's own would have counted them at every set and held at most 10.
    assert len(list(tmp_path.glob("*.djcache"))) == CULL_CHECK_EVERY

    cache.set("page", "<html>", 60)
    assert len(list(tmp_path.glob("*.djcache"))) == CULL_CHECK_EVERY - CULL_CHECK_EVERY // 3 + 1
    assert cache.get("page") == "<html>"
