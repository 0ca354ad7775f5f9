"""Every public page and the member pages, at desktop and phone widths: accessible, no overflow,
usable navigation, large tap targets, nothing from another origin, and light first loads."""

import pytest

from listings.models import Case

from .conftest import MEMBER

pytestmark = pytest.mark.browser

PAGE_BUDGET_BYTES = 200_000
# WCAG 2.2 target size (minimum), 2.5.8: 24 by 24 CSS pixels for controls that are not inline text links.
MIN_TARGET = 24


def public_paths():
    published = Case.objects.published().filter(case_status="missing").first()
    found = Case.objects.published().filter(case_status="found").first()
    return [
        "/",
        "/listings/",
        "/listings/?q=zzzz-nobody",
        "/listings/?region=avalon&case_status=missing",
        published.get_absolute_url(),
        found.get_absolute_url(),
        "/resources/",
        "/contact/",
        "/about/",
        "/privacy/",
        "/alerts/",
        "/alerts/requested/",
        f"/alerts/follow/{published.slug}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
    ]


def member_paths():
    pending = Case.objects.pending().first()
    return [
        "/submit/",
        "/accounts/submissions/",
        "/accounts/password_change/",
        "/alerts/mine/",
        pending.get_absolute_url(),
    ]


def log_in(tab, site, username, password):
    tab.page.goto(site("/accounts/login/"))
    tab.page.get_by_label("Username").fill(username)
    tab.page.get_by_label("Password").fill(password)
    tab.page.locator("main").get_by_role("button", name="Log in").click()
    tab.page.wait_for_url(lambda url: "/accounts/login/" not in url)


def small_targets(page):
    """Visible buttons, form controls and navigation links smaller than MIN_TARGET in either direction."""
    return page.evaluate(
        """(min) => {
            const selector = "nav a, nav button, main button, main .button, main input:not([type=hidden]),"
                + " main select, main textarea, .pagination a";
            return [...document.querySelectorAll(selector)]
                .filter(el => !el.closest(".hp-field") && el.getClientRects().length)
                .map(el => ({el: el.outerHTML.slice(0, 80), box: el.getBoundingClientRect()}))
                .filter(t => t.box.width < min || t.box.height < min)
                .map(t => `${t.el} is ${Math.round(t.box.width)}x${Math.round(t.box.height)}`);
        }""",
        MIN_TARGET,
    )


def assert_navigation_usable(tab):
    """Every main navigation link is on screen (no hidden overflow) and big enough to tap."""
    page = tab.page
    width = page.viewport_size["width"]
    links = page.locator(".site-nav a, .site-nav button")
    assert links.count() >= 5
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), f"navigation entry {index} hidden at {width}px"
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{link.inner_text()} off screen"


def test_public_pages(new_tab, site, device):
    tab = new_tab(device)
    for path in public_paths():
        tab.visit(site(path))
        assert_navigation_usable(tab)
        assert not small_targets(tab.page), f"{path}: {small_targets(tab.page)}"
    # An unknown case is the site's own 404 page, with the navigation.
    tab.visit(site("/listings/no-such-case/"), status=404)
    assert_navigation_usable(tab)
    assert tab.page.locator("h1").inner_text()


def test_french_pages(new_tab, site):
    """The public pages again under /fr/ (at one width: the layout is the same, the words are longer)."""
    tab = new_tab("desktop")
    for path in public_paths():
        tab.visit(site(f"/fr{path}"))
        assert tab.page.locator("html").get_attribute("lang") == "fr-CA", path
        assert_navigation_usable(tab)
        assert not small_targets(tab.page), f"/fr{path}: {small_targets(tab.page)}"


def test_the_language_switch_keeps_the_visitor_on_the_same_page(new_tab, site, device):
    tab = new_tab(device)
    case = Case.objects.published().filter(case_status="missing").first()
    tab.visit(site(f"{case.get_absolute_url()}?from=share"))
    name = tab.page.locator("h1").inner_text()

    tab.page.get_by_role("link", name="Français").click()
    tab.page.wait_for_url(site(f"/fr{case.get_absolute_url()}?from=share"))
    assert tab.page.locator("html").get_attribute("lang") == "fr-CA"
    assert tab.page.locator("h1").inner_text() == name
    assert tab.page.get_by_role("heading", name="Transmettre des renseignements").is_visible()

    tab.page.get_by_role("link", name="English").click()
    tab.page.wait_for_url(site(f"{case.get_absolute_url()}?from=share"))
    assert tab.page.locator("html").get_attribute("lang") == "en-CA"
    tab.audit()


def test_member_pages(new_tab, site, device):
    tab = new_tab(device)
    log_in(tab, site, *MEMBER)
    for path in member_paths():
        tab.visit(site(path))
        assert_navigation_usable(tab)
        assert not small_targets(tab.page), f"{path}: {small_targets(tab.page)}"


def test_phone_navigation_reaches_every_section(new_tab, site):
    tab = new_tab("phone")
    tab.visit(site("/"))
    for name, heading in [("Cases", "Cases"), ("Resources", None), ("Contact", None), ("Home", None)]:
        tab.page.locator(".site-nav").get_by_role("link", name=name, exact=True).tap()
        tab.page.wait_for_load_state("load")
        assert (
            tab.page.locator(".site-nav").get_by_role("link", name=name, exact=True).get_attribute("aria-current")
            == "page"
        )
        if heading:
            assert tab.page.locator("h1").inner_text() == heading
        tab.audit(axe=False)


def page_weight(tab, url):
    """Bytes a fresh browser transfers for `url` and everything it loads, lazy images included."""
    sizes = []
    tab.page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes())))
    tab.page.goto(url, wait_until="networkidle")
    tab.page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    tab.page.wait_for_load_state("networkidle")
    tab.page.wait_for_timeout(300)
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] + s["requestHeadersSize"] for _, s in sizes)
    return total, sizes


@pytest.mark.parametrize("path", ["/", "/listings/"])
def test_first_load_is_light(new_tab, site, device, path):
    tab = new_tab(device)
    total, sizes = page_weight(tab, site(path))
    detail = "\n".join(f"{s['responseBodySize']:>8} {url}" for url, s in sizes)
    print(f"{device} {path}: {total} bytes in {len(sizes)} requests\n{detail}")
    assert total < PAGE_BUDGET_BYTES, f"{path} weighs {total} bytes:\n{detail}"
