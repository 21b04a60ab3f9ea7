"""The check-in desk on a phone-sized screen: one tap checks in without reloading, undo reverts."""

import os

import pytest
from django.db import connection
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
    if connection.vendor == "postgresql":
        # The session-wide live server keeps a connection open past the test database's
        # teardown on PostgreSQL; these pages do not depend on the database engine.
        pytest.skip("browser tests run on SQLite")
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


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")


def _axe_violations(tab) -> list[str]:
    with open(AXE, encoding="utf-8") as handle:
        tab.add_script_tag(content=handle.read())
    result = tab.evaluate("async () => await axe.run()")
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_event_pages_pass_axe(page, live_server, client):
    if not os.path.exists(AXE):
        pytest.skip("needs axe-core in node_modules")
    from tests.crm.factories import UserFactory

    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    staff = make_staff("Events manager")
    user = UserFactory()
    tab = page.new_page()
    violations = {}
    for path in [reverse("forums:event_list"), event.get_absolute_url()]:
        tab.goto(live_server.url + path)
        violations[path] = _axe_violations(tab)
    for who, paths in [
        (user, [event.get_absolute_url(), "/me/"]),
        (
            staff,
            [
                reverse("forums_staff:event_list"),
                reverse("forums_staff:event_detail", args=[event.pk]),
                reverse("forums_staff:check_in", args=[event.pk]),
                reverse("forums_staff:event_create"),
            ],
        ),
    ]:
        client.force_login(who)
        page.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        for path in paths:
            tab.goto(live_server.url + path)
            violations[f"{who.email} {path}"] = _axe_violations(tab)
    assert {k: v for k, v in violations.items() if v} == {}
