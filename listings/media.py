"""Answering a request for a photo the requester is allowed to see.

Photos are never served from a public media URL. On the local file system the
bytes are streamed by Django; on S3 the answer is a redirect to a short-lived
signed URL, generated only after the privacy rule has let the request through.
"""

from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from .models import ReviewState


def _is_public(photo):
    return photo.review_state == ReviewState.PUBLISHED and photo.case.review_state == ReviewState.PUBLISHED


def photo_response(photo, size):
    field = photo.image if size == "full" else photo.thumbnail
    if hasattr(field.storage, "bucket_name"):
        response = HttpResponseRedirect(field.url)
    else:
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
    if _is_public(photo):
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
