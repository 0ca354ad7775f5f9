"""The shipped deployment files (deploy/, Procfile) are valid for the tools that
read them, and agree with each other and with the settings."""

import importlib.util
import json
import os
import re
import runpy
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.tools import require_tool

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "lostinnl.conf"
SHELL_SCRIPTS = [
    DEPLOY / "ec2" / "bootstrap.sh",
    DEPLOY / "ec2" / "release.sh",
    DEPLOY / "ec2" / "lostinnl-manage",
]
UNITS = sorted((DEPLOY / "systemd").iterdir())
MIB = 1024 * 1024


def _nginx_site():
    return NGINX_SITE.read_text()


def _unit(name):
    """The [Section] Key=value pairs of a unit file, keys repeated as lists."""
    values = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def _gunicorn_settings(**env):
    cleared = {key: None for key in os.environ if key.startswith("GUNICORN_")}
    cleared.update({"WEB_CONCURRENCY": None, "PORT": None, "RUNTIME_DIRECTORY": None})
    cleared.update(env)
    saved = {key: os.environ.get(key) for key in cleared}
    try:
        for key, value in cleared.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _nginx_script(name):
    """deploy/nginx/<name>.py: deploy/ is not a package, its scripts run with the host's python3."""
    spec = importlib.util.spec_from_file_location(f"nginx_{name}", DEPLOY / "nginx" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cloudformation():
    from cfnlint import decode

    template, matches = decode.decode_str((DEPLOY / "aws" / "cloudformation.yaml").read_text())
    assert not matches
    return template


# --- Tools ------------------------------------------------------------------------


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda path: path.name)
def test_shell_script_passes_shellcheck(script):
    require_tool(shutil.which("shellcheck"), "shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", "--shell=bash", str(script)], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda path: path.name)
def test_shell_script_parses_and_is_executable(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert script.stat().st_mode & stat.S_IXUSR
    assert "set -euo pipefail" in script.read_text()


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    require_tool(shutil.which("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)")
    # The deployed paths (venv, checkout) are laid out under tmp_path, so the only
    # messages left would be about the units themselves.
    root = tmp_path / "root"
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        (units / unit.name).write_text(unit.read_text().replace("/srv/lostinnl", f"{root}/srv/lostinnl"))
    venv_bin = root / "srv" / "lostinnl" / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    (root / "srv" / "lostinnl" / "app").mkdir()
    for program in ("gunicorn", "python", "celery"):
        (venv_bin / program).write_text("#!/bin/sh\n")
        (venv_bin / program).chmod(0o755)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(path) for path in units.iterdir())],
        capture_output=True,
        text=True,
        cwd=units,
    )

    # Only this machine not being a systemd host may be reported.
    not_the_host = re.compile(r"Unit \S+\.target not found|Failed to connect to bus|not being run as PID 1|^$")
    problems = [line for line in (result.stdout + result.stderr).splitlines() if not not_the_host.search(line)]
    assert problems == []


def test_cloudformation_template_passes_cfn_lint():
    # Pinned in requirements-dev.txt, so it sits beside the virtualenv's python.
    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    template = DEPLOY / "aws" / "cloudformation.yaml"

    result = subprocess.run(
        [cfn_lint, "--regions", "ca-central-1", "us-east-1", "--", str(template)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_shipped_nginx_site_passes_nginx_t_for_a_real_domain(tmp_path):
    require_tool(shutil.which("nginx"), "nginx is not installed (apt-get install nginx)")
    loopback = _nginx_script("loopback")
    cert, key = loopback.make_certificate(tmp_path, "example.org")
    site = _nginx_script("render").render(
        _nginx_site(),
        domain="example.org",
        certificate=str(cert),
        certificate_key=str(key),
        log_dir=str(tmp_path),
    )
    nginx_conf = loopback.write_nginx_conf(tmp_path, site)

    result = subprocess.run(
        ["nginx", "-t", "-c", str(nginx_conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "server_name example.org www.example.org;" in site


def test_site_behind_a_balancer_passes_nginx_t_and_trusts_only_the_balancer(tmp_path):
    require_tool(shutil.which("nginx"), "nginx is not installed (apt-get install nginx)")
    loopback = _nginx_script("loopback")
    cert, key = loopback.make_certificate(tmp_path, "example.org")
    site = _nginx_script("render").render(
        _nginx_site(),
        domain="example.org",
        certificate=str(cert),
        certificate_key=str(key),
        log_dir=str(tmp_path),
        balancer=["10.20.0.0/24", "10.20.1.0/24"],
    )
    nginx_conf = loopback.write_nginx_conf(tmp_path, site)

    result = subprocess.run(
        ["nginx", "-t", "-c", str(nginx_conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert re.findall(r"^set_real_ip_from (\S+);", site, re.M) == ["10.20.0.0/24", "10.20.1.0/24"]
    assert "real_ip_recursive on;" in site
    # The balancer may connect without SNI: the site's server takes every handshake.
    assert "ssl_reject_handshake" not in site
    assert "listen 443 ssl http2 default_server;" in site


def test_site_on_its_own_trusts_no_forwarding_header():
    site = _nginx_script("render").render(_nginx_site())

    assert not re.search(r"^\s*set_real_ip_from", site, re.M)
    assert "ssl_reject_handshake on;" in site
    # What reaches the application is the one address Nginx decided on.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "proxy_set_header X-Real-IP $remote_addr;" in site


def test_json_policies_and_agent_configuration_are_valid_json():
    for path in (DEPLOY / "aws").glob("*.json"):
        json.loads(path.read_text())


# --- Nginx and the application agree ---------------------------------------------------


def test_nginx_body_limit_matches_the_submission_upload_limit():
    size = re.search(r"^\s*client_max_body_size (\d+)m;", _nginx_site(), re.MULTILINE)
    assert size, "no client_max_body_size in the site"
    limit = int(size.group(1)) * MIB

    # Room for the form fields on top of the photos, and not much more.
    assert settings.SUBMISSION_MAX_UPLOAD_BYTES < limit <= settings.SUBMISSION_MAX_UPLOAD_BYTES + 2 * MIB
    assert settings.PHOTO_MAX_UPLOAD_BYTES < limit


def test_nginx_sets_the_scheme_header_django_trusts():
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in _nginx_site()


def test_nginx_never_serves_media():
    site = _nginx_site()

    assert not re.search(r"location\s+[~^=]*\s*/media", site)
    assert "MEDIA_ROOT" not in site and "/var/lib/lostinnl/media" not in site


def test_nginx_413_page_exists_and_explains_the_limit():
    assert "error_page 413 /errors/413.html;" in _nginx_site()
    page = (DEPLOY / "nginx" / "errors" / "413.html").read_text()
    assert "25&nbsp;MB" in page and f"{settings.SUBMISSION_MAX_UPLOAD_BYTES // MIB}" == "25"


def test_nginx_waits_longer_than_gunicorn():
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", _nginx_site()).group(1))

    assert read_timeout > _gunicorn_settings()["timeout"]


def test_renderer_fails_loudly_when_a_known_value_disappears():
    renderer = _nginx_script("render")
    with pytest.raises(renderer.RenderError):
        renderer.render(_nginx_site().replace("/run/lostinnl/gunicorn.sock", "/run/other.sock"))


# --- Gunicorn and systemd --------------------------------------------------------------


def test_gunicorn_workers_follow_the_cpu_count_unless_overridden():
    cpus = len(os.sched_getaffinity(0))

    assert _gunicorn_settings()["workers"] == 2 * cpus + 1
    assert _gunicorn_settings(WEB_CONCURRENCY="3")["workers"] == 3


def test_gunicorn_binds_the_socket_nginx_and_systemd_use():
    socket_path = _unit("lostinnl.socket")["ListenStream"][0]

    assert _gunicorn_settings()["bind"] == [f"unix:{socket_path}"]
    assert f"server unix:{socket_path} fail_timeout=0;" in _nginx_site()
    assert _gunicorn_settings(PORT="5000")["bind"] == ["0.0.0.0:5000"]


def test_gunicorn_reloads_gracefully_and_recycles_workers():
    config = _gunicorn_settings()

    assert config["preload_app"] is False  # so a HUP loads new code
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["graceful_timeout"] > 0
    assert "%(L)s" in config["access_log_format"]  # request time
    assert config["wsgi_app"] == "project.wsgi:application"


def test_socket_is_reachable_by_nginx_only():
    socket_unit = _unit("lostinnl.socket")

    assert socket_unit["SocketGroup"] == ["www-data"]
    assert socket_unit["SocketMode"] == ["0660"]


def test_service_runs_unprivileged_sandboxed_and_restarts():
    service = _unit("lostinnl.service")

    assert service["User"] == ["lostinnl"]
    assert service["Requires"] == ["lostinnl.socket"]
    assert service["EnvironmentFile"] == ["/etc/lostinnl/lostinnl.env"]
    assert service["Restart"] == ["on-failure"]
    assert service["ExecReload"] == ["/bin/kill -s HUP $MAINPID"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["PrivateTmp"] == ["yes"]
    assert service["CapabilityBoundingSet"] == [""]
    assert "--config /srv/lostinnl/app/deploy/gunicorn.conf.py" in service["ExecStart"][0]


def test_worker_and_beat_run_the_project_celery_app_unprivileged_and_restart():
    for name, command in (("lostinnl-worker.service", " worker "), ("lostinnl-beat.service", " beat ")):
        unit = _unit(name)
        assert unit["User"] == ["lostinnl"]
        assert unit["EnvironmentFile"] == ["/etc/lostinnl/lostinnl.env"]
        assert unit["Restart"] == ["always"]
        assert unit["NoNewPrivileges"] == ["yes"] and unit["CapabilityBoundingSet"] == [""]
        assert unit["ExecStart"][0].startswith("/srv/lostinnl/venv/bin/celery --app project" + command)
    for script in ("bootstrap.sh", "release.sh"):
        text = (DEPLOY / "ec2" / script).read_text()
        assert "lostinnl-worker.service" in text and "lostinnl-beat.service" in text


def test_bootstrap_keeps_the_environment_file_private():
    script = (DEPLOY / "ec2" / "bootstrap.sh").read_text()

    assert "umask 077" in script
    assert 'chmod 0600 "$ENV_FILE"' in script
    assert 'chown root:root "$ENV_FILE"' in script


def test_release_rolls_back_on_a_failed_health_check():
    script = (DEPLOY / "ec2" / "release.sh").read_text()

    assert "healthy || rollback" in script
    assert "/healthz" in script
    assert "systemctl reload-or-restart lostinnl.service" in script


def test_procfile_uses_the_shipped_gunicorn_settings():
    procfile = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip())

    assert procfile["web"].split() == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
    assert "migrate" in procfile["release"]


# --- AWS ---------------------------------------------------------------------------


def _statements_by_sid(statements):
    return {statement["Sid"]: statement for statement in statements}


def test_instance_policy_file_matches_the_cloudformation_role():
    role = _cloudformation()["Resources"]["InstanceRole"]["Properties"]
    in_stack = _statements_by_sid(role["Policies"][0]["PolicyDocument"]["Statement"])
    in_file = _statements_by_sid(json.loads((DEPLOY / "aws" / "iam-instance-policy.json").read_text())["Statement"])

    assert in_stack.keys() == in_file.keys()
    for sid, statement in in_file.items():
        assert sorted(statement["Action"]) == sorted(in_stack[sid]["Action"]), sid


def test_fleet_policy_file_matches_the_cloudformation_policy():
    policy = _cloudformation()["Resources"]["FleetInstancePolicy"]["Properties"]["PolicyDocument"]
    in_stack = _statements_by_sid(policy["Statement"])
    in_file = _statements_by_sid(json.loads((DEPLOY / "aws" / "iam-fleet-policy.json").read_text())["Statement"])

    assert in_stack.keys() == in_file.keys()
    for sid, statement in in_file.items():
        assert sorted(statement["Action"]) == sorted(in_stack[sid]["Action"]), sid
    # The hosts read the password only KMS-encrypted, never the clear SecureString.
    readable = in_file["ReadLostInNLParameters"]["Resource"]
    assert not any(name.endswith("/lostinnl/database-password") for name in readable)


def test_instance_policy_is_least_privilege():
    policy = json.loads((DEPLOY / "aws" / "iam-instance-policy.json").read_text())

    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert not any(action.endswith("*") for action in statement["Action"]), statement["Sid"]
        if statement["Resource"] == "*":
            # Only metrics have no resource; they are held to one namespace.
            assert statement["Action"] == ["cloudwatch:PutMetricData"]
            assert statement["Condition"]["StringEquals"]["cloudwatch:namespace"] == "LostInNL"
    actions = {action for statement in policy["Statement"] for action in statement["Action"]}
    assert "kms:Encrypt" not in actions and "s3:PutBucketPolicy" not in actions


def test_bucket_denies_plain_http_and_public_access():
    policy = json.loads((DEPLOY / "aws" / "s3-bucket-policy.json").read_text())
    insecure = _statements_by_sid(policy["Statement"])["DenyInsecureTransport"]
    assert insecure["Effect"] == "Deny"
    assert insecure["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert all(json.loads((DEPLOY / "aws" / "s3-public-access-block.json").read_text()).values())

    bucket = _cloudformation()["Resources"]["MediaBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert (
        bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
            "SSEAlgorithm"
        ]
        == "aws:kms"
    )


def test_database_is_private_backed_up_and_reachable_from_the_web_tier_only():
    resources = _cloudformation()["Resources"]
    database = resources["Database"]["Properties"]
    ingress = resources["DatabaseSecurityGroup"]["Properties"]["SecurityGroupIngress"]

    assert database["PubliclyAccessible"] is False
    assert database["StorageEncrypted"] is True
    assert database["BackupRetentionPeriod"] == {"Ref": "BackupRetentionDays"}
    assert resources["Database"]["DeletionPolicy"] == "Snapshot"
    assert ingress == [
        {
            "IpProtocol": "tcp",
            "FromPort": 3306,
            "ToPort": 3306,
            "SourceSecurityGroupId": {
                "Fn::If": ["IsScaled", {"Ref": "FleetWebSecurityGroup"}, {"Ref": "WebSecurityGroup"}]
            },
            "Description": "MySQL from the web instances",
        }
    ]
    # Scaled: the worker too (migrations, periodic jobs, tasks), and nothing else.
    from_worker = resources["DatabaseFromWorker"]
    assert from_worker["Condition"] == "IsScaled"
    assert from_worker["Properties"]["SourceSecurityGroupId"] == {"Ref": "WorkerSecurityGroup"}


def _scaled(resource):
    return resource.get("Condition") == "IsScaled"


def test_scaled_topology_puts_web_hosts_behind_an_https_balancer_in_private_subnets():
    template = _cloudformation()
    resources = template["Resources"]
    assert template["Parameters"]["Topology"]["AllowedValues"] == ["single", "scaled"]
    assert all(_scaled(resources[name]) for name in ("Balancer", "WebGroup", "WorkerGroup", "Cache"))
    assert resources["WebInstance"]["Condition"] == "IsSingle"

    https = resources["HttpsListener"]["Properties"]
    assert (https["Protocol"], https["Port"]) == ("HTTPS", 443)
    assert https["Certificates"] == [{"CertificateArn": {"Ref": "CertificateArn"}}]
    redirect = resources["HttpRedirectListener"]["Properties"]["DefaultActions"][0]
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS" and redirect["RedirectConfig"]["StatusCode"] == "HTTP_301"
    targets = resources["WebTargets"]["Properties"]
    assert (targets["HealthCheckPath"], targets["Matcher"]) == ("/healthz", {"HttpCode": "200"})

    web = resources["WebGroup"]["Properties"]
    assert web["VPCZoneIdentifier"] == [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}]
    assert web["HealthCheckType"] == "ELB" and web["TargetGroupARNs"] == [{"Ref": "WebTargets"}]
    assert template["Parameters"]["WebMinSize"]["MinValue"] == 2
    assert resources["WebCpuScaling"]["Properties"]["PolicyType"] == "TargetTrackingScaling"
    # One worker, so Celery beat and the timers run once for the site.
    worker = resources["WorkerGroup"]["Properties"]
    assert (worker["MinSize"], worker["MaxSize"]) == ("1", "1")


def test_scaled_web_hosts_take_traffic_from_the_balancer_only():
    resources = _cloudformation()["Resources"]

    ingress = resources["FleetWebSecurityGroup"]["Properties"]["SecurityGroupIngress"]

    assert [(rule["FromPort"], rule["SourceSecurityGroupId"]) for rule in ingress] == [
        (443, {"Ref": "BalancerSecurityGroup"})
    ]
    assert not any("CidrIp" in rule for rule in ingress)
    cache = resources["CacheSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert {rule["SourceSecurityGroupId"]["Ref"] for rule in cache} == {"FleetWebSecurityGroup", "WorkerSecurityGroup"}


def test_scaled_hosts_reach_aws_privately_and_share_redis():
    template = _cloudformation()
    resources = template["Resources"]

    interfaces = {
        resource["Properties"]["ServiceName"]["Fn::Sub"].rsplit(".", 1)[-1]
        for resource in resources.values()
        if resource["Type"] == "AWS::EC2::VPCEndpoint" and resource["Properties"]["VpcEndpointType"] == "Interface"
    }
    assert {"kms", "ssm", "logs", "email-smtp"} <= interfaces
    assert resources["S3GatewayEndpoint"]["Properties"]["VpcEndpointType"] == "Gateway"
    assert template["Conditions"]["UseNat"] == {
        "Fn::And": [{"Condition": "IsScaled"}, {"Fn::Equals": [{"Ref": "NatGateway"}, "true"]}]
    }
    assert all(resources[name]["Condition"] == "UseNat" for name in ("NatGatewayA", "PrivateNatRoute"))
    cache = resources["Cache"]["Properties"]
    assert cache["MultiAZEnabled"] and cache["AutomaticFailoverEnabled"] and cache["TransitEncryptionEnabled"]
    assert resources["Database"]["Properties"]["MultiAZ"] == {"Ref": "DBMultiAZ"}


def test_scaled_alarms_watch_hosts_errors_queue_and_database():
    resources = _cloudformation()["Resources"]
    alarms = {
        name: resource["Properties"]
        for name, resource in resources.items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    }

    assert alarms["UnhealthyHostsAlarm"]["MetricName"] == "UnHealthyHostCount"
    metrics = {
        query["MetricStat"]["Metric"]["MetricName"]
        for query in alarms["BalancerServerErrorsAlarm"]["Metrics"]
        if "MetricStat" in query
    }
    assert metrics == {"HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"}
    # Both published every minute by the worker (mailer.tasks.publish_queue_metrics).
    assert alarms["QueueDepthAlarm"]["MetricName"] == "TaskQueueDepth"
    assert alarms["QueuedEmailAlarm"]["MetricName"] == "QueuedEmailOldestAge"
    assert alarms["DatabaseCpuAlarm"]["MetricName"] == "CPUUtilization"


def test_cloudwatch_agent_ships_the_logs_the_stack_writes():
    agent = json.loads((DEPLOY / "aws" / "cloudwatch-agent.json").read_text())
    collected = agent["logs"]["logs_collected"]["files"]["collect_list"]
    files = {entry["file_path"] for entry in collected}
    groups = {entry["log_group_name"] for entry in collected}
    service = "\n".join(f"{key}={value}" for key, values in _unit("lostinnl.service").items() for value in values)
    stack_groups = {
        resource["Properties"]["LogGroupName"]
        for resource in _cloudformation()["Resources"].values()
        if resource["Type"] == "AWS::Logs::LogGroup"
    }

    for path in files:
        assert path in _nginx_site() or path in service, path
    assert {"/var/log/lostinnl/app.log", "/var/log/nginx/lostinnl.access.log"} <= files
    assert groups == stack_groups
    assert agent["metrics"]["namespace"] == "LostInNL"
    assert {"mem", "disk"} <= agent["metrics"]["metrics_collected"].keys()


def _bootstrap_environment_file():
    script = (DEPLOY / "ec2" / "bootstrap.sh").read_text()
    heredoc = re.search(r'cat >"\$ENV_FILE" <<EOF\n(.*?)\nEOF\n', script, re.S).group(1)
    return dict(line.split("=", 1) for line in heredoc.splitlines() if line and not line.startswith("#"))


def test_bootstrap_environment_file_turns_on_https_and_the_shared_cache():
    values = _bootstrap_environment_file()

    assert values["HTTPS"] == "true"
    assert values["SITE_URL"] == "https://$DOMAIN"
    assert values["CACHE_URL"] == "$cache_url"
    script = (DEPLOY / "ec2" / "bootstrap.sh").read_text()
    # One host: Redis on loopback. A fleet: the shared ElastiCache, and MULTI_HOST on.
    assert "cache_url=redis://127.0.0.1:6379/1" in script
    assert 'cache_url="rediss://$REDIS_HOST:6379/1"' in script
    assert values["MULTI_HOST"] == "$multi_host"
    assert values["CELERY_BROKER_URL"] == "$broker_url"
    assert "broker_url=redis://127.0.0.1:6379/0" in script


def test_periodic_jobs_and_migrations_run_once_per_fleet():
    bootstrap = (DEPLOY / "ec2" / "bootstrap.sh").read_text()
    release = (DEPLOY / "ec2" / "release.sh").read_text()
    roles = dict(re.findall(r"^    (single|web|worker)\) enabled=\((.*?)\) disabled", bootstrap, re.M))

    # The purge timer and Celery beat only where there is exactly one of them: not on the web hosts.
    assert "once_units" not in roles["web"] and "once_units" in roles["worker"]
    assert "lostinnl-beat.service" in re.search(r"once_units=\((.*)\)", bootstrap).group(1)
    for script in (bootstrap, release):
        assert "lostinnl-manage migrate_once" in script
        assert "manage migrate " not in script
    assert 'fleet refresh "$WEB_GROUP"' in release


def test_bootstrap_environment_file_names_only_variables_the_application_reads():
    sources = "".join(
        (REPO / path).read_text() for path in ("project/settings.py", "project/kms.py", "deploy/gunicorn.conf.py")
    )
    boto3_reads = {"AWS_DEFAULT_REGION"}

    unknown = [name for name in _bootstrap_environment_file() if name not in boto3_reads and f'"{name}"' not in sources]

    assert unknown == []


def test_bootstrap_and_release_compile_the_translations():
    # The .mo files are not in git: a host without them would serve English at /fr/.
    for script in ("bootstrap.sh", "release.sh"):
        assert "lostinnl-manage compilemessages" in (DEPLOY / "ec2" / script).read_text(), script
    assert "gettext" in (DEPLOY / "ec2" / "bootstrap.sh").read_text()
