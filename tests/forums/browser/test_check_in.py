"""The check-in desk on a phone-sized screen, and axe scans of the event pages."""

import pytest
from django.urls import reverse

from forums.models import Registration
from tests.browser.support import axe_violations, force_sign_in, screenshot, url
from tests.crm.factories import PersonFactory, UserFactory, make_staff
from tests.forums.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_tap_checks_in_and_undo_reverts(page, context, live_server, client):
    event = EventFactory()
    ada = RegistrationFactory(
        event=event, person=PersonFactory(first_name="Ada", last_name="Byron")
    )
    force_sign_in(context, live_server, client, make_staff("Events manager"))
    page.set_viewport_size({"width": 390, "height": 800})
    address = url(live_server, reverse("forums_staff:check_in", args=[event.pk]) + "?q=byron")
    page.goto(address)
    page.get_by_role("button", name="Check in Ada Byron").click()
    page.wait_for_selector(".check-in__row.is-checked-in")
    assert page.url == address  # no reload
    assert page.inner_text("[data-checked-in-count]") == "1"
    assert Registration.objects.get(pk=ada.pk).checked_in_at is not None
    screenshot(page, "forums-check-in-phone")
    page.get_by_role("button", name="Undo Ada Byron").click()
    page.wait_for_selector(".check-in__row:not(.is-checked-in)")
    assert page.inner_text("[data-checked-in-count]") == "0"
    assert Registration.objects.get(pk=ada.pk).checked_in_at is None


def test_event_pages_pass_axe(page, context, live_server, client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    violations = {}
    for path in [reverse("forums:event_list"), event.get_absolute_url()]:
        page.goto(url(live_server, path))
        violations[path] = axe_violations(page)
    participant = UserFactory()
    staff = make_staff("Events manager")
    staff_paths = [
        reverse("forums_staff:event_list"),
        reverse("forums_staff:event_detail", args=[event.pk]),
        reverse("forums_staff:check_in", args=[event.pk]),
        reverse("forums_staff:event_create"),
    ]
    for who, paths in [(participant, [event.get_absolute_url(), "/me/"]), (staff, staff_paths)]:
        force_sign_in(context, live_server, client, who)
        for path in paths:
            page.goto(url(live_server, path))
            violations[f"{who.email} {path}"] = axe_violations(page)
    assert {where: found for where, found in violations.items() if found} == {}
