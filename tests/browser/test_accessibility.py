"""axe-core finds no serious or critical violation on the main pages, signed out and in."""

import pytest

from .support import axe_violations, force_sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/confirm-email/not-a-key/",
    "/privacy/",
    "/no-such-page/",
]


def _scan(page, live_server, paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(url(live_server, path))
        found[path] = axe_violations(page)
    return {path: lines for path, lines in found.items() if lines}


def test_public_pages_have_no_serious_violation(page, live_server):
    assert _scan(page, live_server, PUBLIC_PAGES) == {}


def test_not_found_page_is_the_sites_own(page, live_server):
    response = page.goto(url(live_server, "/no-such-page/"))
    assert response.status == 404
    assert page.get_by_role("main").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()


def test_signed_in_pages_have_no_serious_violation(page, context, live_server, client, user):
    force_sign_in(context, live_server, client, user)
    paths = [
        "/me/",
        "/me/data/",
        "/me/data/erasure/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ]
    assert _scan(page, live_server, paths) == {}


def test_every_account_page_uses_the_site_layout(page, context, live_server, client):
    """allauth's pages: one h1, the landmarks, and a label for every visible field."""
    from tests.crm.factories import UserFactory

    paths = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for path in paths:
        _assert_in_layout(page, live_server, path)
    force_sign_in(context, live_server, client, UserFactory(verified=False))
    for path in [
        "/accounts/email/",
        "/accounts/confirm-email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ]:
        _assert_in_layout(page, live_server, path)


def _assert_in_layout(page, live_server, path):
    page.goto(url(live_server, path))
    assert page.locator("h1").count() == 1, path
    for landmark in ("banner", "main", "contentinfo"):
        assert page.get_by_role(landmark).count() == 1, (path, landmark)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('main input, main select, main textarea')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length)
                         && !e.getAttribute('aria-label'))
            .map(e => e.name || e.id)"""
    )
    assert unlabelled == [], path


def test_back_office_pages_have_no_serious_violation(page, context, live_server, client, staff):
    force_sign_in(context, live_server, client, staff)
    pages = [
        "/crm/",
        "/crm/organisations/",
        "/crm/privacy/erasure-requests/",
        "/crm/privacy/access-log/?person=1",
    ]
    assert _scan(page, live_server, pages) == {}


def test_the_scan_reports_what_it_should(page):
    """A page without lang, alt text or labels fails, so a clean scan means something."""
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    found = " ".join(axe_violations(page))
    for rule in ("html-has-lang", "image-alt", "label"):
        assert rule in found


def test_forbidden_page_is_the_sites_own_and_passes(page, context, live_server, client, user):
    force_sign_in(context, live_server, client, user)
    response = page.goto(url(live_server, "/crm/"))
    assert response.status == 403
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert axe_violations(page) == []


def test_server_error_page_stands_alone_and_passes(page, live_server):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    error_url = url(live_server, "/server-error-preview/")
    page.route(
        error_url, lambda route: route.fulfill(status=500, body=html, content_type="text/html")
    )
    page.goto(error_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
