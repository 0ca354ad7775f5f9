"""Hostile uploads through the real submission page: each is refused cleanly and nothing is stored.

Every attack goes through POST /submit/ as a member, with an otherwise valid
form, and is checked for: a 200 answer with a message on the photos field, no
case, photo or audit row, and no file anywhere under MEDIA_ROOT or outside it.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from listings.models import AuditEntry, Case, Photo
from listings.tests.factories import jpeg_bytes
from listings.tests.helpers import stored_bytes, submission_data


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def decompression_bomb(width=50_000, height=50_000):
    """A few hundred bytes claiming 2.5 gigapixels: one compressed row of zeros, repeated by the header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * 1024
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(row * 64, 9))
        + _png_chunk(b"IEND", b"")
    )


def small_bomb():
    """Within the byte limit and the header check of some tools, but far over our pixel limit."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def gif_html_polyglot():
    """A file that is a (broken) GIF to a sniffer and an HTML page with script to a browser."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;<html><script>alert(1)</script></html>" + b"\x00" * 32


def jpeg_zip_polyglot():
    """A real JPEG with a ZIP archive (holding a script) appended: it decodes, but must never be stored as sent."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.js", "alert(1)")
    return jpeg_bytes(size=(40, 30)) + archive.getvalue()


def truncated_jpeg():
    data = jpeg_bytes(size=(400, 300))
    return data[: len(data) // 2]


HTML_AS_JPEG = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_ENABLED = False


def _files_on_disk(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _submit(client, name, content, content_type="image/jpeg"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("listings:submit"), {**submission_data(), "photos": [upload]})


def _assert_refused(response, tmp_path):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "photos" in errors, errors
    assert Case.objects.count() == 0
    assert Photo.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert _files_on_disk(tmp_path / "media") == []
    # Nothing escaped the media folder either.
    assert not (tmp_path / "x.jpg").exists() and not (tmp_path.parent / "x.jpg").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("bomb.png", decompression_bomb, "image/png"),
        ("big.png", small_bomb, "image/png"),
        ("drawing.svg", lambda: SVG_WITH_SCRIPT, "image/svg+xml"),
        ("drawing.jpg", lambda: SVG_WITH_SCRIPT, "image/jpeg"),
        ("polyglot.gif", gif_html_polyglot, "image/gif"),
        ("page.jpg", lambda: HTML_AS_JPEG, "image/jpeg"),
        ("cut.jpg", truncated_jpeg, "image/jpeg"),
        ("empty.jpg", lambda: b"", "image/jpeg"),
        ("../../x.jpg", lambda: b"not an image at all", "image/jpeg"),
    ],
)
def test_hostile_upload_is_refused_and_nothing_is_stored(member_client, tmp_path, name, make, content_type):
    response = _submit(member_client, name, make(), content_type)

    _assert_refused(response, tmp_path)
    text = response.content.decode()
    assert "<script>alert" not in text


def test_the_bomb_is_refused_before_decoding(settings):
    """Pillow reads the header only: refusing 2.5 gigapixels must take no time and no memory."""
    import time
    import tracemalloc

    from django.core.exceptions import ValidationError

    from listings.images import process_photo

    upload = SimpleUploadedFile("bomb.png", decompression_bomb(), content_type="image/png")
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        process_photo(upload)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.value.code in {"too_many_pixels", "invalid_image"}
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


@pytest.mark.django_db
def test_a_traversal_filename_on_a_real_image_is_stored_under_our_own_name(member_client, tmp_path):
    response = _submit(member_client, "../../x.jpg", jpeg_bytes(size=(80, 60)))

    assert response.status_code == 302
    photo = Photo.objects.get()
    media = (tmp_path / "media").resolve()
    for name in (photo.image.name, photo.thumbnail.name):
        assert ".." not in name and "x.jpg" not in name
        assert name.startswith("photos/")
        assert (media / name).resolve().is_relative_to(media)
    assert not (tmp_path / "x.jpg").exists() and not (tmp_path.parent / "x.jpg").exists()


@pytest.mark.django_db
def test_a_zip_polyglot_is_re_encoded_so_the_payload_is_gone(member_client, tmp_path):
    """A JPEG with an archive appended decodes as a JPEG; what is stored is new pixels only."""
    response = _submit(member_client, "holiday.jpg", jpeg_zip_polyglot())

    assert response.status_code == 302
    photo = Photo.objects.get()
    for data in stored_bytes(photo):
        assert b"PK\x03\x04" not in data and b"payload.js" not in data
        assert data.startswith(b"\xff\xd8") and data.rstrip(b"\x00").endswith(b"\xff\xd9")


MARKERS = [b"MARKER-COMMENT", b"MARKER-TEXT", b"MARKER-XMP", b"MARKER-EXIF"]
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>MARKER-XMP</rdf:Description></x:xmpmeta>'


def _icc_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif_with_marker(orientation=None):
    exif = Image.Exif()
    exif[0x010E] = "MARKER-EXIF"  # image description
    if orientation:
        exif[0x0112] = orientation
    return exif


def jpeg_with_metadata(comment=b"MARKER-COMMENT"):
    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (20, 140, 60)).save(
        buffer, format="JPEG", comment=comment, icc_profile=_icc_profile(), xmp=XMP, exif=_exif_with_marker()
    )
    return buffer.getvalue()


def png_with_metadata(mode="RGB", comment="MARKER-COMMENT"):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("comment", comment)
    text.add_text("Description", "MARKER-TEXT")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    Image.new(mode, (90, 60), (20, 140, 60) if mode == "RGB" else (20, 140, 60, 255)).save(
        buffer, format="PNG", pnginfo=text, icc_profile=_icc_profile(), exif=_exif_with_marker()
    )
    return buffer.getvalue()


def gif_with_comment(comment=b"MARKER-COMMENT"):
    buffer = io.BytesIO()
    Image.new("P", (90, 60), 3).save(buffer, format="GIF", comment=comment)
    return buffer.getvalue()


def webp_with_metadata():
    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (20, 140, 60)).save(
        buffer, format="WEBP", icc_profile=_icc_profile(), xmp=XMP, exif=_exif_with_marker()
    )
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("comment.jpg", jpeg_with_metadata),
        ("text.png", png_with_metadata),
        ("text-alpha.png", lambda: png_with_metadata(mode="RGBA")),
        ("comment.gif", gif_with_comment),
        ("profile.webp", webp_with_metadata),
    ],
)
def test_stored_photos_hold_pixels_only(member_client, name, make):
    """Comments, text chunks, XMP, ICC profiles and EXIF planted in the upload are not in the stored bytes."""
    upload = make()
    assert any(marker in upload for marker in MARKERS) or name.endswith(".webp")

    response = _submit(member_client, name, upload)

    assert response.status_code == 302, response.context["form"].errors
    for data in stored_bytes(Photo.objects.get()):
        for marker in MARKERS:
            assert marker not in data
        assert b"ICC_PROFILE" not in data and b"http://ns.adobe.com/xap" not in data and b"Exif" not in data
        stored = Image.open(io.BytesIO(data))
        assert not {"comment", "icc_profile", "xmp", "exif"} & set(stored.info)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("long-comment.png", lambda: png_with_metadata(comment="MARKER-COMMENT " * 6000)),
        ("long-comment.gif", lambda: gif_with_comment(b"MARKER-COMMENT " * 6000)),
    ],
)
def test_a_long_image_comment_is_dropped_not_a_server_error(member_client, name, make):
    """Over 64 KB, a comment cannot be written into a JPEG at all: it was a 500, now it is simply not kept."""
    response = _submit(member_client, name, make())

    assert response.status_code == 302
    for data in stored_bytes(Photo.objects.get()):
        assert b"MARKER-COMMENT" not in data


@pytest.mark.django_db
def test_the_exif_orientation_is_applied_to_the_pixels(member_client):
    buffer = io.BytesIO()
    Image.new("RGB", (160, 80), (200, 30, 30)).save(buffer, format="JPEG", exif=_exif_with_marker(orientation=6))

    response = _submit(member_client, "sideways.jpg", buffer.getvalue())

    assert response.status_code == 302
    photo = Photo.objects.get()
    full, thumbnail = (Image.open(io.BytesIO(data)) for data in stored_bytes(photo))
    assert full.size == (80, 160) and thumbnail.size == (80, 160)


def test_the_attack_from_issue_14_is_over_the_default_pixel_limit():
    """Six 6300 × 6300 RGBA PNGs cost 700 MB and 14 s of CPU in one worker: such a file is now refused unread."""
    from django.core.exceptions import ValidationError

    from listings.images import process_photo

    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("big.png", decompression_bomb(6300, 6300), content_type="image/png"))

    assert refused.value.code == "too_many_pixels"


def _peak_memory_of(function):
    """The process's peak resident memory while `function` runs, above what it held before, in bytes (Linux).

    Pillow allocates outside Python's allocator, so tracemalloc cannot see its pixels; the kernel's
    high-water mark (VmHWM, reset through clear_refs) can.
    """
    from pathlib import Path

    def status(field):
        line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
        return int(line.split()[1]) * 1024

    Path("/proc/self/clear_refs").write_text("5")
    before = status("VmRSS:")
    function()
    return status("VmHWM:") - before


def _large_photo(size, image_format):
    mode = "RGBA" if image_format == "PNG" else "RGB"
    gradient = Image.linear_gradient("L").resize(size)
    bands = [gradient] * (len(mode) - 1) + [Image.new("L", size, 255 if mode == "RGBA" else 90)]
    buffer = io.BytesIO()
    Image.merge(mode, bands).save(buffer, format=image_format, exif=_exif_with_marker(orientation=6))
    return SimpleUploadedFile(f"large.{image_format.lower()}", buffer.getvalue())


@pytest.mark.parametrize(
    ("image_format", "size", "limit"),
    [
        # Decoded at 1/2 scale by the JPEG decoder (17 MB), not whole (69 MB).
        ("JPEG", (4800, 4800), 64 * 1024 * 1024),
        # A PNG is decoded whole (64 MB); only one reduced copy may be made beside it.
        ("PNG", (4000, 4000), 2.5 * 4000 * 4000 * 4),
    ],
)
def test_a_large_photo_is_processed_in_bounded_memory(image_format, size, limit):
    from listings.images import process_photo

    upload = _large_photo(size, image_format)

    peak = _peak_memory_of(lambda: process_photo(upload))

    assert peak < limit, f"{peak / 2**20:.0f} MB"
