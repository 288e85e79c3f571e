"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), never a download."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
            " or run `make test`, which installs it when run as root."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page_collecting_errors(browser, **options):
    context = browser.new_context(locale="en-GB", **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    return context, page


@pytest.fixture
def page(browser):
    # The site's Content-Security-Policy would refuse the inline axe-core script some tests add;
    # the policy itself is tested with csp_page.
    context, page = _page_collecting_errors(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def csp_page(browser):
    """A page that enforces the site's Content-Security-Policy, as a visitor's browser does."""
    context, page = _page_collecting_errors(browser)
    yield page
    context.close()
