"""The fonts the share image and the poster draw with: Bitstream Vera, shipped inside ReportLab.

No system font package is needed, so a fresh machine renders exactly what CI renders.
"""

from functools import cache
from pathlib import Path

import reportlab
from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD = "Vera.ttf", "VeraBd.ttf"
PDF_REGULAR, PDF_BOLD = "Vera", "Vera-Bold"


@cache
def pillow_font(size, *, bold=False):
    return ImageFont.truetype(str(FONT_DIR / (BOLD if bold else REGULAR)), size)


@cache
def register_pdf_fonts():
    """Embed Vera in posters (a subset of it): accented names print the same on every printer."""
    pdfmetrics.registerFont(TTFont(PDF_REGULAR, str(FONT_DIR / REGULAR)))
    pdfmetrics.registerFont(TTFont(PDF_BOLD, str(FONT_DIR / BOLD)))
    return PDF_REGULAR, PDF_BOLD
