"""The check-in desk on a phone-sized screen: one tap checks in without reloading, undo reverts."""

import os

import pytest
from django.urls import reverse

from forums.models import Registration
from tests.crm.factories import PersonFactory, make_staff

from .factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Chromium at /usr/bin/chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 800})
        yield context
        browser.close()


def test_one_tap_checks_in_and_undo_reverts(page, live_server, client):
    staff = make_staff("Events manager")
    event = EventFactory()
    ada = RegistrationFactory(
        event=event, person=PersonFactory(first_name="Ada", last_name="Byron")
    )
    client.force_login(staff)
    page.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = page.new_page()
    url = live_server.url + reverse("forums_staff:check_in", args=[event.pk]) + "?q=byron"
    tab.goto(url)
    tab.get_by_role("button", name="Check in Ada Byron").click()
    tab.wait_for_selector(".check-in__row.is-checked-in")
    assert tab.url == url  # no reload
    assert tab.inner_text("[data-checked-in-count]") == "1"
    assert Registration.objects.get(pk=ada.pk).checked_in_at is not None
    tab.get_by_role("button", name="Undo Ada Byron").click()
    tab.wait_for_selector(".check-in__row:not(.is-checked-in)")
    assert tab.inner_text("[data-checked-in-count]") == "0"
    assert Registration.objects.get(pk=ada.pk).checked_in_at is None
