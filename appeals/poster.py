"""The one-page printable poster: `/listings/<slug>/poster.pdf`, drawn with ReportLab.

Why ReportLab rather than WeasyPrint: it needs no system library (WeasyPrint needs Pango), it
renders a page in a few tens of milliseconds, and the layout is measured, not flowed, so the
circumstances are shortened until they fit the space left and the poster is one page always.
"""

import io
from html import escape

import segno
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .fonts import register_pdf_fonts
from .stored import content_version, get_or_render

PAPERS = {"letter": LETTER, "a4": A4}
DEFAULT_PAPER = "letter"
RED = Color(176 / 255, 24 / 255, 32 / 255)
SOFT = Color(70 / 255, 78 / 255, 92 / 255)
MARGIN = 36
BOTTOM_BLOCK = 150
ELLIPSIS = " …"


def case_url(case):
    return f"{settings.SITE_URL}{case.get_absolute_url()}"


def shown(case, paper):
    """Everything the poster displays (but the date it is made); a change to any of it makes a new poster."""
    photo = case.primary_photo
    return {
        "paper": paper,
        "url": case_url(case),
        "photo": str(photo.key) if photo else "",
        **{name: getattr(case, name) for name in POSTER_FIELDS},
    }


POSTER_FIELDS = [
    "first_name",
    "last_name",
    "nickname",
    "age_at_disappearance",
    "sex",
    "height_cm",
    "weight_kg",
    "hair_colour",
    "eye_colour",
    "distinguishing_features",
    "last_seen_date",
    "last_seen_place",
    "circumstances",
    "investigating_agency",
    "agency_phone",
    "police_file_number",
]


def stored_poster(case, paper=DEFAULT_PAPER):
    """The stored poster's name, rendered first if this version of the case has none yet."""
    kind = f"poster-{paper}"
    version = content_version(case, kind, shown(case, paper))
    return get_or_render(case, kind=kind, version=version, extension="pdf", render=lambda: render(case, paper))


class _Poster:
    def __init__(self, case, paper):
        self.case = case
        self.width, self.height = PAPERS[paper]
        self.regular, self.bold = register_pdf_fonts()
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(self.width, self.height), pageCompression=1)
        self.canvas.setTitle(_("Missing: %(name)s") % {"name": case.full_name})
        self.canvas.setAuthor(settings.SITE_NAME)
        self.content_width = self.width - 2 * MARGIN

    def style(self, size, *, bold=False, colour=black, leading=None):
        return ParagraphStyle(
            f"s{size}{bold}",
            fontName=self.bold if bold else self.regular,
            fontSize=size,
            leading=leading or size * 1.25,
            textColor=colour,
        )

    def paragraph(self, text, style, x, top, width, max_height=None):
        """Draw `text` from `top` down, shortened word by word to fit `max_height`; return the height used."""
        words = text.split()
        if not words:
            return 0
        para, height = self._measure(" ".join(words), style, width)
        if max_height is not None and height > max_height:
            low, high = 0, len(words)
            while low < high:
                middle = (low + high + 1) // 2
                if self._measure(" ".join(words[:middle]) + ELLIPSIS, style, width)[1] <= max_height:
                    low = middle
                else:
                    high = middle - 1
            if low == 0:
                return 0
            para, height = self._measure(" ".join(words[:low]) + ELLIPSIS, style, width)
        para.drawOn(self.canvas, x, top - height)
        return height

    @staticmethod
    def _measure(text, style, width):
        para = Paragraph(escape(text), style)
        return para, para.wrap(width, 10_000)[1]

    def fitted_line(self, text, x, y, max_width, sizes, *, bold=True, colour=black):
        """One line of text at the largest of `sizes` that fits `max_width`."""
        font = self.bold if bold else self.regular
        for size in sizes:
            if self.canvas.stringWidth(text, font, size) <= max_width:
                break
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(colour)
        self.canvas.drawString(x, y, text)
        return size

    def render(self):
        case, c = self.case, self.canvas
        top = self.height - MARGIN

        band = 78
        c.setFillColor(RED)
        c.rect(MARGIN, top - band, self.content_width, band, stroke=0, fill=1)
        heading = _("MISSING")
        size = next(
            size for size in (64, 56, 48, 40) if c.stringWidth(heading, self.bold, size) <= self.content_width - 24
        )
        c.setFillColor(white)
        c.setFont(self.bold, size)
        c.drawCentredString(self.width / 2, top - band + (band - size * 0.72) / 2, heading)
        top -= band + 36

        size = self.fitted_line(case.full_name, MARGIN, top, self.content_width, (32, 28, 24, 20, 16, 12))
        top -= size * 0.5 + 14

        photo_width = self.content_width * 0.45
        photo_height = self.draw_photo(MARGIN, top, photo_width, 290)
        facts_x = MARGIN + photo_width + 18
        facts_height = self.draw_facts(facts_x, top, self.content_width - photo_width - 18)
        top -= max(photo_height, facts_height) + 16

        bottom_limit = MARGIN + 18 + BOTTOM_BLOCK + 12
        seen = _("Last seen %(date)s at %(place)s") % {
            "date": formats.date_format(case.last_seen_date, "DATE_FORMAT"),
            "place": case.last_seen_place,
        }
        top -= self.paragraph(seen, self.style(14, bold=True), MARGIN, top, self.content_width, 3 * 18) + 8
        if case.distinguishing_features:
            text = _("Distinguishing features: %(text)s") % {"text": case.distinguishing_features}
            used = self.paragraph(text, self.style(11), MARGIN, top, self.content_width, 3 * 14)
            top -= used + (6 if used else 0)
        self.paragraph(case.circumstances, self.style(11), MARGIN, top, self.content_width, top - bottom_limit)

        self.draw_contact(MARGIN + 18 + BOTTOM_BLOCK)
        made = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        c.setFont(self.regular, 9)
        c.setFillColor(SOFT)
        c.drawString(MARGIN, MARGIN, f"{settings.SITE_NAME} · {settings.SITE_URL}")
        c.drawRightString(self.width - MARGIN, MARGIN, _("Poster made on %(date)s") % {"date": made})
        c.showPage()
        c.save()
        return self.buffer.getvalue()

    def draw_photo(self, x, top, max_width, max_height):
        photo = self.case.primary_photo
        c = self.canvas
        if photo is None:
            c.setStrokeColor(SOFT)
            c.rect(x, top - max_height, max_width, max_height, stroke=1, fill=0)
            c.setFont(self.regular, 12)
            c.setFillColor(SOFT)
            c.drawCentredString(x + max_width / 2, top - max_height / 2, _("No photo available"))
            return max_height
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            scale = min(max_width / image.width, max_height / image.height)
            width, height = image.width * scale, image.height * scale
            c.drawImage(ImageReader(image), x, top - height, width, height)
        return height

    def draw_facts(self, x, top, width):
        case = self.case
        rows = [
            (_("Age when last seen"), str(case.age_at_disappearance)),
            (_("Age now (about)"), str(case.age_now)),
            (_("Sex"), case.get_sex_display()),
            (_("Height"), f"{case.height_cm} cm" if case.height_cm else ""),
            (_("Weight"), f"{case.weight_kg} kg" if case.weight_kg else ""),
            (_("Hair"), case.hair_colour),
            (_("Eyes"), case.eye_colour),
            (_("Also known as"), case.nickname),
        ]
        used = 0
        label_style, value_style = self.style(10, colour=SOFT), self.style(13, bold=True)
        for label, value in rows:
            if not value or (label == rows[1][0] and case.age_now == case.age_at_disappearance):
                continue
            used += self.paragraph(label, label_style, x, top - used, width)
            used += self.paragraph(value, value_style, x, top - used, width, 2 * 16) + 6
        return used

    def draw_contact(self, top):
        case, c = self.case, self.canvas
        qr_size = BOTTOM_BLOCK - 16
        text_width = self.content_width - qr_size - 16
        c.setStrokeColor(RED)
        c.setLineWidth(3)
        c.line(MARGIN, top + 6, self.width - MARGIN, top + 6)

        y = top - 24
        self.fitted_line(_("If you have information, call"), MARGIN, y, text_width, (14,), bold=False)
        y -= 36
        phone = case.agency_phone or _("your local police")
        self.fitted_line(phone, MARGIN, y, text_width, (34, 28, 24, 20), colour=RED)
        y -= 26
        if case.investigating_agency:
            self.fitted_line(case.investigating_agency, MARGIN, y, text_width, (18, 15, 12))
            y -= 24
        if case.police_file_number:
            file_number = _("File number: %(number)s") % {"number": case.police_file_number}
            self.fitted_line(file_number, MARGIN, y, text_width, (18, 15, 12))
            y -= 22
        self.fitted_line(_("In an emergency call 911."), MARGIN, y, text_width, (12,), bold=False)

        self.draw_qr(case_url(case), self.width - MARGIN - qr_size, top - qr_size - 4, qr_size)

    def draw_qr(self, url, x, y, size):
        qr = segno.make(url, error="m", micro=False)
        border = 4
        modules = len(qr.matrix) + 2 * border
        module = size / modules
        c = self.canvas
        c.setFillColor(white)
        c.rect(x, y, size, size, stroke=0, fill=1)
        c.setFillColor(black)
        for row_number, row in enumerate(qr.matrix):
            for column, dark in enumerate(row):
                if dark:
                    c.rect(
                        x + (column + border) * module,
                        y + size - (row_number + border + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )
        c.setFont(self.regular, 8)
        c.setFillColor(SOFT)
        c.drawCentredString(x + size / 2, y - 9, _("Scan to open this case online"))


def render(case, paper=DEFAULT_PAPER):
    return _Poster(case, paper).render()
