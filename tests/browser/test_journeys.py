"""People signing in, signing up and switching language through the real pages."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from tests.crm.factories import make_staff

from .support import axe_violations, screenshot, sign_in, totp_code, url

NEW_PASSWORD = re.compile(r"^Password(?! \(again\))")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_representative_signs_in_and_lands_on_their_page(page, live_server, representative):
    sign_in(page, live_server, representative.email)

    assert page.url == url(live_server, "/me/")
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert page.get_by_role("banner").get_by_text(representative.email).is_visible()
    screenshot(page, "representative-me")


def test_wrong_password_is_announced_next_to_the_form(page, live_server, user):
    sign_in(page, live_server, user.email, "not-the-password")

    assert "/accounts/login/" in page.url
    alert = page.locator("main [role=alert]").first
    assert "not correct" in alert.inner_text()


def test_staff_enters_the_authenticator_code_and_reaches_the_back_office(page, live_server, staff):
    page.goto(url(live_server, "/crm/"))
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.locator("main form").get_by_role("button", name="Sign In").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert axe_violations(page) == []
    screenshot(page, "staff-mfa-authenticate")
    page.get_by_label("Code").fill(totp_code())
    page.locator("main form").get_by_role("button", name="Sign In").click()

    page.wait_for_url(url(live_server, "/crm/"))
    assert page.get_by_role("navigation", name="Back office").is_visible()
    screenshot(page, "staff-crm")


def test_staff_without_an_authenticator_is_sent_to_set_one_up(page, live_server):
    officer = make_staff("Pact officer", mfa=False)
    sign_in(page, live_server, officer.email)
    page.goto(url(live_server, "/crm/"))

    assert "two-factor authentication" in page.locator("main [role=status]").first.inner_text()
    # allauth asks for the password again before an authenticator is added.
    assert "/accounts/reauthenticate/" in page.url
    assert axe_violations(page) == []
    screenshot(page, "staff-reauthenticate")
    page.get_by_label("Password").fill("correct-horse-battery")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Confirm").click()

    assert "/accounts/2fa/totp/activate/" in page.url
    assert page.get_by_role("img").first.get_attribute("src").startswith("data:image/svg+xml")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert len(secret) >= 16
    assert axe_violations(page) == []
    screenshot(page, "staff-totp-activate")

    page.get_by_label("Authenticator code").fill(totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Activate").click()
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert page.get_by_role("heading", level=1).inner_text() == "Recovery Codes"
    assert page.get_by_label("Unused codes").input_value().count("\n") == 9
    assert axe_violations(page) == []
    screenshot(page, "staff-recovery-codes")

    page.goto(url(live_server, "/crm/"))
    assert page.url == url(live_server, "/crm/")


def test_visitor_signs_up_through_the_signup_page(page, live_server):
    page.goto(url(live_server, "/"))
    page.get_by_role("banner").get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("new.person@example.org")
    page.get_by_label(NEW_PASSWORD).fill("Sturdy-pass-4821")
    page.get_by_label("Password (again)").fill("Sturdy-pass-4821")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Sign Up").click()

    user = get_user_model().objects.get(email="new.person@example.org")
    assert EmailAddress.objects.filter(user=user, verified=False).exists()
    assert page.url == url(live_server, "/accounts/confirm-email/")
    screenshot(page, "visitor-after-signup")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(url(live_server, urlsplit(link).path))
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Confirm").click()
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
    assert page.url == url(live_server, "/me/")


def test_signup_errors_are_shown_next_to_their_fields(page, live_server):
    page.goto(url(live_server, "/accounts/signup/"))
    page.get_by_label("Email").fill("not-an-address")
    page.get_by_label(NEW_PASSWORD).fill("short")
    page.get_by_label("Password (again)").fill("different")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Sign Up").click()

    email = page.get_by_label("Email")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby").split()[0]
    assert page.locator(f"#{error_id}").get_attribute("role") == "alert"
    assert not get_user_model().objects.filter(email="not-an-address").exists()
    assert axe_violations(page) == []
    screenshot(page, "signup-errors")


def test_forgotten_password_is_reset_through_the_emailed_link(page, live_server, user):
    page.goto(url(live_server, "/accounts/login/"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(user.email)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Send the link").click()
    assert "/accounts/password/reset/done/" in page.url

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    page.goto(url(live_server, urlsplit(link.group(0)).path))
    assert page.get_by_role("heading", level=1).inner_text() == "Change Password"
    assert axe_violations(page) == []
    screenshot(page, "password-reset-from-key")
    page.get_by_label(re.compile(r"^New Password(?! \(again\))")).fill("Another-sturdy-7193")
    page.get_by_label("New Password (again)").fill("Another-sturdy-7193")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Change Password").click()

    sign_in(page, live_server, user.email, "Another-sturdy-7193")
    assert page.url == url(live_server, "/me/")


def test_language_switcher_changes_the_page_language(page, live_server):
    page.goto(url(live_server, "/privacy/"))
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_label("Language").select_option("fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()

    assert page.url == url(live_server, "/privacy/")
    assert page.locator("html").get_attribute("lang") == "fr"
    with translation.override("fr"):
        label = translation.gettext("Language")
    assert page.get_by_label(label, exact=False).first.input_value() == "fr"


def test_home_page_on_a_phone(context, live_server):
    phone = context.browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = phone.new_page()
    page.goto(url(live_server, "/"))

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the home page scrolls sideways on a phone"
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    screenshot(page, "home-phone")
    phone.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, live_server):
    page.goto(url(live_server, "/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    assert skip.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_focus_is_visible_on_links_and_fields(page, live_server):
    page.goto(url(live_server, "/accounts/login/"))
    for _ in range(3):
        page.keyboard.press("Tab")
    focused_outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert focused_outline[0] != "none" and focused_outline[1] >= 2
