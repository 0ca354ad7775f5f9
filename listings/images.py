"""Checking and processing uploaded photos.

An upload is trusted only after Pillow has decoded it completely. What is
stored is a re-encoded JPEG drawn on a new, empty image from the pixels alone,
so no metadata (EXIF, GPS, comments, text chunks, XMP, ICC profiles or payloads)
survives, at two display sizes.

Memory and time are bounded whatever the file: the pixel count is checked from
the header before decoding (`PHOTO_MAX_PIXELS`), a JPEG is decoded at the
smallest scale that still covers the display size, and everything after the
decode (orientation, flattening, resampling) works on the reduced image.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
FULL_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 480)
# Reduce by whole factors (box averaging, cheap) to within this factor of the display size
# before the Lanczos resample: 1.0 keeps a 40-megapixel photo's resample to about 0.1 s.
REDUCING_GAP = 1.0
# What Pillow's decoders raise on malformed, truncated or hostile files (its fuzzing reports list
# all of these); each means "not a photo we can read", never a server error.
DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    MemoryError,
    IndexError,
    TypeError,
    KeyError,
    ZeroDivisionError,
)


@dataclass(frozen=True)
class ProcessedPhoto:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _reject(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def _encode(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def _pixels_only(image):
    """A new RGB image holding nothing but `image`'s pixels; transparency becomes white.

    A new image has an empty `info`, so the JPEG writer finds no comment, profile
    or XMP to copy from the upload.
    """
    clean = Image.new("RGB", image.size, (255, 255, 255))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean.paste(image.convert("RGB"))
    return clean


def _decoded_for_display(image):
    """Decode `image` at no more than FULL_SIZE, upright, as plain RGB pixels.

    `draft` makes the JPEG decoder itself scale by 1/2, 1/4 or 1/8; `thumbnail`
    then reduces by whole factors (cheap box averaging) before the final resample.
    Orientation is read before and applied after, on the small image.
    """
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    if image.mode in ("P", "1"):
        # Palette and bi-level pixels cannot be averaged: resize would fall back to nearest-neighbour.
        image.load()
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.draft("RGB", FULL_SIZE)
    image.thumbnail(FULL_SIZE, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    if method is not None:
        image = image.transpose(method)
    return _pixels_only(image)


def process_photo(upload):
    """Validate one uploaded file and return its processed versions, or raise ValidationError."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        _reject(_("“%(name)s” is empty."), "empty", name=upload.name)
    if size > settings.PHOTO_MAX_UPLOAD_BYTES:
        _reject(
            _("“%(name)s” is larger than %(limit)s MB."),
            "file_too_large",
            name=upload.name,
            limit=settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    not_an_image = (
        _("“%(name)s” is not a photo we can read. Please use a JPEG, PNG, WebP or GIF image."),
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
                        _(
                            "“%(name)s” has too many pixels (%(width)s × %(height)s); "
                            "the limit is %(limit)s megapixels."
                        ),
                        "too_many_pixels",
                        name=upload.name,
                        width=width,
                        height=height,
                        limit=round(settings.PHOTO_MAX_PIXELS / 1_000_000, 1),
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                full = _decoded_for_display(image)
            thumbnail = full.copy()
            thumbnail.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            return ProcessedPhoto(
                full=_encode(full, 85),
                thumbnail=_encode(thumbnail, 72),
                width=full.width,
                height=full.height,
            )
    except ValidationError:
        raise
    except DECODE_ERRORS:
        _reject(*not_an_image, name=upload.name)
