"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server of the site.

Every page a test opens through `Tab.visit` (or checks with `Tab.audit`) is also
checked for accessibility (axe-core, no serious or critical violation), for
horizontal scrolling at the phone width, and, when the tab closes, for requests
to another origin and console errors (a CSP violation is one: the policy stays
enforced here). Without Chromium, or without the npm tools, the tests skip with
one line naming what to install.
"""

import io
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.tools import require_tool

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on the loopback address only.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

NO_CHROMIUM = "Chromium not installed: apt-get install chromium"
NO_AXE = "axe-core not installed: run `npm ci` in the repository (make test does it when npm is present)"
NO_VNU_JAR = "vnu-jar not installed: run `npm ci` in the repository (make test does it when npm is present)"
NO_JAVA = "Java not installed (the Nu Html Checker needs it): apt-get install default-jre-headless"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}

# Demo accounts get known passwords here (seed_demo generates random ones).
MODERATOR = ("moderator", "moderator-pass-4821")
MEMBER = ("demo-member", "member-pass-4821")


TOOL_SKIPS = (NO_CHROMIUM, NO_AXE, NO_VNU_JAR, NO_JAVA)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A missing tool skips every test that needs it: report that as one line, not one per test."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2].removeprefix("Skipped: ")
        if reason in TOOL_SKIPS:
            report.longrepr = (str(Path(__file__).relative_to(REPO)), 0, reason)


@pytest.fixture(scope="session")
def browser():
    # Skipping here, in one place, makes every browser test report the same single line.
    require_tool(CHROMIUM.exists(), NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source():
    require_tool(AXE_JS.exists(), NO_AXE)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar():
    require_tool(shutil.which("java"), NO_JAVA)
    require_tool(VNU_JAR.exists(), NO_VNU_JAR)
    return VNU_JAR


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # The e-mail outbox stays in memory.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Site:
    url: str

    def __call__(self, path=""):
        return self.url + path


@pytest.fixture
def site(live_server, transactional_db, _browser_settings):
    """The live server with the demo data (seed_demo) and known demo passwords."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    for username, password in (MODERATOR, MEMBER):
        user = User.objects.get(username=username)
        user.set_password(password)
        user.save()
    return Site(url=live_server.url)


@dataclass
class Tab:
    """One browser context and page, with what it requested and logged."""

    page: object
    origin: str
    axe_source: str
    device: str
    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    audited: list = field(default_factory=list)
    expected_errors: set = field(default_factory=set)

    @property
    def is_phone(self):
        return self.device == "phone"

    def visit(self, url, *, audit=True, status=200):
        """Open `url`, expect its status, and audit the page."""
        if status >= 400:
            # The browser logs every error response; this one is what the test asked for.
            self.expected_errors.add(url)
        response = self.page.goto(url)
        assert response.status == status, f"{url} answered {response.status}"
        if audit:
            self.audit()
        return response

    def audit(self, *, axe=True):
        """axe-core and the phone-width checks on the page as it is now."""
        self.page.wait_for_load_state("load")
        if self.is_phone:
            assert_no_horizontal_scroll(self.page)
        if axe:
            assert_accessible(self.page, self.axe_source)
        self.audited.append(self.page.url)

    def foreign_requests(self):
        return [url for url in self.requests if not same_origin(url, self.origin)]


def same_origin(url, origin):
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


def open_tab(browser, *, origin, axe_source, device="desktop", **context_options):
    context = browser.new_context(**VIEWPORTS[device], **context_options)
    page = context.new_page()
    tab = Tab(page=page, origin=origin, axe_source=axe_source, device=device)
    page.on("request", lambda request: tab.requests.append(request.url))

    def on_console(message):
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and (
            source in tab.expected_errors or urlsplit(source).path == "/favicon.ico"
        ):
            # Asked for, or the icon a browser looks for beside a page without one (an image, the admin).
            return
        tab.console_errors.append(f"{message.text} ({source or page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"{error} ({page.url})"))
    page.set_default_timeout(10_000)
    return context, tab


@pytest.fixture
def new_tab(browser, site, axe_source):
    """Opens tabs (each its own browser context: own cookies); checks each one when the test ends."""
    opened = []

    def make(device="desktop", **context_options):
        context, tab = open_tab(browser, origin=site.url, axe_source=axe_source, device=device, **context_options)
        opened.append((context, tab))
        return tab

    yield make
    problems = []
    for context, tab in opened:
        context.close()
        if tab.foreign_requests():
            problems.append(f"requests to another origin: {tab.foreign_requests()}")
        if tab.console_errors:
            problems.append(f"console errors: {tab.console_errors}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(params=list(VIEWPORTS))
def device(request):
    return request.param


@pytest.fixture
def tab(new_tab, device):
    return new_tab(device)


SERIOUS = {"serious", "critical"}


def run_axe(page, source):
    # Evaluated through the DevTools protocol, which the page's CSP does not apply to;
    # an injected <script> would be refused by the policy (no 'unsafe-inline').
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {source}\n }}")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )


def assert_accessible(page, source):
    serious = [v for v in run_axe(page, source) if v["impact"] in SERIOUS]
    assert not serious, f"axe-core on {page.url}:\n" + json.dumps(serious, indent=2)


def assert_no_horizontal_scroll(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"horizontal scrolling on {page.url}: {widths}"
