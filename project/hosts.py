"""What more than one web host needs: no state that lives on one host only.

With `MULTI_HOST=true` (the scaled topology: a load balancer in front of several
equal hosts) any request may land on any host, so the settings refuse to start
with anything a request needs kept on the host itself: photos on the local file
system, a per-process or per-host cache (rate-limit counters, the page cache)
or SQLite. Sessions and log-in lockouts are always in the database (the settings
fix SESSION_ENGINE and AXES_HANDLER); media goes to S3, the cache to Redis.
"""

from django.core.exceptions import ImproperlyConfigured

# Caches that each process or host keeps for itself.
_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "project.cache.SharedFileCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def local_state(*, databases, storages, caches):
    """The settings that keep a request's state on one host, as sentences."""
    problems = []
    if storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        problems.append(
            "photos are stored on this host's file system; set AWS_STORAGE_BUCKET_NAME so every host uses S3"
        )
    for alias, cache in caches.items():
        if cache["BACKEND"] in _LOCAL_CACHES:
            problems.append(
                f"the {alias!r} cache ({cache['BACKEND'].rsplit('.', 1)[-1]}) is kept on each host; "
                "set CACHE_URL to the shared Redis (redis://...)"
            )
    if databases["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append("SQLite is a file on one host; set DATABASE_URL to the shared MySQL database")
    return problems


def require_shared_state(**settings):
    problems = local_state(**settings)
    if problems:
        raise ImproperlyConfigured("MULTI_HOST is true but " + "; ".join(problems) + ".")
