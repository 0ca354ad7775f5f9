"""The 1200 × 630 JPEG a shared link shows (Open Graph, X): photo, name, MISSING, age, last seen, who to call."""

import io

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageOps

from .fonts import pillow_font
from .stored import content_version, get_or_render

WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 450
MARGIN = 44
RED = (176, 24, 32)
INK = (20, 24, 31)
SOFT = (70, 78, 92)
PAPER = (255, 255, 255)
KIND = "share"


def shown(case):
    """Everything the image displays; a change to any of it makes a new image."""
    photo = case.primary_photo
    return {
        "name": case.full_name,
        "age": case.age_at_disappearance,
        "seen": case.last_seen_date.isoformat(),
        "place": case.last_seen_place,
        "agency": case.investigating_agency,
        "phone": case.agency_phone,
        "photo": str(photo.key) if photo else "",
    }


def version(case):
    return content_version(case, KIND, shown(case))


def stored_share_image(case):
    """The stored image's name, rendered first if this version of the case has none yet."""
    return get_or_render(case, kind=KIND, version=version(case), extension="jpg", render=lambda: render(case))


def _photo_panel(case):
    photo = case.primary_photo
    if photo is None:
        panel = Image.new("RGB", (PHOTO_WIDTH, HEIGHT), (226, 230, 236))
        draw = ImageDraw.Draw(panel)
        # A plain head-and-shoulders outline: the page says "no photo" in words.
        draw.ellipse((150, 150, 300, 300), fill=(190, 196, 205))
        draw.rounded_rectangle((95, 320, 355, 520), radius=110, fill=(190, 196, 205))
        draw.text((PHOTO_WIDTH // 2, 570), _("No photo"), font=pillow_font(30), fill=SOFT, anchor="mm")
        return panel
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        # Faces sit in the upper part of most portraits.
        return ImageOps.fit(image, (PHOTO_WIDTH, HEIGHT), method=Image.Resampling.LANCZOS, centering=(0.5, 0.3))


def _fit(draw, text, max_width, sizes, *, bold=False, max_lines=2):
    """The largest of `sizes` at which `text` wraps into `max_lines`, and its lines (the last cut with …)."""
    for size in sizes:
        font = pillow_font(size, bold=bold)
        lines = _wrap(draw, text, font, max_width)
        if len(lines) <= max_lines:
            return font, lines
    lines = _wrap(draw, text, font, max_width)[:max_lines]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font) > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def _wrap(draw, text, font, max_width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def render(case):
    canvas = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    canvas.paste(_photo_panel(case), (0, 0))
    draw = ImageDraw.Draw(canvas)
    left = PHOTO_WIDTH + MARGIN
    width = WIDTH - left - MARGIN

    draw.rectangle((PHOTO_WIDTH, 0, WIDTH, 120), fill=RED)
    font, lines = _fit(draw, _("MISSING"), width, (84, 72, 64, 56), bold=True, max_lines=1)
    draw.text((left, 60), lines[0], font=font, fill=PAPER, anchor="lm")

    y = 148
    font, lines = _fit(draw, case.full_name, width, (60, 52, 44, 38), bold=True)
    for line in lines:
        draw.text((left, y), line, font=font, fill=INK)
        y += font.size + 10
    y += 8
    details = [
        _("Age %(age)s when last seen") % {"age": case.age_at_disappearance},
        _("Last seen %(date)s") % {"date": formats.date_format(case.last_seen_date, "DATE_FORMAT")},
    ]
    for text in details:
        draw.text((left, y), text, font=pillow_font(34), fill=INK)
        y += 46
    font, lines = _fit(draw, case.last_seen_place, width, (34, 30), max_lines=2)
    for line in lines:
        draw.text((left, y), line, font=font, fill=INK)
        y += font.size + 10

    if case.agency_phone:
        call = _("Information? Call %(phone)s") % {"phone": case.agency_phone}
    else:
        call = _("Information? Call your local police")
    font, lines = _fit(draw, call, width, (38, 34, 30), bold=True, max_lines=1)
    draw.text((left, HEIGHT - 120), lines[0], font=font, fill=RED)
    if case.investigating_agency:
        font, lines = _fit(draw, case.investigating_agency, width, (26, 22), max_lines=1)
        draw.text((left, HEIGHT - 76), lines[0], font=font, fill=SOFT)
    draw.text((WIDTH - MARGIN, HEIGHT - 30), settings.SITE_NAME, font=pillow_font(26, bold=True), fill=INK, anchor="rs")

    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()
