"""A real browser (Debian's Chromium, driven by Playwright) against the live test server.

Playwright's sync API keeps its asyncio loop registered as running in the main
thread from the moment it starts until it stops. Django then refuses database
access from the test thread (it thinks the test is async code), and
async_to_sync or asyncio.run in any later test would refuse to start. So the
browser tests run last, the browser lives for the session, and Django's
async-safety check is relaxed only while it lives.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: without the background-networking flags Chromium dials out
# at start-up, and this machine's closed network refuses those connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, and Chromium will not start its sandbox as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every page here is served from localhost: anything slower than this is a failure,
# and a failure should be reported quickly.
TIMEOUT_MS = 5_000

BROWSER_TESTS = Path(__file__).parent
SCREENSHOT = pytest.StashKey[tuple]()


# trylast: after pytest-django's own reordering, which would otherwise put the
# non-database tests behind these transactional ones.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Move the browser tests behind every other test (see the module docstring)."""
    browser_tests = [item for item in items if BROWSER_TESTS in item.path.parents]
    others = [item for item in items if BROWSER_TESTS not in item.path.parents]
    items[:] = others + browser_tests


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, save what the page showed and say where."""
    report = yield
    if report.when == "call" and report.failed and SCREENSHOT in item.stash:
        page, path = item.stash[SCREENSHOT]
        try:
            page.screenshot(path=path, full_page=True)
        except PlaywrightError as error:
            report.sections.append(("Screenshot", f"none: {error}"))
        else:
            report.sections.append(("Screenshot", str(path)))
    return report


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, shared by every browser test in this process."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}: install Debian's `chromium` package "
            "(apt-get install -y --no-install-recommends chromium).",
            pytrace=False,
        )
    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as environment, sync_playwright() as playwright:
        environment.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_page(browser, live_server, request, tmp_path, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    request.node.stash[SCREENSHOT] = (page, tmp_path / "failure.png")
    return context, page


@pytest.fixture
def page(browser, live_server, request, tmp_path, django_db_serialized_rollback):
    """A fresh browser tab on the live server, its cookies and storage its own.

    The live server needs a transactional database, emptied after each test;
    serialized rollback puts back what the migrations made (Wagtail's root page
    and site, the oversight staff group) before the next test.
    """
    context, page = _open_page(browser, live_server, request, tmp_path)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server, request, tmp_path, django_db_serialized_rollback):
    """A tab as a resident with JavaScript turned off sees the site."""
    context, page = _open_page(browser, live_server, request, tmp_path, java_script_enabled=False)
    yield page
    context.close()
