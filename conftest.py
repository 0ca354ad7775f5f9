"""Suite-wide fixtures."""

import logging
import socket
import uuid
from dataclasses import dataclass

import pytest


@pytest.fixture(autouse=True)
def _test_storages(settings, tmp_path):
    """Tests render templates without collectstatic, and uploads land in a temporary folder."""
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session", autouse=True)
def _servers_cache_dir(tmp_path_factory):
    """Servers the tests start keep their file cache (CACHE_DIR) in the run's own folder, not the checkout's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CACHE_DIR", str(tmp_path_factory.mktemp("servers-cache")))
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path):
    """Rate-limit counters and cached pages live in the cache: every test starts with an empty one."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import override_settings

    default = settings.CACHES["default"]
    if default["BACKEND"] == "project.cache.SharedFileCache":
        with override_settings(CACHES={"default": {**default, "LOCATION": str(tmp_path / "cache")}}):
            yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password per user; the default hasher would make user-heavy tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread (LocaleMiddleware): each test starts in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def member(db):
    """A signed-up member, no staff rights."""
    from accounts.tests.factories import UserFactory

    return UserFactory(username="mary", email="mary@example.org")


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def member_client(client, member):
    return _signed_in(client, member)


@pytest.fixture
def moderator(db):
    """A staff member in the real Moderators group, with exactly the rights moderation needs."""
    from accounts.tests.factories import StaffFactory
    from listings.roles import ensure_moderators_group

    user = StaffFactory()
    user.groups.add(ensure_moderators_group()[0])
    return user


@pytest.fixture
def moderator_client(client, moderator):
    return _signed_in(client, moderator)


@pytest.fixture
def published_case(db):
    """A published, missing person's case with one published photo."""
    from listings.tests.factories import CaseFactory, PhotoFactory

    case = CaseFactory(published=True, first_name="Marion", last_name="Brookfield")
    PhotoFactory(case=case, caption="Marion at the harbour, 2025")
    return case


@pytest.fixture(scope="session")
def moto_server():
    """moto's AWS server (S3, KMS) over real HTTP on a free 127.0.0.1 port, shared by the whole run."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch, tmp_path, moto_server):
    """Fake credentials and a region for boto3, isolated from any real AWS configuration."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ca-central-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_PROXY": "127.0.0.1,localhost",
    }.items():
        monkeypatch.setenv(name, value)
    for name in (
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_ENDPOINT_URL_KMS",
    ):
        monkeypatch.delenv(name, raising=False)
    return moto_server


@dataclass
class S3Bucket:
    client: object
    name: str
    endpoint_url: str

    def keys(self):
        return sorted(item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3_storage(_test_storages, settings, aws_env):
    """Media on a fresh private bucket of the moto server, configured as production configures S3."""
    import boto3

    from project.settings import s3_media_storage

    bucket = S3Bucket(
        client=boto3.client("s3", endpoint_url=aws_env, region_name="ca-central-1"),
        name=f"lostinnl-test-{uuid.uuid4().hex[:12]}",
        endpoint_url=aws_env,
    )
    bucket.client.create_bucket(Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(bucket.name, endpoint_url=aws_env, region_name="ca-central-1"),
    }
    return bucket


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """Pages read the .mo files, which the build compiles from the committed .po catalogues (git holds no .mo):
    a run started without make, or after a catalogue changed, compiles them first, as `make compilemessages`."""
    from django.core.management import call_command

    call_command(
        "compilemessages",
        ignore_patterns=[".venv", "node_modules", "staticfiles", "media", "screenshots"],
        verbosity=0,
    )
