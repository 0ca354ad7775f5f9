"""Issue 13's journeys in a real browser: a submission that keeps its photos, a moderator's desk and a tip's chain."""

import datetime

import pytest

from listings.models import Case, Tip, TipState
from listings.tests.factories import jpeg_bytes

from .conftest import MEMBER, MODERATOR

pytestmark = pytest.mark.browser


def log_in(page, site, credentials, path):
    page.goto(site(path))
    page.locator("main [name=username], #content [name=username]").first.fill(credentials[0])
    page.locator("main [name=password], #content [name=password]").first.fill(credentials[1])
    page.locator("main button[type=submit], #content input[type=submit]").first.click()


def no_sideways_scroll(page):
    """Neither the page nor the admin's results table (which scrolls inside its own box) is wider than the window."""
    return page.evaluate(
        """() => {
            const results = document.querySelector(".results");
            const fits = !results || results.scrollWidth <= results.clientWidth;
            return fits && document.documentElement.scrollWidth <= window.innerWidth;
        }"""
    )


def test_a_form_error_keeps_the_photos_attached(new_tab, site):
    tab = new_tab()
    page = tab.page
    page.goto(site("/submit/"))
    assert "Log in or sign up to submit a case." in page.content()
    log_in(page, site, MEMBER, "/accounts/login/?next=/submit/")
    page.wait_for_url(site("/submit/"))
    tab.audit()
    assert page.locator("[name=sex]").input_value() == ""
    page.locator("[name=first_name]").fill("Ottilie")
    page.locator("[name=last_name]").fill("Harbourglass")
    page.locator("[name=age_at_disappearance]").fill("28")
    page.locator("[name=sex]").select_option("female")
    # A date the browser would refuse (max is today): sent anyway, as an old browser would.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    page.locator("[name=last_seen_date]").fill(tomorrow)
    page.locator("[name=last_seen_place]").fill("Signal Hill, St. John's")
    page.locator("[name=region]").select_option("avalon")
    page.locator("[name=circumstances]").fill("Left home for a walk and did not come back.")
    page.locator("[name=photos]").set_input_files(
        [
            {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(300, 400))},
            {"name": "side.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(400, 300))},
        ]
    )
    page.locator("form.form").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_selector(".form-errors")
    tab.audit()

    kept = page.locator("[name=staged]:checked")
    assert kept.count() == 2
    assert page.locator(".staged-photo img").evaluate_all("imgs => imgs.every(img => img.naturalWidth > 0)")
    page.locator("[name=last_seen_date]").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url(site("/accounts/submissions/"))

    case = Case.objects.get(last_name="Harbourglass")
    assert case.photos.count() == 2


def test_a_moderator_works_from_the_desk_and_forwards_a_tip(new_tab, site):
    case = Case.objects.published().first()
    tip = Tip.objects.create(case=case, message="I saw her by the harbour on Tuesday morning.")
    tab = new_tab()
    page = tab.page
    log_in(page, site, MODERATOR, "/admin/login/?next=/admin/")
    page.wait_for_url(site("/admin/"))

    desk = page.locator(".lostinnl-desk")
    assert desk.get_by_role("link", name="Tips not yet forwarded or closed").is_visible()
    for model in ("case", "photo", "tip", "contactmessage", "auditentry"):
        page.goto(site(f"/admin/listings/{model}/"))
        assert no_sideways_scroll(page), f"the {model} list scrolls sideways at 1280 px"

    page.goto(site(f"/admin/listings/tip/{tip.pk}/change/"))
    page.locator("[name=move]").select_option("forward_tip")
    page.locator("[name=agency]").fill("RNC Major Crime")
    page.locator("[name=note]").fill("Phoned the file officer.")
    page.locator("input[name=_save]").click()
    page.wait_for_selector(".messagelist")

    tip.refresh_from_db()
    assert (tip.state, tip.forwarded_to_agency) == (TipState.FORWARDED, "RNC Major Crime")
    assert tip.read_by.username == MODERATOR[0]
