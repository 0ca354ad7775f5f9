"""Share images and posters kept in the media storage, one file per case, kind and content version.

A file's name carries a hash of everything it shows (`content_version`), so a change to any of
it makes a new name: the next request renders the new file and removes the old ones, and an
unchanged case is never rendered twice. The files are private like photos and reached only
through appeals/views.py, after the privacy rule.
"""

import hashlib
import json
import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import get_language

ROOT = "appeals"


def content_version(case, kind, shown):
    """A short hash of `shown` (the values the file displays), the language and the renderer's `kind`."""
    payload = json.dumps(
        [kind, get_language(), settings.SITE_NAME, settings.SITE_URL, case.slug, shown],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _folder(case):
    return posixpath.join(ROOT, case.slug)


def _prefix(kind):
    """One current file per kind and language: the others of the same prefix are older versions."""
    return f"{kind}-{get_language()}-"


def get_or_render(case, *, kind, version, extension, render):
    """The stored file's name for this version, rendering and storing it only if it is not there yet."""
    name = posixpath.join(_folder(case), f"{_prefix(kind)}{version}.{extension}")
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(render()))
    if saved != name:
        # Another request stored the same version meanwhile; keep one.
        default_storage.delete(saved)
    _discard(case, keep=name, prefix=_prefix(kind))
    return name


def _discard(case, *, keep=None, prefix=""):
    try:
        _, files = default_storage.listdir(_folder(case))
    except FileNotFoundError:
        return
    for filename in files:
        name = posixpath.join(_folder(case), filename)
        if filename.startswith(prefix) and name != keep:
            default_storage.delete(name)


def discard_all(case):
    """Delete every share image and poster of a case (it was found, withdrawn, unpublished or deleted)."""
    _discard(case)
