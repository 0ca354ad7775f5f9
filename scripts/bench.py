#!/usr/bin/env python3
"""Benchmark: each public page's throughput as a share of a bare Django view, served side by side.

    make bench                                  # 10 s per page, 16 connections, 2 threads
    BENCH_DURATION=30s BENCH_CONNECTIONS=32 make bench

It seeds the demo data in a temporary SQLite database (or BENCH_DATABASE_URL),
starts Gunicorn with deploy/gunicorn.conf.py and 2 sync workers on a 127.0.0.1
port, and drives each page with wrk: a bare view (`/bench/bare/`, the URL that
exists only under BENCH_BARE_VIEW=true: "ok" through the same middleware), home,
listings, a search, a filter and a case page. It does so twice, each time with a
new Gunicorn: "cold" with the page cache off (every request renders the page,
which is also what a visitor with a session gets) and "warm" with it on. It prints
requests/s, p50 and p99 and each page's requests/s as a ratio of the bare view
measured in the same run, which is the figure to compare between machines: on a
busy machine absolute numbers move, ratios taken minutes apart much less.
Needs wrk (apt-get install wrk).
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
PYTHON = sys.executable

PAGES = [
    ("bare view", "/bench/bare/"),
    ("home", "/"),
    ("listings", "/listings/"),
    ("search", "/listings/?q=st+johns"),
    ("filter", "/listings/?region=avalon&case_status=missing"),
    ("case page", "/listings/{slug}/"),
]


def _load_loopback():
    # deploy/ is not a package: its scripts run with the host's python3.
    spec = importlib.util.spec_from_file_location("nginx_loopback", DEPLOY / "nginx" / "loopback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manage(env, *args):
    result = subprocess.run(  # noqa: S603 (our own fixed command line)
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=3600
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _milliseconds(text, percentile):
    found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\b", text, re.MULTILINE)
    return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]


def _wrk(url, duration, connections, threads):
    result = subprocess.run(  # noqa: S603
        ["wrk", "--latency", "-t", threads, "-c", connections, "-d", duration, "--timeout", "10s", url],  # noqa: S607
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"wrk failed on {url}:\n{result.stderr}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", result.stdout)
    if errors or socket_errors:
        sys.exit(f"{url} answered errors under load:\n{result.stdout}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1)),
        "p50": _milliseconds(result.stdout, 50),
        "p99": _milliseconds(result.stdout, 99),
    }


def _wait_until_up(origin, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("Gunicorn stopped while starting; see its error log.")
        try:
            with urllib.request.urlopen(f"{origin}/healthz", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"Gunicorn did not answer {origin}/healthz within {timeout} s.")


def _measure(loopback, env, slug, label, duration, connections, threads):
    port = loopback.free_port()
    origin = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(origin, gunicorn)
        rows = []
        for name, path in PAGES:
            url = origin + path.format(slug=slug)
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                if response.status != 200:
                    sys.exit(f"{url} answered {response.status}")
            rows.append((name, path.format(slug=slug), _wrk(url, duration, connections, threads)))
        return label, rows
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def _print(label, rows):
    bare = rows[0][2]["rps"]
    print(f"\n{label}")
    print(f"  {'page':<10} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}  path")
    for name, path, numbers in rows:
        print(
            f"  {name:<10} {numbers['rps']:>10.1f} {numbers['p50']:>8.1f} {numbers['p99']:>8.1f} "
            f"{numbers['rps'] / bare:>8.3f}  {path}"
        )


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    duration = os.environ.get("BENCH_DURATION", "10s")
    connections = os.environ.get("BENCH_CONNECTIONS", "16")
    threads = os.environ.get("BENCH_THREADS", "2")
    tmp = Path(tempfile.mkdtemp(prefix="lostinnl-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'db.sqlite3'}"
    loopback = _load_loopback()
    env = loopback.environment(
        tmp,
        DATABASE_URL=database_url,
        BENCH_BARE_VIEW="true",
        WEB_CONCURRENCY="2",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_CONTROL_SOCKET="off",
        LOG_LEVEL="WARNING",
    )
    # The workers share one cache, as in production (Redis there): a folder here, unless told otherwise.
    env["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL") or f"filecache://{tmp / 'cache'}"
    try:
        print(f"Preparing in {tmp} ({database_url.split('://')[0]}, cache {env['CACHE_URL'].split('://')[0]})")
        _manage(env, "migrate", "--noinput", "--verbosity", "0")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        if not os.environ.get("BENCH_DATABASE_URL"):
            _manage(env, "seed_demo")
        slug = (
            _manage(env, "shell", "-c", "from listings.models import Case; print(Case.objects.published()[0].slug)")
            .strip()
            .splitlines()[-1]
        )
        print(
            f"wrk -t{threads} -c{connections} -d{duration} per page; Gunicorn, 2 sync workers; "
            f"{os.cpu_count()} CPUs (ratios are to the bare view of the same run)",
            flush=True,
        )
        load = (duration, connections, threads)
        results = [
            _measure(loopback, {**env, "PAGE_CACHE_SECONDS": "0"}, slug, "cold (page cache off)", *load),
            _measure(loopback, env, slug, "warm (page cache on)", *load),
        ]
        for label, rows in results:
            _print(label, rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
