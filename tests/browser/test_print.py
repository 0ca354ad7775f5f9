"""The case page printed from Chromium fits one sheet, Letter or A4, however long the case's texts."""

import shutil
import subprocess

import pytest

from listings.models import Case
from tests.tools import require_tool

pytestmark = pytest.mark.browser


def pages_in(path):
    output = subprocess.run([shutil.which("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return int(next(line.split(":")[1] for line in output.splitlines() if line.startswith("Pages:")))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_case_page_is_one_sheet(new_tab, site, tmp_path, paper):
    require_tool(shutil.which("pdfinfo"), "pdfinfo not found: apt-get install poppler-utils")
    case = Case.objects.appealing().first()
    Case.objects.filter(pk=case.pk).update(
        circumstances="She was seen walking towards the narrows with a red backpack. " * 80,
        distinguishing_features="Freckles on both cheeks and a chipped front tooth. " * 38,
    )
    tab = new_tab("desktop")
    tab.visit(site(case.get_absolute_url()), audit=False)

    path = tmp_path / "printed.pdf"
    tab.page.pdf(path=str(path), format=paper, print_background=True)

    assert pages_in(path) == 1
