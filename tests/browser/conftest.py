"""Playwright fixtures: Debian's Chromium against pytest-django's live server.

The browser is started once for the tests of this package (`scope="package"`): the sync
Playwright API keeps an asyncio loop running while it is open, which would make every later
test that starts Playwright itself fail, so it is closed when the package is done.

When /usr/bin/chromium or axe-core is missing these tests are skipped with the reason (see
`pytest_runtest_setup` in tests/conftest.py); with REQUIRE_BROWSER_TESTS=1 that is a failure.
"""

import os

import pytest

# Django refuses database calls while an event loop runs in the thread; the sync Playwright
# API runs one, and the tests query the database between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .support import CHROMIUM, CHROMIUM_ARGS, browser_missing_reason


@pytest.fixture(scope="package")
def browser():
    reason = browser_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    # The scans inject axe-core as an inline script, which the site's policy forbids.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    return context.new_page()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-ins go through the real login page; a cheap hasher keeps each one quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
