#!/usr/bin/env python3
"""Peak memory and CPU time of processing one hostile submission's photos.

    .venv/bin/python scripts/image_memory.py

Each scenario is six photos, processed one after another as the submission form
does (`listings.images.process_photo`, results kept until the end), in a fresh
child process so its high-water mark (`ru_maxrss`) belongs to that scenario
alone. The files are made beforehand by this parent process and read by the
child as bytes, as an upload would be. Reported: the child's peak resident memory
above what it held just before the first photo
(Linux's VmHWM, reset through /proc/self/clear_refs), and the CPU time the six photos took.
Pillow allocates outside Python's allocator, so tracemalloc cannot see it; the
operating system's figure is the one that matters to a 2 GiB host anyway.

Scenarios: the attack from issue 14 (six 6300 × 6300 RGBA PNGs with an EXIF
orientation), and the largest images the default limit still accepts, as PNG
(RGBA, the most memory per pixel) and as JPEG.
"""

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PHOTOS_PER_SUBMISSION = 6


def make_photo(path, size, image_format):
    from PIL import Image

    width, height = size
    mode = "RGBA" if image_format == "PNG" else "RGB"
    # A gradient, so the encoder cannot shrink the file to nothing and the decoder does real work.
    gradient = Image.linear_gradient("L").resize(size)
    bands = [gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(size), gradient]
    if mode == "RGBA":
        bands.append(Image.new("L", size, 200))
    image = Image.merge(mode, bands)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate on display
    image.save(path, format=image_format, exif=exif)
    return path.stat().st_size


def _status_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak():
    """Start the high-water mark afresh (Linux: clear_refs 5); return the resident memory now, in KiB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kib("VmRSS")


def peak_kib():
    return _status_kib("VmHWM")


def child(paths):
    """Runs in a fresh interpreter: process the files and print the figures as JSON."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", "image-memory-benchmark-only")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from listings.images import process_photo

    uploads = [SimpleUploadedFile(Path(path).name, Path(path).read_bytes()) for path in paths]
    before = resource.getrusage(resource.RUSAGE_SELF)
    baseline_kib = reset_peak()
    results = []
    for upload in uploads:
        try:
            processed = process_photo(upload)
            results.append(f"stored {processed.width}x{processed.height}")
        except ValidationError as error:
            results.append(f"refused ({error.error_list[0].code})")
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "baseline_mb": baseline_kib / 1024,
                "peak_mb": (peak_kib() - baseline_kib) / 1024,
                "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
                "results": sorted(set(results)),
            }
        )
    )


def main():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", "image-memory-benchmark-only")
    import django

    django.setup()
    from django.conf import settings

    side = math.isqrt(settings.PHOTO_MAX_PIXELS)
    scenarios = [
        ("issue 14 attack: 6300 x 6300 RGBA PNG, EXIF orientation", (6300, 6300), "PNG"),
        (f"largest accepted PNG: {side} x {side} RGBA, EXIF orientation", (side, side), "PNG"),
        (f"largest accepted JPEG: {side} x {side} RGB, EXIF orientation", (side, side), "JPEG"),
    ]
    print(f"PHOTO_MAX_PIXELS = {settings.PHOTO_MAX_PIXELS:,}; {PHOTOS_PER_SUBMISSION} photos per submission")
    with tempfile.TemporaryDirectory() as folder:
        for label, size, image_format in scenarios:
            path = Path(folder) / f"photo.{image_format.lower()}"
            file_bytes = make_photo(path, size, image_format)
            output = subprocess.run(  # noqa: S603 (this script, with files it made)
                [sys.executable, __file__, "--child", *[str(path)] * PHOTOS_PER_SUBMISSION],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            print(
                f"{label}: {file_bytes / 1024:,.0f} KiB each; peak +{figures['peak_mb']:,.0f} MB, "
                f"{figures['cpu_s']:.2f} s CPU for six (process at {figures['baseline_mb']:,.0f} MB before); "
                f"{', '.join(figures['results'])}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
