"""The media storage's side of photos: answering a request for a photo, and deleting stored files.

Photos are never served from a public media URL. On the local file system the
bytes are streamed by Django; on S3 the answer is a redirect to a short-lived
signed URL (AWS_QUERYSTRING_EXPIRE seconds), generated only here, after the
caller (`listings.views.PhotoView`, through `Photo.objects.visible_to`) has let
the request through. So a pending photo's URL is only ever signed for staff
and for its submitter.
"""

import logging
from contextlib import contextmanager

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What the file system (OSError) or S3 (boto3/botocore) raise when the media storage fails;
# anything else is a bug and is left to propagate as one.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError, Boto3Error)


def delete_stored_files(names):
    """Delete stored files, logging (never raising) a storage failure: the caller's work is done."""
    for name in names:
        try:
            default_storage.delete(name)
        except STORAGE_ERRORS:
            logger.exception("Could not delete stored file %s", name)


@contextmanager
def stored_files_removed_on_error():
    """Yield a list for the names of files stored inside the block; if the block fails, they are deleted."""
    stored = []
    try:
        yield stored
    except BaseException:
        delete_stored_files(stored)
        raise


def _signs_urls(storage):
    """A remote storage (S3) whose objects are reached through their own, signed URLs."""
    return hasattr(storage, "bucket_name")


def stored_file_response(storage, name, content_type, *, public, filename=None):
    """A stored private file for a request the caller's privacy rule has already let through.

    On S3, a redirect to a URL signed for AWS_QUERYSTRING_EXPIRE seconds; otherwise the bytes.
    """
    if _signs_urls(storage):
        response = HttpResponseRedirect(storage.url(name))
        # The redirect must not outlive the signature it carries.
        lifetime = max(0, int(getattr(storage, "querystring_expire", 300)) // 2)
    else:
        try:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type, filename=filename)
        except FileNotFoundError:
            raise Http404(_("This file is missing.")) from None
        lifetime = 300
    if public:
        patch_cache_control(response, public=True, max_age=lifetime)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def photo_response(photo, size):
    field = photo.image if size == "full" else photo.thumbnail
    if not field.name:
        raise Http404(_("This photo has no stored file."))
    response = stored_file_response(field.storage, field.name, "image/jpeg", public=photo.is_public)
    if not photo.case.is_appealing:
        # A found person's photos stay on their case page, out of search engines.
        response.headers["X-Robots-Tag"] = "noindex"
    return response
