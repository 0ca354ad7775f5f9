"""The catalogues are complete: every string the code marks is in them, translated, and none is fuzzy or stale.

The same extraction as `make messages` runs on a copy of the sources, so the committed catalogues stay as
they are; a failure names the entries and says what to do.
"""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = sorted(path.name for path in (REPO / "locale").iterdir() if path.is_dir())
DOMAINS = ("django", "djangojs")
# What `make messages` leaves out: tools, dependencies, generated files and the tests themselves.
NOT_SOURCES = shutil.ignore_patterns(
    ".*", "node_modules", "staticfiles", "media", "screenshots", "tests", "deploy", "scripts", "*.pyc", "*.mo"
)
FIX = "run `make messages`, translate the new entries in locale/{language}/LC_MESSAGES/{domain}.po"


def entries(catalogue):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in catalogue if not entry.obsolete}


def catalogue(root, language, domain):
    path = root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path)) if path.exists() else polib.POFile()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues `make messages` would write, made from a copy of the repository's sources."""
    copy = tmp_path_factory.mktemp("sources") / "repo"
    shutil.copytree(REPO, copy, ignore=NOT_SOURCES)
    here = Path.cwd()
    try:
        # makemessages reads the tree under the working directory and writes into LOCALE_PATHS.
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            for domain in DOMAINS:
                call_command("makemessages", locale=LANGUAGES, domain=domain, verbosity=0)
    finally:
        os.chdir(here)
    return copy


def test_there_is_a_french_catalogue():
    assert "fr" in LANGUAGES
    assert entries(catalogue(REPO, "fr", "django"))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_every_marked_string_and_nothing_else(extracted, language, domain):
    committed = entries(catalogue(REPO, language, domain))
    wanted = entries(catalogue(extracted, language, domain))
    fix = FIX.format(language=language, domain=domain)
    assert not wanted - committed, f"missing from the catalogue ({fix}): {sorted(wanted - committed, key=str)}"
    assert not committed - wanted, f"no longer in the code (run `make messages`): {sorted(committed - wanted, key=str)}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language, domain):
    po = catalogue(REPO, language, domain)
    untranslated = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries() if not entry.obsolete]
    assert not untranslated, f"untranslated in locale/{language}/LC_MESSAGES/{domain}.po: {untranslated}"
    assert not fuzzy, f"fuzzy (check the translation, then remove the fuzzy flag) in {language}/{domain}: {fuzzy}"
