"""Every public form rejects bad input with a clear message, never a server error."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from listings.models import REQUIRED_FIELDS, Case, ContactMessage, Tip, TipState
from listings.tests.factories import uploaded_jpeg
from listings.tests.helpers import case_url, error_codes, submission_data, tip_url

pytestmark = pytest.mark.django_db


# Tips


def test_tip_is_stored_privately_and_thanked(client, published_case):
    response = client.post(
        tip_url(published_case),
        {"message": "  I saw her at the Dominion on Topsail Road.  ", "name": "", "email": "", "phone": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(published_case)
    tip = Tip.objects.get()
    assert (tip.case, tip.message, tip.state) == (
        published_case,
        "I saw her at the Dominion on Topsail Road.",
        TipState.NEW,
    )
    assert "Thank you" in [str(m) for m in get_messages(response.wsgi_request)][0]


def test_tip_success_message_is_shown_on_the_case_page(client, published_case):
    response = client.post(tip_url(published_case), {"message": "Seen near the ferry in Argentia."}, follow=True)

    assert response.status_code == 200
    assert "Your information was sent privately" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"message": ""}, "message", "required"),
        ({"message": "saw her"}, "message", "too_short"),
        ({"message": "I saw her at the mall.", "email": "not-an-email"}, "email", "invalid"),
        ({"message": "x" * 5001}, "message", "max_length"),
    ],
)
def test_bad_tip_re_renders_the_tip_page_with_errors(client, published_case, data, field, code):
    response = client.post(tip_url(published_case), data)

    assert response.status_code == 200
    assert code in error_codes(response.context["form"], field)
    html = response.content.decode()
    assert "Please check the form." in html and 'aria-invalid="true"' in html
    assert published_case.full_name in html  # still about the case
    assert not Tip.objects.exists()


def test_a_form_without_its_csrf_token_gets_the_sites_refusal_page(published_case, settings):
    client = Client(enforce_csrf_checks=True)

    response = client.post(tip_url(published_case), {"message": "I saw her."})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert f"· {settings.SITE_NAME}</title>" in html
    assert not Tip.objects.exists()


def test_tip_page_shows_the_form_with_a_csrf_token(client, published_case):
    response = client.get(tip_url(published_case))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html and 'name="message"' in html
    assert published_case.full_name in html and case_url(published_case) in html


def test_tip_about_unknown_case_is_404(client):
    url = reverse("listings:case_tip", kwargs={"slug": "nobody-000000"})

    assert client.post(url, {"message": "I saw this person yesterday."}).status_code == 404


# Contact


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (
            {"name": "", "email": "a@example.org", "subject": "Hi", "message": "Hello there"},
            "name",
            "required",
        ),
        ({"name": "Al", "email": "nope", "subject": "Hi", "message": "Hello there"}, "email", "invalid"),
        (
            {"name": "Al", "email": "a@example.org", "subject": "", "message": "Hello there"},
            "subject",
            "required",
        ),
        ({"name": "Al", "email": "a@example.org", "subject": "Hi", "message": ""}, "message", "required"),
    ],
)
def test_bad_contact_message_is_refused_with_a_clear_error(client, mailoutbox, data, field, code):
    response = client.post(reverse("listings:contact"), data)

    assert response.status_code == 200
    assert code in error_codes(response.context["form"], field)
    assert not ContactMessage.objects.exists()
    assert mailoutbox == []


# Submission


def test_submit_requires_login(client):
    response = client.get(reverse("listings:submit"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_submit_form_renders_multipart(member_client):
    html = member_client.get(reverse("listings:submit")).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'name="photos"' in html and "multiple" in html


def test_submit_without_anything_lists_every_required_field(member_client):
    response = member_client.post(reverse("listings:submit"), {})

    assert response.status_code == 200
    form = response.context["form"]
    for field in [*REQUIRED_FIELDS, "photos"]:
        assert "required" in error_codes(form, field), field
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"last_seen_date": (datetime.date.today() + datetime.timedelta(days=2)).isoformat()},
            "last_seen_date",
            "future_date",
        ),
        ({"last_seen_date": "31/02/2026"}, "last_seen_date", "invalid"),
        ({"region": "atlantis"}, "region", "invalid_choice"),
        ({"sex": "x"}, "sex", "invalid_choice"),
        ({"age_at_disappearance": "130"}, "age_at_disappearance", "max_value"),
        ({"age_at_disappearance": "-1"}, "age_at_disappearance", "min_value"),
        ({"height_cm": "900"}, "height_cm", "max_value"),
        ({"weight_kg": "heavy"}, "weight_kg", "invalid"),
    ],
)
def test_bad_submission_is_refused_with_a_clear_error(member_client, overrides, field, code):
    data = submission_data(**overrides, photos=[uploaded_jpeg()])

    response = member_client.post(reverse("listings:submit"), data)

    assert response.status_code == 200
    assert code in error_codes(response.context["form"], field)
    assert not Case.objects.exists()


def test_too_many_photos_are_refused(member_client, settings):
    settings.PHOTO_MAX_PER_CASE = 2
    data = submission_data(photos=[uploaded_jpeg(f"p{i}.jpg") for i in range(3)])

    response = member_client.post(reverse("listings:submit"), data)

    assert response.status_code == 200
    assert "too_many_photos" in error_codes(response.context["form"], "photos")
    assert not Case.objects.exists()


def test_submit_form_is_grouped_and_explains_the_file_number(member_client):
    html = member_client.get(reverse("listings:submit")).content.decode()

    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == ["The person", "Last seen", "Police contact", "Photos"]
    assert "Moderators use it to confirm the case with the police" in html


def test_last_seen_date_cannot_be_picked_in_the_future(member_client):
    html = member_client.get(reverse("listings:submit")).content.decode()

    assert re.search(rf'name="last_seen_date"[^>]*max="{timezone.localdate().isoformat()}"', html)


def test_sex_has_no_answer_chosen_until_the_member_chooses(member_client):
    html = member_client.get(reverse("listings:submit")).content.decode()

    assert '<option value="" selected>' in html
    response = member_client.post(reverse("listings:submit"), submission_data(sex="", photos=[uploaded_jpeg()]))
    assert "required" in error_codes(response.context["form"], "sex")
