#!/usr/bin/env python3
"""Load test: wrk drives mixed traffic at Nginx in front of Gunicorn, as shipped in deploy/.

    make loadtest                       # 60 s, 64 connections, 2 threads
    DURATION=10s CONNECTIONS=16 make loadtest
    LOADTEST_HOSTS=2 make loadtest      # one web host, then two, behind a load balancer
    make loadtest-spike                 # LOADTEST_PROFILE=spike: 256 connections, 90 % on one case page

Everything runs in a temporary folder on 127.0.0.1 and is removed afterwards: a
database (SQLite, or LOADTEST_DATABASE_URL) with `seed_demo` data, collectstatic
output, Gunicorn from deploy/gunicorn.conf.py on a unix socket, Nginx with
deploy/nginx/lostinnl.conf written out by deploy/nginx/render.py and a
self-signed certificate. The traffic (scripts/loadtest.lua): home page,
listings with searches and filters, case pages, and tip posts with a valid
CSRF pair; the tip rate limit is raised for the run. It prints requests per
second and latency percentiles and exits non-zero on any 5xx or socket error.
Needs wrk, nginx and openssl (apt-get install wrk nginx openssl).

LOADTEST_PROFILE=spike is a case shared widely: 256 connections (CONNECTIONS), 90 % of
the requests on one case page, the rest on the home page, listings and other case
pages, no tip posts; it prints p99 against the goal of 250 ms.

With LOADTEST_HOSTS=2 it runs the scaled topology as tests/test_two_hosts.py does:
two copies of the project, each with its own Gunicorn and Nginx, with MULTI_HOST=true,
sharing a MariaDB database (made and dropped here, on LOADTEST_MYSQL, default
root@127.0.0.1:3306), Redis (127.0.0.1:6379, a key prefix of the run's own) and
moto's S3 server, behind an Nginx load balancer. The same traffic goes first through a
balancer with both hosts behind it, then through one with host A alone (which then finds
the shared page cache warm), and the two results are printed side by side.
"""

import contextlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from types import SimpleNamespace

import requests

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
PYTHON = sys.executable

SEARCHES = [
    "",
    "?q=gander",
    "?q=Quillfeather",
    "?q=st.+john%27s",
    "?region=avalon",
    "?region=central&case_status=missing",
    "?case_status=found",
    "?age_min=18&age_max=65",
    "?seen_after=2020-01-01&region=eastern",
    "?q=corner+brook&page=1",
    "?q=nobody+by+this+name",
]


# What a host's copy of the project leaves out (LOADTEST_HOSTS=2).
COPY_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "staticfiles", "media", "db.sqlite3", "__pycache__", ".*_cache", ".env",
    "screenshots",
)  # fmt: skip


def _load_loopback(tree=REPO):
    # deploy/ is not a package: its scripts run with the host's python3. A host's copy runs its own.
    spec = importlib.util.spec_from_file_location(
        f"nginx_loopback_{tree.name}", tree / "deploy" / "nginx" / "loopback.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manage(env, *args, cwd=REPO):
    result = subprocess.run(  # noqa: S603 (our own fixed command line)
        [PYTHON, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main():
    for tool in ("wrk", "nginx", "openssl"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install -y wrk nginx openssl")
    if os.environ.get("LOADTEST_HOSTS", "1") == "2":
        return main_two_hosts()
    duration = os.environ.get("DURATION", "60s")
    baseline_duration = os.environ.get("BASELINE_DURATION", "10s")
    connections = os.environ.get("CONNECTIONS", "256" if _profile() == "spike" else "64")
    threads = os.environ.get("THREADS", "2")
    tmp = Path(tempfile.mkdtemp(prefix="lostinnl-loadtest-"))
    database_url = os.environ.get("LOADTEST_DATABASE_URL") or f"sqlite:///{tmp / 'db.sqlite3'}"
    loopback = _load_loopback()
    env = loopback.environment(
        tmp,
        DATABASE_URL=database_url,
        HTTPS="true",
        SECURE_HSTS_SECONDS="0",
        GUNICORN_LOG_LEVEL="warning",
        # Thousands of tips from one address: lift that one limit for the run.
        RATELIMITS="listings:case_tip=100000000/m",
        LOG_LEVEL="WARNING",
        # The run's own shared cache (pages, rate-limit counters), gone with the folder.
        CACHE_DIR=str(tmp / "cache"),
    )
    if "WEB_CONCURRENCY" in os.environ:
        env["WEB_CONCURRENCY"] = os.environ["WEB_CONCURRENCY"]
    try:
        print(f"Preparing the stack in {tmp} ({database_url.split('://')[0]})", flush=True)
        _manage(env, "migrate", "--noinput", "--verbosity", "0")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        _manage(env, "seed_demo")
        slugs = _appealing_slugs(env)
        with loopback.serve(tmp, env, worker_processes="auto", worker_connections=1024, access_log=False) as stack:
            baseline = _run_baseline(stack.https_url, baseline_duration, connections, threads)
            _run_wrk(stack, env, slugs, duration, connections, threads, baseline)
    except TimeoutError as error:
        sys.exit(str(error))
    finally:
        if database_url.startswith("sqlite") or not os.environ.get("LOADTEST_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


def _profile():
    profile = os.environ.get("LOADTEST_PROFILE", "mixed")
    if profile not in ("mixed", "spike"):
        sys.exit(f"LOADTEST_PROFILE is mixed or spike, not {profile!r}.")
    return profile


def _run_baseline(origin, duration, connections, threads):
    """Requests/s and p50 of /healthz (one SELECT 1) on the same stack: the ratio makes runs comparable."""
    result = subprocess.run(  # noqa: S603
        ["wrk", "--latency", "-t", threads, "-c", connections, "-d", duration, "--timeout", "10s",  # noqa: S607
         f"{origin}/healthz"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"wrk failed on the /healthz baseline:\n{result.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", result.stdout)
    p50_ms = float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    print(f"Baseline: /healthz for {duration}: {rps:.1f} requests/s, p50 {p50_ms:.1f} ms", flush=True)
    return rps, p50_ms


def _appealing_slugs(env, cwd=REPO):
    # Cases still appealing for information: a found person's case takes no tips (404).
    python = (
        "from listings.models import Case; print(','.join(Case.objects.appealing().values_list('slug', flat=True)))"
    )
    return _manage(env, "shell", "-c", python, cwd=cwd).strip().splitlines()[-1]


def main_two_hosts():
    """One host behind the balancer, then two: the same traffic, the results side by side."""
    import MySQLdb
    import redis
    from moto.server import ThreadedMotoServer

    duration = os.environ.get("DURATION", "60s")
    baseline_duration = os.environ.get("BASELINE_DURATION", "10s")
    connections = os.environ.get("CONNECTIONS", "64")
    threads = os.environ.get("THREADS", "2")
    run = uuid.uuid4().hex[:12]
    mysql_host, _, mysql_port = os.environ.get("LOADTEST_MYSQL", "127.0.0.1:3306").partition(":")
    database, prefix, bucket = f"lostinnl_loadtest_{run}", f"lostinnl-loadtest-{run}", f"lostinnl-loadtest-{run}"
    admin = MySQLdb.connect(host=mysql_host, port=int(mysql_port or 3306), user="root", connect_timeout=3)
    cache = redis.Redis(host="127.0.0.1", port=6379, db=1)
    cache.ping()
    moto_port = _free_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request otherwise
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    tmp = Path(tempfile.mkdtemp(prefix="lostinnl-loadtest-"))
    admin.cursor().execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")
    shared = {
        "SECRET_KEY": "loadtest-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "MULTI_HOST": "true",
        "DATABASE_URL": f"mysql://root@{mysql_host}:{mysql_port or 3306}/{database}",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "CACHE_KEY_PREFIX": prefix,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_S3_REGION_NAME": "ca-central-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ca-central-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "NO_PROXY": "127.0.0.1,localhost",
        "HTTPS": "true",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_LOG_LEVEL": "warning",
        "RATELIMITS": "listings:case_tip=100000000/m",
        "LOG_LEVEL": "WARNING",
    }
    if "WEB_CONCURRENCY" in os.environ:
        shared["WEB_CONCURRENCY"] = os.environ["WEB_CONCURRENCY"]
    try:
        import boto3

        boto3.client(
            "s3", endpoint_url=shared["AWS_S3_ENDPOINT_URL"], region_name="ca-central-1",
            aws_access_key_id=shared["AWS_ACCESS_KEY_ID"], aws_secret_access_key=shared["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})  # fmt: skip
        trees, envs = {}, {}
        for name in ("a", "b"):
            trees[name] = tmp / f"host-{name}" / "app"
            shutil.copytree(REPO, trees[name], ignore=COPY_IGNORES)
            envs[name] = _load_loopback(trees[name]).environment(trees[name].parent, **shared)
        print(f"Preparing two hosts in {tmp} (MariaDB {database}, Redis prefix {prefix})", flush=True)
        _manage(envs["a"], "migrate", "--noinput", "--verbosity", "0", cwd=trees["a"])
        _manage(envs["a"], "seed_demo", cwd=trees["a"])
        for name in trees:
            _manage(envs[name], "collectstatic", "--noinput", "--verbosity", "0", cwd=trees[name])
        slugs = _appealing_slugs(envs["a"], cwd=trees["a"])
        results = {}
        with contextlib.ExitStack() as running:
            hosts = [
                running.enter_context(
                    _load_loopback(trees[name]).serve(
                        trees[name].parent, envs[name], balancer=["127.0.0.1"],
                        worker_processes=1, worker_connections=1024, access_log=False,
                    )
                )
                for name in trees
            ]  # fmt: skip
            # Two hosts first: the page cache they warm then helps the one-host run, so the ratio
            # printed at the end errs on the low side.
            for count in (2, 1):
                folder = tmp / f"balancer-{count}"
                folder.mkdir()
                url, cert = running.enter_context(
                    _load_loopback(trees["a"]).balance(folder, [host.https_port for host in hosts[:count]])
                )
                front = SimpleNamespace(https_url=url, certificate=cert, prefix=hosts[0].prefix)
                print(f"\n=== {count} web host{'s' if count > 1 else ''} behind the balancer ===", flush=True)
                baseline = _run_baseline(url, baseline_duration, connections, threads)
                results[count] = _run_wrk(front, envs["a"], slugs, duration, connections, threads, baseline)
        _print_side_by_side(results)
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")
        admin.close()
        for key in cache.scan_iter(match=f"{prefix}:*"):
            cache.delete(key)
        moto.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _print_side_by_side(results):
    one, two = results[1], results[2]
    print("\nOne host and two, the same traffic through the balancer")
    print(f"  {'':16}{'1 host':>12}{'2 hosts':>12}")
    for label, key, unit in (("requests/s", "rps", ""), ("latency p50", "p50", " ms"), ("latency p99", "p99", " ms")):
        print(f"  {label:16}{one[key]:>10.1f}{unit:2}{two[key]:>10.1f}{unit:2}")
    print(f"  two hosts give {two['rps'] / one['rps']:.2f} x the requests/s of one, on {os.cpu_count()} CPUs")


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_wrk(stack, env, slugs, duration, connections, threads, baseline):
    """Check that a tip post goes through, then drive wrk at the stack and print what it measured."""
    origin, cert, tmp = stack.https_url, stack.certificate, stack.prefix
    # A real CSRF pair, as a browser holds it after opening a case's tip page.
    session = requests.Session()
    first = slugs.split(",")[0]
    page = session.get(f"{origin}/listings/{first}/tip/", verify=str(cert), timeout=10)
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    check = session.post(
        f"{origin}/listings/{first}/tip/",
        data={"csrfmiddlewaretoken": token, "message": "Checking the tip form before the load test."},
        headers={"Referer": f"{origin}/listings/{first}/tip/", "Origin": origin},
        allow_redirects=False,
        verify=str(cert),
        timeout=10,
    )
    if check.status_code != 302:
        sys.exit(f"A tip post answered {check.status_code}, not 302; fix that before load testing.")

    wrk_env = {
        **os.environ,
        "LOADTEST_SLUGS": slugs,
        "LOADTEST_SEARCHES": "|".join(SEARCHES),
        "LOADTEST_ORIGIN": origin,
        "LOADTEST_CSRF_COOKIE": session.cookies["csrftoken"],
        "LOADTEST_CSRF_TOKEN": token,
        "LOADTEST_PROFILE": _profile(),
    }
    workers = env.get("WEB_CONCURRENCY") or f"2 x {os.cpu_count()} CPUs + 1"
    print(
        f"wrk ({_profile()}): {duration}, {connections} connections, {threads} threads against {origin} "
        f"(Nginx -> Gunicorn, {workers} sync workers)",
        flush=True,
    )
    result = subprocess.run(  # noqa: S603
        ["wrk", "--latency", "-t", threads, "-c", connections, "-d", duration, "--timeout", "10s",  # noqa: S607
         "-s", str(REPO / "scripts" / "loadtest.lua"), origin],
        env=wrk_env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    print(result.stdout)
    if result.returncode:
        sys.exit(f"wrk failed:\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("LOADTEST_RESULT "))
    numbers = json.loads(line.split(" ", 1)[1])
    seconds = numbers["duration_us"] / 1_000_000
    socket_errors = sum(numbers[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    print("Summary")
    print(f"  requests        {numbers['requests']} in {seconds:.1f} s ({numbers['tip_posts']} tip posts)")
    print(f"  requests/s      {numbers['requests'] / seconds:.1f}")
    print(f"  latency p50     {numbers['p50_us'] / 1000:.1f} ms")
    goal = " (spike goal: 250 ms)" if _profile() == "spike" else ""
    print(f"  latency p99     {numbers['p99_us'] / 1000:.1f} ms{goal}")
    print(f"  latency max     {numbers['max_us'] / 1000:.1f} ms")
    print(
        f"  statuses        2xx {numbers['status_2xx']}, 3xx {numbers['status_3xx']}, "
        f"4xx {numbers['status_4xx']}, 5xx {numbers['status_5xx']}"
    )
    print(f"  socket errors   {socket_errors}")
    baseline_rps, baseline_p50 = baseline
    rps = numbers["requests"] / seconds
    print(
        f"  vs /healthz     {rps / baseline_rps:.2f} x its requests/s, "
        f"{numbers['p50_us'] / 1000 / baseline_p50:.2f} x its p50"
    )
    if numbers["status_5xx"] or socket_errors or numbers["status_4xx"]:
        tail = (tmp / "gunicorn-error.log").read_text()[-3000:]
        sys.exit(f"FAILED: server errors, client errors or socket errors under load.\n{tail}")
    print("OK: no 5xx, no 4xx, no socket errors.")
    return {"rps": rps, "p50": numbers["p50_us"] / 1000, "p99": numbers["p99_us"] / 1000}


if __name__ == "__main__":
    main()
