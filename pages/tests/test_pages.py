"""The about and privacy pages: made by the migration, staff-edited, retention periods from the settings, linked."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from listings.tests.factories import CaseFactory
from pages.models import Page

pytestmark = pytest.mark.django_db


def test_about_and_privacy_exist_after_migrating(client):
    about = client.get(reverse("pages:about"))
    privacy = client.get(reverse("pages:privacy"))

    assert about.status_code == privacy.status_code == 200
    assert "How moderation works." in about.content.decode()
    assert "How long we keep it." in privacy.content.decode()


def test_privacy_page_states_the_retention_periods_in_force(client, settings):
    settings.REJECTED_RETENTION_DAYS = 61
    settings.FOUND_CASE_RETENTION_DAYS = 17
    settings.STAGED_PHOTO_HOURS = 36
    settings.EMAIL_LOG_RETENTION_DAYS = 45

    html = client.get(reverse("pages:privacy")).content.decode()

    assert "deleted 61 days after the decision" in html
    assert "withdrawn 17 days later" in html
    assert "after 36 hours" in html
    assert "kept 45 days" in html
    assert "{" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_staff_edits_show_and_unknown_braces_stay_as_written(client):
    page = Page.objects.get(slug="about")
    page.body_en = "We are volunteers.\n\nKeep {this} as typed; found pages go after {found_case_retention_days} days."
    page.save()

    html = client.get(reverse("pages:about")).content.decode()

    assert "<p>We are volunteers.</p>" in html
    assert "Keep {this} as typed; found pages go after 30 days." in html


def test_french_pages_are_in_french(client):
    html = client.get("/fr/privacy/").content.decode()

    assert "Combien de temps nous les gardons." in html


def test_seed_demo_restores_a_deleted_page_and_keeps_edits(client):
    Page.objects.filter(slug="privacy").delete()
    Page.objects.filter(slug="about").update(title_en="Who we are")

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))

    assert Page.objects.get(slug="about").title_en == "Who we are"
    assert client.get(reverse("pages:privacy")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [lambda: reverse("home"), lambda: reverse("accounts:signup"), lambda: tip_page()],
    ids=["footer", "signup", "tip"],
)
def test_pages_are_linked_from_footer_sign_up_and_tip_form(client, url):
    html = client.get(url()).content.decode()

    assert f'href="{reverse("pages:privacy")}"' in html
    assert f'href="{reverse("pages:about")}"' in html


def tip_page():
    return reverse("listings:case_tip", kwargs={"slug": CaseFactory(published=True).slug})


def test_staff_cannot_add_or_delete_pages(admin_client):
    page = Page.objects.get(slug="about")

    assert admin_client.get(reverse("admin:pages_page_add")).status_code == 403
    assert admin_client.post(reverse("admin:pages_page_delete", args=[page.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:pages_page_change", args=[page.pk])).status_code == 200
