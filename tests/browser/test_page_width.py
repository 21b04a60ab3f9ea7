"""No page is wider than the screen, on a phone (390 px) or a laptop (1280 px): wide tables
scroll inside their own box or stack their rows, and the page itself never scrolls sideways."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from .support import force_sign_in, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def demo(db):
    from crm.models import Organisation, Person
    from forums.models import Event
    from pact.catalogue import catalogue_load
    from pact.models import Commitment, Pledge

    # The demo data needs what data migrations load (sectors, the commitment catalogue),
    # which an earlier transactional test's flush emptied.
    import_module("crm.migrations.0002_roles_and_sectors").forwards(apps, None)
    catalogue_load(Commitment)
    call_command("seed_demo", verbosity=0)
    pledge = Pledge.objects.filter(status="published").first()
    event = Event.objects.order_by("starts_at").first()
    hybrid = Event.objects.filter(format="hybrid", audience="public").order_by("starts_at").first()
    return {
        "hybrid": hybrid,
        "pledge": pledge,
        "event": event,
        "organisation": pledge.organisation,
        "person": Person.objects.filter(registrations__isnull=False).first(),
        "rep_pledge": Pledge.objects.filter(organisation__name="Demo AI Solutions").first(),
        "org_count": Organisation.objects.count(),
    }


def _too_wide(browser, live_server, paths, *, client=None, user=None, name=""):
    found = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en")
        if user is not None:
            force_sign_in(context, live_server, client, user)
        page = context.new_page()
        for path in paths:
            page.goto(url(live_server, path))
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                found.append(f"{path} at {width} px is {scroll_width} px wide")
                screenshot(page, f"too-wide-{name}-{width}-{path}", full_page=False)
        context.close()
    return found


def test_public_pages_fit_the_screen(browser, live_server, demo):
    paths = [
        "/",
        "/pact/",
        "/pact/open-data/",
        "/pact/figures/",
        demo["pledge"].get_public_url(),
        "/events/",
        demo["event"].get_absolute_url(),
        demo["hybrid"].get_absolute_url(),
        "/privacy/",
        "/status/",
        "/accounts/login/",
        "/accounts/signup/",
        "/updates/",
    ]
    assert _too_wide(browser, live_server, paths, name="public") == []


def test_representative_pages_fit_the_screen(browser, live_server, client, demo):
    from django.contrib.auth import get_user_model

    representative = get_user_model().objects.get(email="rep@example.eu")
    paths = ["/me/", "/me/updates/", "/pact/pledges/"]
    if demo["rep_pledge"]:
        paths.append(demo["rep_pledge"].get_absolute_url())
    found = _too_wide(browser, live_server, paths, client=client, user=representative, name="rep")
    assert found == []


def test_back_office_pages_fit_the_screen(browser, live_server, client, demo):
    from django.contrib.auth import get_user_model

    from crm.mailings.models import Mailing

    staff = get_user_model().objects.get(email="staff@example.eu")
    event = demo["event"]
    paths = [
        "/crm/",
        "/crm/organisations/",
        demo["organisation"].get_absolute_url(),
        "/crm/people/",
        demo["person"].get_absolute_url(),
        "/crm/representatives/",
        "/crm/pact/",
        f"/crm/pact/pledges/{demo['pledge'].pk}/",
        "/crm/pact/reports/",
        "/crm/pact/catalogue/",
        "/crm/pact/network/",
        "/crm/events/",
        f"/crm/events/{event.pk}/",
        f"/crm/events/{event.pk}/check-in/",
        f"/crm/events/{event.pk}/programme/",
        f"/crm/events/{demo['hybrid'].pk}/",
        f"/crm/events/{demo['hybrid'].pk}/edit/",
        f"/crm/events/{demo['hybrid'].pk}/check-in/",
        "/reports/",
        "/crm/mailings/",
        "/crm/mailings/new/",
        "/crm/mailings/topics/",
        f"/crm/mailings/{Mailing.objects.order_by('pk').first().pk}/",
    ]
    assert _too_wide(browser, live_server, paths, client=client, user=staff, name="staff") == []
