"""Checking and processing uploaded photos.

An upload is trusted only after Pillow has decoded it completely. What is
stored is a re-encoded JPEG made from the pixels alone, so no metadata (EXIF,
GPS, comments, embedded profiles or payloads) survives, at two display sizes.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
FULL_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class ProcessedPhoto:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _reject(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def _resized(image, size):
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    return copy


def _encode(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def _flatten(image):
    """RGB pixels only; transparency becomes white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def process_photo(upload):
    """Validate one uploaded file and return its processed versions, or raise ValidationError."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        _reject("“%(name)s” is empty.", "empty", name=upload.name)
    if size > settings.PHOTO_MAX_UPLOAD_BYTES:
        _reject(
            "“%(name)s” is larger than %(limit)s MB.",
            "file_too_large",
            name=upload.name,
            limit=settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    not_an_image = (
        "“%(name)s” is not a photo we can read. Please use a JPEG, PNG, WebP or GIF image.",
        "invalid_image",
    )
    try:
        upload.seek(0)
        data = upload.read()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    _reject(*not_an_image, name=upload.name)
                width, height = probe.size
                if width * height > settings.PHOTO_MAX_PIXELS:
                    _reject(
                        "“%(name)s” has too many pixels (%(width)s × %(height)s).",
                        "too_many_pixels",
                        name=upload.name,
                        width=width,
                        height=height,
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                pixels = _flatten(ImageOps.exif_transpose(image))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        _reject(*not_an_image, name=upload.name)
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        _reject(*not_an_image, name=upload.name)
    full = _resized(pixels, FULL_SIZE)
    return ProcessedPhoto(
        full=_encode(full, 85),
        thumbnail=_encode(_resized(pixels, THUMBNAIL_SIZE), 72),
        width=full.width,
        height=full.height,
    )
