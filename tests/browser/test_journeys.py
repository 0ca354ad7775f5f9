"""The site as people use it, in a real browser, at desktop and phone widths (`device`).

Each public or member page a journey lands on is checked by `Tab.audit` (axe-core,
no horizontal scrolling on the phone); each tab is checked at the end for requests
to another origin and console errors, with the Content-Security-Policy enforced.
"""

import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from listings.images import process_photo
from listings.models import AuditEntry, Case, ContactMessage, Photo, Tip
from listings.submissions import submit_case
from listings.tests.factories import jpeg_bytes, uploaded_jpeg

from .conftest import MODERATOR

pytestmark = pytest.mark.browser


def nav(page):
    return page.locator(".site-nav")


def message_text(page):
    return page.locator(".messages").inner_text()


def wait_for_results(page, names):
    """Waits until the live results show exactly these cases (in any order)."""
    page.wait_for_function(
        """(names) => {
            const r = document.querySelector("[data-results]");
            if (!r || r.hasAttribute("aria-busy")) return false;
            const shown = [...r.querySelectorAll(".case-card__name")].map(e => e.textContent.trim()).sort();
            return JSON.stringify(shown) === JSON.stringify(names);
        }""",
        arg=sorted(names),
    )


def result_names(page):
    return page.locator("[data-results] .case-card__name").all_inner_texts()


def assert_field_error(page, name, text):
    """A server-side error is shown next to its field, and tied to it for screen readers."""
    field = page.locator(f"main [name={name}]")
    assert field.get_attribute("aria-invalid") == "true"
    group = page.locator("main .field", has=page.locator(f"[name={name}]"))
    assert text in group.locator(".errorlist").inner_text()
    error_id = group.locator(".errorlist").get_attribute("id")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert error_id in described, f"{name}: error {error_id} not in aria-describedby {described}"


def test_visitor_searches_filters_opens_a_case_and_sends_a_tip(tab, site):
    page = tab.page
    tab.visit(site("/"))
    nav(page).get_by_role("link", name="Cases", exact=True).click()
    page.wait_for_url(site("/listings/"))
    tab.audit()
    everyone = len(result_names(page))
    assert everyone == Case.objects.appealing().count() == 16

    # Results follow the typing, without a page load.
    page.get_by_label("Name or place").press_sequentially("quillfeather", delay=30)
    wait_for_results(page, ["Maren Quillfeather"])
    assert "q=quillfeather" in page.url
    assert "1" in page.locator("#results-status").inner_text()

    # Narrowed by region and status instead.
    page.get_by_label("Name or place").fill("")
    page.get_by_label("Region").select_option("avalon")
    page.get_by_label("Status").select_option("found")
    wait_for_results(page, ["Elsie Capelinberry"])
    page.get_by_label("Status").select_option("missing")
    wait_for_results(page, ["Maren Quillfeather", "Rory Tidewhistle", "Tobias Fogbottom"])
    assert "region=avalon" in page.url and "case_status=missing" in page.url
    tab.audit()

    page.get_by_role("link", name="Tobias Fogbottom").click()
    page.wait_for_url(re.compile(r"/listings/[\w-]+/$"))
    tab.audit()
    assert page.locator("h1").inner_text() == "Tobias Fogbottom"
    image = page.locator(".case__photo img").first
    assert "Tobias Fogbottom" in image.get_attribute("alt")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())

    # The tip form has its own page (the case page is the same for everyone, from the cache).
    page.get_by_role("link", name="Send information").click()
    page.wait_for_url(re.compile(r"/listings/[\w-]+/tip/$"))
    tab.audit()
    # Too short: the error is announced next to the field, and nothing is stored.
    page.get_by_label("What do you know?").fill("saw him")
    page.get_by_role("button", name="Send information").click()
    page.wait_for_load_state("load")
    tab.audit()
    assert_field_error(page, "message", "at least 10 characters")
    assert Tip.objects.count() == 0

    page.get_by_label("What do you know?").fill("I saw him at the Avalon Mall bus stop on Tuesday around 5 pm.")
    page.get_by_label("Your name (optional)").fill("Pat Visitor")
    page.get_by_role("button", name="Send information").click()
    page.wait_for_selector(".messages")
    tab.audit()
    assert "Your information was sent privately" in message_text(page)
    tip = Tip.objects.get()
    assert tip.case.last_name == "Fogbottom" and tip.name == "Pat Visitor"
    # The tip is private: nothing of it is on the page.
    assert "Avalon Mall" not in page.content()


def submission(page, first_name, last_name):
    page.locator("[name=first_name]").fill(first_name)
    page.locator("[name=last_name]").fill(last_name)
    page.locator("[name=age_at_disappearance]").fill("28")
    page.locator("[name=sex]").select_option("female")
    page.locator("[name=last_seen_date]").fill("2026-10-01")
    page.locator("[name=last_seen_place]").fill("Signal Hill, St. John's")
    page.locator("[name=region]").select_option("avalon")
    page.locator("[name=circumstances]").fill("Left home for a walk and did not come back.")
    page.locator("[name=photos]").set_input_files(
        [
            {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(300, 400))},
            {"name": "side.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(400, 300))},
        ]
    )


def test_newcomer_signs_up_and_submits_a_case_nobody_else_sees(new_tab, site, device):
    tab = new_tab(device)
    page = tab.page
    tab.visit(site("/"))
    nav(page).get_by_role("link", name="Sign up").click()
    page.wait_for_url(site("/accounts/signup/"))
    tab.audit()
    page.locator("main [name=username]").fill("newcomer")
    page.locator("main [name=email]").fill("newcomer@example.org")
    page.locator("main [name=password1]").fill("a long pass phrase 93")
    page.locator("main [name=password2]").fill("a long pass phrase 93")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(site("/accounts/signup/sent/"))
    tab.audit()
    assert "Check your e-mail" in page.locator("h1").inner_text()

    # The link in the e-mail confirms the address, then the newcomer logs in and may submit.
    link_path = re.search(r"https?://[^/\s]+(/\S*accounts/verify/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(site(link_path))
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill("a long pass phrase 93")
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(site("/submit/"))
    tab.audit()
    assert nav(page).get_by_role("button", name="Log out").is_visible()
    submission(page, "Ottilie", "Harbourglass")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url(site("/accounts/submissions/"))
    tab.audit()
    assert "Ottilie Harbourglass was sent for review" in message_text(page)
    card = page.locator(".submission", has_text="Ottilie Harbourglass")
    assert "Pending review" in card.locator(".badge--pending").text_content()

    case = Case.objects.get(last_name="Harbourglass")
    assert case.review_state == "pending" and case.submitted_by.username == "newcomer"
    assert case.photos.count() == 2

    # Its submitter sees it, with the banner...
    card.get_by_role("link", name="Ottilie Harbourglass", exact=True).click()
    page.wait_for_url(site(case.get_absolute_url()))
    tab.audit()
    assert "Pending review" in page.locator(".banner--review").inner_text()
    assert page.locator(".case__photo img").count() == 2

    # ...a visitor does not: not in the search, not at its address, not its photos.
    visitor = new_tab(device)
    visitor.visit(site("/listings/?q=Harbourglass"))
    assert result_names(visitor.page) == []
    visitor.visit(site(case.get_absolute_url()), status=404)
    for photo in case.photos.all():
        visitor.visit(site(photo.get_absolute_url()), status=404, audit=False)


@pytest.fixture
def pending_case(site):
    member = UserFactory(username="family-member")
    return submit_case(
        by=member,
        fields={
            "first_name": "Ottilie",
            "last_name": "Harbourglass",
            "age_at_disappearance": 28,
            "sex": "female",
            "last_seen_date": "2026-10-01",
            "last_seen_place": "Signal Hill, St. John's",
            "region": "avalon",
            "circumstances": "Left home for a walk and did not come back.",
        },
        photos=[(process_photo(uploaded_jpeg(f"p{i}.jpg", size=(300, 400))), "") for i in range(2)],
    )


def admin_log_in(page, site):
    page.goto(site("/admin/"))
    page.locator("[name=username]").fill(MODERATOR[0])
    page.locator("[name=password]").fill(MODERATOR[1])
    page.locator("input[type=submit], button[type=submit]").click()
    page.wait_for_url(site("/admin/"))


def confirm_with_note(page, verb, note):
    page.locator("[name=note]").fill(note)
    page.get_by_role("button", name=f"Yes, {verb}").click()
    page.wait_for_selector(".messagelist")


def test_moderator_publishes_from_the_queue_then_marks_found(new_tab, site, device, pending_case):
    case = pending_case
    visitor = new_tab(device)
    visitor.visit(site(case.get_absolute_url()), status=404)

    admin = new_tab(device)
    page = admin.page
    admin_log_in(page, site)
    page.goto(site("/admin/listings/case/"))
    summary = page.locator("#moderation-summary")
    assert "3 pending cases" in summary.inner_text()  # two from the demo data, and this one
    summary.get_by_role("link", name="3 pending cases").click()
    row = page.locator("#result_list tbody tr", has_text="Ottilie Harbourglass")
    row.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    assert "Ottilie Harbourglass" in page.locator("#content").inner_text()
    confirm_with_note(page, "published", "Confirmed with the RNC file officer")
    assert "Published: 1 case" in page.locator(".messagelist").inner_text()

    case.refresh_from_db()
    assert case.review_state == "published"
    assert Photo.objects.published().filter(case=case).count() == 2
    entry = AuditEntry.objects.filter(case=case, note="Confirmed with the RNC file officer").first()
    assert entry is not None and entry.actor.username == MODERATOR[0]

    # The audit trail in the admin shows it.
    page.goto(site(f"/admin/listings/case/{case.pk}/change/"))
    assert "Confirmed with the RNC file officer" in page.content()
    page.goto(site("/admin/listings/auditentry/"))
    assert "Confirmed with the RNC file officer" in page.locator("#result_list").inner_text()

    # Public now: in the listings, at its address, with both photos.
    visitor.visit(site("/listings/?q=Harbourglass"))
    assert result_names(visitor.page) == ["Ottilie Harbourglass"]
    visitor.page.get_by_role("link", name="Ottilie Harbourglass").click()
    visitor.page.wait_for_url(site(case.get_absolute_url()))
    visitor.audit()
    images = visitor.page.locator(".case__photo img")
    assert images.count() == 2
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        visitor.page.wait_for_function("(img) => img.complete", arg=images.nth(index).element_handle())
        assert visitor.page.evaluate("(img) => img.naturalWidth > 0", images.nth(index).element_handle())
    assert visitor.page.locator(".banner--review").count() == 0

    # Marked found from the case's own page in the admin.
    page.goto(site(f"/admin/listings/case/{case.pk}/change/"))
    page.get_by_role("link", name="Mark found").click()
    confirm_with_note(page, "marked found", "Found safe by the RNC")
    case.refresh_from_db()
    assert case.case_status == "found"
    assert AuditEntry.objects.filter(case=case, note="Found safe by the RNC").exists()

    visitor.visit(site(case.get_absolute_url()))
    assert "Ottilie has been found" in visitor.page.locator(".banner--found").inner_text()
    assert visitor.page.title().startswith("Found:")


def test_contact_form(tab, site):
    page = tab.page
    tab.visit(site("/contact/"))
    page.get_by_label("Name").fill("Sam Caller")
    page.get_by_label(re.compile("^e-?mail", re.IGNORECASE)).fill("sam@example.org")
    page.get_by_label("Subject").fill("A correction")
    page.get_by_label("Message").fill("The place on one case is spelt wrong.")
    page.get_by_role("button", name=re.compile("Send")).click()
    page.wait_for_selector(".messages")
    tab.audit()
    assert page.url == site("/contact/")
    assert "Your message was sent" in message_text(page)
    stored = ContactMessage.objects.get()
    assert stored.subject == "A correction"
    assert [m.subject for m in mail.outbox if "A correction" in m.subject]


def test_password_reset_through_the_outbox_then_log_out(tab, site):
    page = tab.page
    tab.visit(site("/accounts/login/"))
    page.get_by_role("link", name=re.compile("forgot|reset", re.IGNORECASE)).click()
    page.wait_for_url(site("/accounts/password_reset/"))
    tab.audit()
    page.locator("main [name=email]").fill("demo-member@example.org")
    page.get_by_role("button", name="Send me the link").click()
    page.wait_for_url(site("/accounts/password_reset/done/"))
    tab.audit()

    (message,) = mail.outbox
    assert message.to == ["demo-member@example.org"]
    link = re.search(r"http://\S+/accounts/reset/\S+/", message.body).group(0)
    tab.visit(link)
    page.locator("main [name=new_password1]").fill("brand new harbour 77")
    page.locator("main [name=new_password2]").fill("brand new harbour 77")
    page.get_by_role("button", name="Set my new password").click()
    page.wait_for_url(site("/accounts/reset/done/"))
    tab.audit()

    page.goto(site("/accounts/login/"))
    page.get_by_label("Username").fill("demo-member")
    page.get_by_label("Password").fill("brand new harbour 77")
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(site("/accounts/submissions/"))
    tab.audit()

    nav(page).get_by_role("button", name="Log out").click()
    page.wait_for_url(site("/"))
    tab.audit()
    assert nav(page).get_by_role("link", name="Log in").is_visible()
    tab.visit(site("/submit/"))
    assert "/accounts/login/" in page.url
