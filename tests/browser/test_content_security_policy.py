"""The pages work under the site's Content-Security-Policy: no script, style, font or image is
refused, for visitors, representatives and staff; and no page asks another host for anything."""

import pytest

from tests.crm.factories import make_representative, make_staff

from .support import force_sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(browser, live_server, paths, *, client=None, user=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    if user is not None:
        force_sign_in(context, live_server, client, user)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in paths:
        response = page.goto(url(live_server, path))
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    context.close()
    return refused


def test_public_pages_load_everything_under_the_policy(browser, live_server):
    paths = [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/pact/",
        "/pact/open-data/",
        "/events/",
        "/privacy/",
        "/status/",
    ]
    assert _violations(browser, live_server, paths) == []


def test_signed_in_pages_load_everything_under_the_policy(browser, live_server, client):
    representative = make_representative()
    paths = ["/me/", "/pact/pledges/", "/accounts/email/", "/accounts/2fa/"]
    assert _violations(browser, live_server, paths, client=client, user=representative) == []


def test_back_office_pages_load_everything_under_the_policy(browser, live_server, client):
    staff = make_staff(
        "Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator"
    )
    paths = ["/crm/", "/crm/organisations/", "/crm/pact/", "/crm/events/", "/reports/"]
    assert _violations(browser, live_server, paths, client=client, user=staff) == []


def test_an_inline_script_is_refused(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(url(live_server, "/"))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in text for text in refused)
    context.close()
