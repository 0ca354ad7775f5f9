"""English at /…, French at /fr/…: the page's language, the switch, the hreflang alternates and the sitemap."""

import datetime
import html
import re
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import StaffFactory, UserFactory
from listings import moderation, notifications
from listings.tests.factories import CaseFactory, ContactMessageFactory, ResourceCategoryFactory, ResourceFactory

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
    for name in ("home", "listings:case_list", "listings:resources", "listings:contact", "pages:about", "login"):
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


# --- French pages are French ---------------------------------------------------------------------------------

FRENCH_CATALOGUE = polib.pofile(str(Path(__file__).resolve().parents[1] / "locale/fr/LC_MESSAGES/django.po"))
# English sentences that have a different French translation: none of them may be left on a French page.
ENGLISH_SENTENCES = sorted(
    {
        entry.msgid
        for entry in FRENCH_CATALOGUE
        if not entry.msgid_plural and " " in entry.msgid and "%" not in entry.msgid and entry.msgstr != entry.msgid
    }
)


def visible_text(response):
    """The page's text and attributes people read, without tags, as the catalogue holds it."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'(?:alt|title|aria-label|placeholder|content)="([^"]*)"', page))
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()) + " " + attributes)


@pytest.fixture
def french_pages(client, case):
    with translation.override("fr"):
        paths = [
            reverse("home"),
            reverse("listings:case_list"),
            case.get_absolute_url(),
            reverse("listings:case_tip", kwargs={"slug": case.slug}),
            reverse("listings:resources"),
            reverse("listings:contact"),
            reverse("pages:about"),
            reverse("pages:privacy"),
            reverse("login"),
            reverse("accounts:signup"),
            reverse("password_reset"),
            "/fr/no-such-page/",
        ]
    ResourceFactory()
    return paths


def test_french_pages_have_no_english_left(client, french_pages):
    for path in french_pages:
        response = client.get(path)
        assert html_lang(response) == "fr-CA", path
        text = visible_text(response)
        left = [sentence for sentence in ENGLISH_SENTENCES if sentence in text]
        assert not left, f"English on {path}: {left}"


def test_french_form_errors_are_french(client, case):
    with translation.override("fr"):
        url = reverse("listings:case_tip", kwargs={"slug": case.slug})

    response = client.post(url, {"message": "court"})

    assert response.status_code == 200
    assert "Veuillez nous en dire un peu plus (au moins 10 caractères)." in response.text
    assert "Veuillez vérifier le formulaire." in response.text


def test_dates_numbers_and_plurals_follow_the_language(client):
    CaseFactory(published=True, last_seen_date=datetime.date(2026, 2, 14))
    CaseFactory(published=True)

    english, french = client.get("/listings/"), client.get("/fr/listings/")

    assert "2 cases found" in visible_text(english) and "14 February 2026" in english.text
    assert "2 avis trouvés" in visible_text(french) and "14 février 2026" in french.text


# --- Staff-edited content ------------------------------------------------------------------------------------


def test_resources_read_in_french_and_fall_back_to_english(client):
    category = ResourceCategoryFactory(name_en="Police services", name_fr="Services de police")
    ResourceFactory(category=category, title_en="Victim Services", title_fr="Services aux victimes")
    ResourceFactory(category=category, title_en="Crisis Line", title_fr="", description_en="Call any time.")

    french = client.get("/fr/resources/").text
    english = client.get("/resources/").text

    assert "Services de police" in french and "Services aux victimes" in french
    assert "Crisis Line" in french and "Call any time." in french  # no French yet: English instead
    assert "Police services" in english and "Victim Services" in english and "Services aux" not in english


def test_the_admin_edits_resources_in_both_languages_side_by_side(admin_client):
    response = admin_client.get("/fr/admin/listings/resource/add/")

    assert response.status_code == 200
    for name in ("title_en", "title_fr", "description_en", "description_fr"):
        assert f'name="{name}"' in response.text


# --- E-mails in their reader's language ----------------------------------------------------------------------


def test_sign_up_keeps_the_language_of_the_page_and_the_member_can_change_it(client):
    with translation.override("fr"):
        signup, language = reverse("accounts:signup"), reverse("accounts:language")
    client.post(
        signup,
        {
            "username": "marie",
            "email": "marie@example.org",
            "language": "fr",
            "password1": "quiet-fjord-77-tern",
            "password2": "quiet-fjord-77-tern",
        },
    )
    member = get_user_model().objects.get(username="marie")
    assert member.language == "fr"

    client.force_login(member)  # signing up no longer logs in: the address is confirmed first
    assert re.search(r'value="fr"[^>]*checked', client.get(language).text)
    client.post(language, {"language": "en"})

    member.refresh_from_db()
    assert member.language == "en"


def test_sign_up_form_offers_the_page_language_first(client):
    assert 'value="fr" selected' in client.get("/fr/accounts/signup/").text
    assert 'value="en" selected' in client.get("/accounts/signup/").text


def test_review_e_mail_is_in_the_members_language_with_links_to_their_pages(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://lostinnl.example"
    member = UserFactory(language="fr")
    case = CaseFactory(submitted_by=member, first_name="Ada", last_name="Exemple")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(case, by=StaffFactory())

    (message,) = mail.outbox
    assert message.subject.startswith("Votre avis concernant Ada Exemple est maintenant publié")
    assert "Une personne modératrice a vérifié et publié" in message.body
    assert f"https://lostinnl.example/fr{case.get_absolute_url()}" in message.body


def test_staff_notices_are_in_each_managers_language(django_capture_on_commit_callbacks, settings):
    settings.MANAGERS = [("A", "anne@example.org"), ("B", "bob@example.org"), ("C", "desk@example.org")]
    StaffFactory(email="anne@example.org", language="fr")
    StaffFactory(email="bob@example.org", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.contact_received(ContactMessageFactory(subject="Correction"))

    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipients) == {("anne@example.org",), ("bob@example.org", "desk@example.org")}
    assert "Formulaire de contact" in by_recipients[("anne@example.org",)].subject
    assert "Contact form" in by_recipients[("bob@example.org", "desk@example.org")].subject


def test_the_admin_offers_the_same_page_in_the_other_language(admin_client):
    english = admin_client.get("/admin/listings/resource/")

    assert 'href="/fr/admin/listings/resource/" lang="fr-CA"' in english.text
    assert 'href="/admin/listings/resource/" lang="en-CA"' in admin_client.get("/fr/admin/listings/resource/").text
