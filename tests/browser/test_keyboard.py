"""With the keyboard alone: a skip link first, a visible focus on everything, and forms that can be sent."""

import pytest

from listings.models import ContactMessage, Tip

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), name: el.getAttribute("name"), text: (el.textContent || "").trim().slice(0, 40),
        href: el.getAttribute("href"), id: el.id,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== "none",
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
    };
}"""


def tab_to(page, predicate, *, limit=60):
    """Presses Tab until `predicate(focused)` holds; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        assert focused, "focus left the page"
        assert focused["visible"], f"focused element off screen: {focused}"
        assert focused["outline"] or focused["shadow"], f"no visible focus indicator: {focused}"
        if predicate(focused):
            return focused
    raise AssertionError("never reached the element with Tab")


def type_into(page, name, text):
    tab_to(page, lambda f: f["name"] == name)
    page.keyboard.type(text)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_skip_link_then_navigation_and_contact_form(new_tab, site, device):
    tab = new_tab(device)
    page = tab.page
    tab.visit(site("/"))
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["href"] == "#main" and first["visible"] and (first["outline"] or first["shadow"])
    assert first["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # From the top again, through the menu to the contact page.
    tab.visit(site("/"))
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Contact")
    page.keyboard.press("Enter")
    page.wait_for_url(site("/contact/"))
    type_into(page, "name", "Kim Keyboard")
    type_into(page, "email", "kim@example.org")
    type_into(page, "subject", "Keyboard only")
    type_into(page, "message", "Sent without touching a mouse.")
    # The honeypot is out of the tab order: the next stop is the button.
    button = tab_to(page, lambda f: f["tag"] == "button")
    assert button["text"] == "Send message" or "Send" in button["text"]
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")
    tab.audit()
    assert ContactMessage.objects.get().name == "Kim Keyboard"


def test_search_and_tip_with_the_keyboard(new_tab, site):
    tab = new_tab("desktop")
    page = tab.page
    tab.visit(site("/listings/"))
    type_into(page, "q", "Tidewhistle")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-results] .case-card').length === 1"
        " && !document.querySelector('[data-results]').hasAttribute('aria-busy')"
    )
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Rory Tidewhistle")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/listings/" in url and "?" not in url and url.count("/") > 4)
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Send information")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/tip/"))
    type_into(page, "message", "Seen near the Placentia ferry this morning.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Send information")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")
    tab.audit()
    assert Tip.objects.get().case.last_name == "Tidewhistle"
