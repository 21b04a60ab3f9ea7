"""Every URL pattern declares who may see it, and refuses an anonymous visitor unless public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.access import PUBLIC

OUR_APPS = ("core", "crm", "pact", "forums", "reports", "config")
# Third-party views that are public by nature (sign-in, sign-up, password reset...).
THIRD_PARTY_PREFIXES = ("accounts/", "admin/", "i18n/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _our_patterns():
    for route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if route.startswith(THIRD_PARTY_PREFIXES):
            continue
        if module.split(".")[0] in OUR_APPS:
            yield route, pattern


def _example_path(route: str) -> str:
    path = re.sub(r"<(?:int|id):[^>]+>", "1", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<slug:[^>]+>", "example", path)
    path = re.sub(r"<(str:)?[^>]+>", "example", path)
    return "/" + path.lstrip("^").rstrip("$")


def declared_access(callback):
    """A view's declaration; an API viewset declares it on its class (core.api)."""
    return getattr(callback, "access", None) or getattr(
        getattr(callback, "cls", None), "access", None
    )


def test_every_view_declares_who_may_see_it():
    undeclared = [route for route, p in _our_patterns() if not declared_access(p.callback)]
    assert undeclared == []


@pytest.mark.django_db
def test_anonymous_visitor_is_refused_everything_not_public(client):
    leaks = []
    for route, pattern in _our_patterns():
        if declared_access(pattern.callback) == PUBLIC:
            continue
        path = _example_path(route)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            refused = response.status_code in (302, 401, 403, 404, 405) and (
                response.status_code != 302 or "/accounts/login/" in response["Location"]
            )
            if not refused:
                leaks.append((method, path, response.status_code))
    assert leaks == []


@pytest.mark.django_db
def test_signed_in_non_staff_user_is_refused_every_staff_view(client, user):
    client.force_login(user)
    leaks = []
    for route, pattern in _our_patterns():
        if getattr(pattern.callback, "access", None) != "staff":
            continue
        response = client.get(_example_path(route))
        if response.status_code not in (403, 404, 405):
            leaks.append((route, response.status_code))
    assert leaks == []


@pytest.mark.django_db
def test_staff_without_mfa_is_sent_to_set_it_up(client):
    from tests.crm.factories import make_staff

    client.force_login(make_staff("Pact officer", mfa=False))
    response = client.get("/crm/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


@pytest.mark.django_db
def test_staff_with_mfa_reaches_back_office(client, staff):
    client.force_login(staff)
    assert client.get("/crm/").status_code == 200
