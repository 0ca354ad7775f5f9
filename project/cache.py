"""The caches: Django's file-based cache by default, Django's Redis cache with CACHE_URL.

The default is Django's file-based cache, shared by every process on the host.

Rate-limit counters and the page cache must be the same for every Gunicorn worker
with no configuration at all; files in one folder are, and reading one is a
single small file. Django's file cache makes `add` and `incr` a read followed by
a write, so two workers counting the same client at once could both miss a hit,
and its `incr` resets the entry's expiry to the default timeout; here both hold an
exclusive lock on one file while they run, and `incr` keeps the expiry. Several
hosts share Redis instead (CACHE_URL), where both are atomic already.

Django's file cache also counts its files on every `set`, a listing of the whole folder, to
cull a third of them at random once there are MAX_ENTRIES: 4.2 ms a set at 4,000 files, 0.18
ms at 10. A page rendered with two dozen new cards makes that many sets. `SharedFileCache`
counts them on one set in CULL_CHECK_EVERY of each process, so the folder holds at most that
many more files a process than MAX_ENTRIES before a third go.

Django's Redis cache makes a new `redis.Redis` for every call, on the same connection
pool: building one (its table of reply callbacks) costs about 0.3 ms, more than a
`GET` on a nearby Redis, and a stored page costs two calls. `RedisCache` keeps one per pool.
"""

import fcntl
import itertools
import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends import redis
from django.core.cache.backends.filebased import FileBasedCache

# How often a process counts the file cache's files (`SharedFileCache._cull`): on one set in this many.
CULL_CHECK_EVERY = 100


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._sets = itertools.count()

    def _cull(self):
        if next(self._sets) % CULL_CHECK_EVERY == 0:
            super()._cull()

    @contextmanager
    def _exclusive(self):
        os.makedirs(self._dir, 0o700, exist_ok=True)
        # Not named *.djcache, so clearing or culling the cache never removes it.
        with open(os.path.join(self._dir, "counters.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=None, version=None):
        with self._exclusive():
            return super().add(key, value, timeout=timeout, version=version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            try:
                # FileBasedCache's format: the expiry time, then the compressed value.
                with open(self._key_to_file(key, version), "rb") as stored:
                    expiry = pickle.load(stored)  # noqa: S301 (our own cache files)
                    value = pickle.loads(zlib.decompress(stored.read()))  # noqa: S301
            except FileNotFoundError:
                expiry, value = 0, None
            now = time.time()
            if value is None or (expiry is not None and expiry < now):
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, timeout=None if expiry is None else expiry - now, version=version)
            return value


class RedisCacheClient(redis.RedisCacheClient):
    """Django's, with one `redis.Redis` per connection pool, made on first use: it is safe to share, since each
    command takes a connection from the pool (which opens new ones in a forked process)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
