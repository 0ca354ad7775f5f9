"""The poster: one page whatever the case, the facts and police contact as text, a QR code that opens the case."""

import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from appeals import poster
from listings.models import Case
from tests.tools import require_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_tools():
    for tool, package in [("pdfinfo", "poppler-utils"), ("pdftotext", "poppler-utils"), ("zbarimg", "zbar-tools")]:
        require_tool(shutil.which(tool), f"{tool} not found: apt-get install {package}")


def poster_url(case, **query):
    url = reverse("appeals:poster", kwargs={"slug": case.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def fetch_pdf(client, case, tmp_path, **query):
    response = client.get(poster_url(case, **query))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"poster-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def run(tool, *args, check=True):
    """A poppler or zbar tool on a file this test wrote."""
    command = [shutil.which(tool), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=check).stdout  # noqa: S603


def pdf_info(path):
    return dict(line.split(":", 1) for line in run("pdfinfo", path).splitlines() if ":" in line)


def pdf_text(path):
    return " ".join(run("pdftotext", "-layout", path, "-").split())


def qr_codes(path, tmp_path):
    run("pdftoppm", "-r", "150", "-png", path, tmp_path / "page")
    (page,) = tmp_path.glob("page*.png")
    return run("zbarimg", "--quiet", "--raw", page, check=False).split()


def test_poster_is_one_us_letter_page_with_the_facts_and_police_contact(client, appeal, tmp_path, pdf_tools):
    path = fetch_pdf(client, appeal, tmp_path)

    info = pdf_info(path)
    assert info["Pages"].strip() == "1"
    assert "612 x 792 pts (letter)" in info["Page size"]
    text = pdf_text(path)
    for expected in [
        "MISSING",
        "Marion Brookfield",
        "Age when last seen 17",
        "Female",
        "165 cm",
        "60 kg",
        "Black",
        "Brown",
        "Small anchor tattoo on the right forearm.",
        "Harbour Drive, St. John's",
        "Left the ferry terminal on foot.",
        "709-729-8000",
        "Royal Newfoundland Constabulary",
        "File number: RNC-2026-04417",
        "LostInNL",
        "Poster made on",
    ]:
        assert expected in text, expected


def test_a4_on_request(client, appeal, tmp_path, pdf_tools):
    info = pdf_info(fetch_pdf(client, appeal, tmp_path, paper="a4"))

    assert info["Pages"].strip() == "1"
    assert "(A4)" in info["Page size"]


def test_unknown_paper_is_404(client, appeal):
    assert client.get(poster_url(appeal, paper="tabloid")).status_code == 404


def test_qr_code_opens_the_case_page_from_site_url(client, appeal, tmp_path, pdf_tools):
    (code,) = qr_codes(fetch_pdf(client, appeal, tmp_path), tmp_path)

    assert code == f"https://lostinnl.example{appeal.get_absolute_url()}"
    assert client.get(code.removeprefix("https://lostinnl.example")).status_code == 200


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_longest_texts_are_shortened_to_stay_on_one_page(client, appeal, tmp_path, pdf_tools, paper):
    appeal.circumstances = ("She was seen walking towards the narrows with a red backpack. " * 90)[:5000]
    appeal.distinguishing_features = ("Freckles on both cheeks and a chipped front tooth. " * 45)[:2000]
    appeal.nickname = "Mare"
    appeal.last_seen_place = "Corner of " + "Very Long Street Name " * 7
    appeal.save()

    path = fetch_pdf(client, appeal, tmp_path, paper=paper)

    assert pdf_info(path)["Pages"].strip() == "1"
    text = pdf_text(path)
    assert "She was seen walking" in text
    assert text.count("…") >= 2
    assert "709-729-8000" in text and "RNC-2026-04417" in text
    assert qr_codes(path, tmp_path) == [f"https://lostinnl.example{appeal.get_absolute_url()}"]


def test_unchanged_case_is_rendered_once_per_paper(client, appeal, monkeypatch):
    renders = []
    real_render = poster.render
    monkeypatch.setattr(poster, "render", lambda case, paper: renders.append(paper) or real_render(case, paper))

    first = b"".join(client.get(poster_url(appeal)).streaming_content)
    second = b"".join(client.get(poster_url(appeal)).streaming_content)
    client.get(poster_url(appeal, paper="a4"))

    assert first == second
    assert renders == ["letter", "a4"]


def test_changed_case_gets_a_new_poster(client, appeal, tmp_path, pdf_tools):
    fetch_pdf(client, appeal, tmp_path)
    Case.objects.filter(pk=appeal.pk).update(agency_phone="709-555-0142")

    assert "709-555-0142" in pdf_text(fetch_pdf(client, appeal, tmp_path))


@pytest.mark.parametrize("state", ["pending", "rejected", "found", "withdrawn"])
def test_no_poster_for_a_case_that_is_not_an_open_appeal(client, cases_not_appealing, state):
    case = cases_not_appealing[state]

    response = client.get(poster_url(case))
    never = client.get(reverse("appeals:poster", kwargs={"slug": "nobody-000000"}))

    assert response.status_code == never.status_code == 404
    assert response.content.replace(case.slug.encode(), b"?") == never.content.replace(b"nobody-000000", b"?")


def test_french_poster_is_in_french_with_the_french_address(client, appeal, tmp_path, pdf_tools):
    response = client.get(f"/fr{poster_url(appeal)}")
    path = tmp_path / "fr.pdf"
    path.write_bytes(b"".join(response.streaming_content))

    text = pdf_text(path)
    assert "PERSONNE DISPARUE" in text
    assert "Numéro de dossier : RNC-2026-04417" in text
    with translation.override("fr"):
        french_url = appeal.get_absolute_url()
    assert french_url.startswith("/fr/")
    assert qr_codes(path, tmp_path) == [f"https://lostinnl.example{french_url}"]
