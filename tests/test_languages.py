"""English at /…, French at /fr/…: the page's language, the switch, the hreflang alternates and the sitemap."""

import re

import pytest
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import translation

from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def alternates(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()))


@pytest.fixture
def case():
    return CaseFactory(published=True)


def test_english_is_at_the_root_and_french_under_fr(client):
    english, french = client.get("/"), client.get("/fr/")

    assert (english.status_code, html_lang(english)) == (200, "en-CA")
    assert (french.status_code, html_lang(french)) == (200, "fr-CA")
    assert "Skip to main content" in english.text
    assert "Passer au contenu principal" in french.text


def test_an_unprefixed_page_is_english_whatever_the_browser_prefers(client):
    response = client.get("/listings/", headers={"accept-language": "fr-CA,fr;q=0.9"})

    assert html_lang(response) == "en-CA"


def test_the_switch_leads_to_the_same_page_in_the_other_language(client, case):
    english_url = case.get_absolute_url()
    with translation.override("fr"):
        french_url = case.get_absolute_url()
    assert french_url == f"/fr{english_url}"

    english, french = client.get(f"{english_url}?from=share"), client.get(french_url)

    assert f'href="{french_url}?from=share" lang="fr-CA" hreflang="fr-CA">Français</a>' in english.text
    assert f'href="{english_url}" lang="en-CA" hreflang="en-CA">English</a>' in french.text


def test_every_public_page_names_its_alternates_with_absolute_addresses(client, case, settings):
    settings.SITE_URL = "https://lostinnl.example"
    for name in ("home", "listings:case_list", "listings:resources", "listings:contact", "login"):
        with translation.override("en"):
            english = reverse(name)
        with translation.override("fr"):
            french = reverse(name)
        response = client.get(english)
        assert alternates(response) == {
            "en-CA": f"https://lostinnl.example{english}",
            "fr-CA": f"https://lostinnl.example{french}",
            "x-default": f"https://lostinnl.example{english}",
        }, name


def test_a_missing_page_offers_no_alternates_and_switches_to_the_home_page(client):
    response = client.get("/fr/no-such-page/")

    assert response.status_code == 404
    assert alternates(response) == {}
    assert 'href="/" lang="en-CA"' in response.text


def test_the_sitemap_lists_each_page_in_both_languages_with_alternates(client, case):
    sitemap = client.get("/sitemap.xml").content.decode()

    for url in (case.get_absolute_url(), "/listings/"):
        assert f"<loc>http://testserver{url}</loc>" in sitemap
        assert f"<loc>http://testserver/fr{url}</loc>" in sitemap
        assert f'hreflang="fr" href="http://testserver/fr{url}"' in sitemap
        assert f'hreflang="x-default" href="http://testserver{url}"' in sitemap


def test_the_probe_has_no_language(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/fr/healthz").status_code == 404


def test_the_admin_speaks_french_under_fr(client):
    response = client.get(f"/fr/{reverse('admin:login').lstrip('/')}")

    assert response.status_code == 200
    assert html_lang(response).startswith("fr")
    assert "Mot de passe" in response.text


def test_the_outage_page_is_in_the_visitors_language(client, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError(2003, "Can't connect to MySQL server")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", database_down)

    response = client.get("/fr/listings/")

    assert response.status_code == 503
    assert html_lang(response) == "fr-CA"
    assert "brièvement indisponible" in response.text
