"""`make screenshots`: full-page PNGs of every public page, desktop and phone, in screenshots/ (git-ignored).

Run through pytest for its live server and demo data; it is not collected by the normal suite
(its name does not start with test_). SCREENSHOTS_DIR overrides the folder.
"""

import os
from pathlib import Path

import pytest

from listings.models import Case

from .conftest import MEMBER, REPO, VIEWPORTS
from .test_pages import log_in

pytestmark = pytest.mark.browser

PUBLIC = [
    ("home", "/"),
    ("listings", "/listings/"),
    ("listings-search", "/listings/?q=cove"),
    ("resources", "/resources/"),
    ("contact", "/contact/"),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password_reset/"),
]


def test_screenshots(browser, site):
    folder = Path(os.environ.get("SCREENSHOTS_DIR", REPO / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    missing = Case.objects.published().filter(case_status="missing").order_by("-updated_at").first()
    found = Case.objects.published().filter(case_status="found").first()
    pages = [*PUBLIC, ("case", missing.get_absolute_url()), ("case-found", found.get_absolute_url())]
    written = []
    for device, options in VIEWPORTS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        for name, path in pages:
            page.goto(site(path), wait_until="networkidle")
            # Lazy images load as the page scrolls; a full-page picture wants them all.
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.evaluate("() => window.scrollTo(0, 0)")
            target = folder / f"{name}-{device}.png"
            page.screenshot(path=target, full_page=True)
            written.append(target)
        log_in(type("T", (), {"page": page})(), site, *MEMBER)
        for name, path in [("submit", "/submit/"), ("submissions", "/accounts/submissions/")]:
            page.goto(site(path), wait_until="networkidle")
            target = folder / f"{name}-{device}.png"
            page.screenshot(path=target, full_page=True)
            written.append(target)
        context.close()
    print(f"\nWrote {len(written)} screenshots to {folder}")
