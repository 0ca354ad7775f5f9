"""Suite-wide fixtures."""

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
