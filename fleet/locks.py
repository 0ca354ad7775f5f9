"""A lock held in the database every host shares, for what must happen once across the fleet.

On MySQL it is a named lock (GET_LOCK), held by the connection and released when the
block ends or the connection drops, so a host that dies while holding it frees it at
once. SQLite is a file on one host, where there is no fleet to coordinate.
"""

import contextlib

from django.db import connection


class LockTimeout(Exception):
    pass


@contextlib.contextmanager
def fleet_lock(name, *, wait):
    """Hold the lock `name` for the block, waiting up to `wait` seconds for another host to release it."""
    if connection.vendor != "mysql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT GET_LOCK(%s, %s)", [name, wait])
        (got,) = cursor.fetchone()
    if got != 1:
        raise LockTimeout(f"another host has held the lock {name!r} for more than {wait} s")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT RELEASE_LOCK(%s)", [name])
