"""axe-core on every page of every role, in English and in two other languages, and on every
form after a failed submission.

The pages are the authorization walk's (tests/core/test_authorization_walk.py): every URL
pattern of the product that a role may open with GET, with the ids of organisation A's objects,
so a new page is scanned as soon as it is in the walk. Downloads (PDF, CSV, JSON, calendar
files) are not pages and are left out by their content type.
"""

import pytest
from django.test import Client
from django.urls import reverse

from core.languages import account_language_set
from tests.core.test_authorization_walk import (
    ALLOW,
    ROLES,
    ROUTES,
    _user_for,
    build_world,
    expected,
    our_urls,
)

from .support import axe_violations, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCANNED_ROLES = [
    role
    for role in ROLES
    if role.verified
    and role.second_factor
    and role.side in ("", "a")
    and role.name != "Pact officer without second factor"
]
OTHER_LANGUAGES = ("fr", "hr")
# The staff groups' pages are each some of the superuser's: the superuser's scan covers them in
# the other languages, the groups' own scans (what each group sees) in English.
MULTILINGUAL_ROLES = {"anonymous", "member", "representative of A", "superuser"}

# A form is submitted empty only when it has a field the server requires, so that the
# submission fails and changes nothing.
FAILING_SUBMIT = """() => {
  const form = [...document.querySelectorAll('main form[method=post], main form[method=POST]')]
    .find(f => f.querySelector(
      'input[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]),'
      + ' textarea[required]'));
  if (!form) return false;
  form.noValidate = true;
  for (const field of form.querySelectorAll('input[type=text], input[type=email], '
      + 'input[type=url], input[type=number], input[type=date], input[type=datetime-local], '
      + 'input:not([type]), textarea')) field.value = '';
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  if (!button) return false;
  button.setAttribute('data-a11y-submit', '1');
  return true;
}"""


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    return build_world(settings, tmp_path)


def _html_pages(client, role, world) -> list[str]:
    """The pages `role` may open, as the test client sees them: HTML answered with 200."""
    paths = []
    for name, callback in our_urls():
        route = ROUTES[name]
        if route.post_only or expected(role, route, callback, "a") != ALLOW:
            continue
        path = reverse(name, kwargs=route.kwargs(world, "a") if route.kwargs else {})
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            paths.append(path)
    return paths


def _sign_in(context, live_server, client, user, role):
    client.logout()
    if user is None:
        return
    client.force_login(user, mfa=role.staff)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _set_language(context, live_server, user, code):
    """The language as a person chooses it: remembered on the account, or in the cookie."""
    if user is not None:
        account_language_set(user=user, language=code)
    context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


@pytest.mark.parametrize("role", SCANNED_ROLES, ids=[role.name for role in SCANNED_ROLES])
def test_every_page_of_the_role_passes_axe_in_three_languages(
    browser, live_server, client, world, role
):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user, mfa=role.staff)
    paths = _html_pages(client, role, world)
    assert paths, role.name
    public = set() if role.name == "anonymous" else set(_html_pages(Client(), ROLES[0], world))
    found = {}
    languages = ("en", *OTHER_LANGUAGES) if role.name in MULTILINGUAL_ROLES else ("en",)
    for language in languages:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale=language, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        _set_language(context, live_server, user, language)  # before: sign-in reads it
        _sign_in(context, live_server, client, user, role)
        page = context.new_page()
        for path in paths:
            if language != "en" and path in public:
                continue  # scanned in every language as anonymous
            page.goto(url(live_server, path))
            lang = page.locator("html").get_attribute("lang") or ""
            if not lang.startswith(language):
                found[(language, path)] = [f"<html lang={lang!r}>, not {language}"]
                continue
            violations = axe_violations(page)
            if violations:
                found[(language, path)] = violations
        context.close()
    report = "\n".join(f"{lang} {path}: {v}" for (lang, path), vs in found.items() for v in vs)
    assert not found, report


@pytest.mark.parametrize("role", SCANNED_ROLES, ids=[role.name for role in SCANNED_ROLES])
def test_every_form_of_the_role_passes_axe_after_a_failed_submission(
    browser, live_server, client, world, role
):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user, mfa=role.staff)
    paths = _html_pages(client, role, world)
    found, submitted = {}, 0
    for language in ("en", OTHER_LANGUAGES[0]):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale=language, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        _set_language(context, live_server, user, language)  # before: sign-in reads it
        _sign_in(context, live_server, client, user, role)
        page = context.new_page()
        for path in paths:
            page.goto(url(live_server, path))
            if not page.evaluate(FAILING_SUBMIT):
                continue
            with page.expect_navigation():
                page.locator("[data-a11y-submit]").click()
            submitted += 1
            violations = axe_violations(page)
            if violations:
                found[(language, path)] = violations
            # The refusal names what is wrong next to the field, in the page's language.
            if not page.locator(
                "main [role=alert], main .ecl-feedback-message, main .errorlist"
            ).count():
                found[(language, path)] = ["no error shown after submitting an empty form"]
        context.close()
    report = "\n".join(f"{lang} {path}: {v}" for (lang, path), vs in found.items() for v in vs)
    assert not found, report
    if role.name in ("representative of A", "superuser"):
        assert submitted >= 6, submitted  # the pledge, profile, body and CRM forms at least
