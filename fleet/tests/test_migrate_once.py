"""Hosts that release at the same moment migrate one after the other, never together."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]


def _server():
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    return (url.hostname, url.port or 3306) if url.scheme == "mysql" else ("127.0.0.1", 3306)


@pytest.fixture
def mysql_database():
    """A MariaDB database of its own (whatever the suite runs on), dropped afterwards: (URL, admin connection)."""
    import MySQLdb

    host, port = _server()
    try:
        admin = MySQLdb.connect(host=host, port=port, user="root", connect_timeout=3)
    except MySQLdb.OperationalError:
        admin = None
    require_tool(admin, f"no MariaDB/MySQL server on {host}:{port} for root (apt-get install mariadb-server)")
    name = f"lostinnl_migrate_{uuid.uuid4().hex[:12]}"
    admin.cursor().execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")
    try:
        yield f"mysql://root@{host}:{port}/{name}", admin
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def _migrate_once(database_url, *args):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(ROOT),
        "SECRET_KEY": "x",
        "DATABASE_URL": database_url,
    }
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "migrate_once", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_hosts_migrating_at_once_apply_each_migration_once(mysql_database):
    url, admin = mysql_database

    hosts = [_migrate_once(url), _migrate_once(url)]
    outputs = [host.communicate(timeout=300) for host in hosts]

    assert [host.returncode for host in hosts] == [0, 0], outputs
    applying = [stdout.count("Applying ") for stdout, _ in outputs]
    # One host did the work; the other waited for it and found nothing to do.
    assert sorted(applying)[0] == 0 and sorted(applying)[1] > 10
    assert "No migrations to apply." in "".join(stdout for stdout, _ in outputs)


def test_a_host_gives_up_clearly_while_another_holds_the_lock(mysql_database):
    url, admin = mysql_database
    cursor = admin.cursor()
    cursor.execute("SELECT GET_LOCK('lostinnl:migrate', 0)")
    try:
        stdout, stderr = (host := _migrate_once(url, "--wait", "1")).communicate(timeout=120)
    finally:
        cursor.execute("SELECT RELEASE_LOCK('lostinnl:migrate')")

    assert host.returncode == 1
    assert "another host has held the lock 'lostinnl:migrate' for more than 1 s" in stderr
    assert "Applying" not in stdout
