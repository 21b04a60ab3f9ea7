"""Destructive actions ask first, in a dialog a keyboard and a screen reader can use; without
JavaScript the form is sent as before."""

import pytest

from crm import services
from crm.models import Consent
from tests.crm.factories import make_representative

from .support import axe_violations, force_sign_in, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consent():
    user = make_representative(first_name="Ada", last_name="Lovelace")
    return services.consent_give(
        person=user.person, purpose="newsletter", privacy_notice="Newsletter"
    )


def _active_element(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {text: el.textContent.trim(), inDialog: !!el.closest('dialog[open]'),
                  tag: el.tagName};
        }"""
    )


def _open_dialog(page):
    button = page.locator("main").get_by_role("button", name="Withdraw Newsletter")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    return dialog


def test_withdrawing_a_consent_asks_first_and_escape_returns_focus(
    browser, live_server, client, consent
):
    # The site's own policy applies: the dialog's script is a file, not inline code.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    force_sign_in(context, live_server, client, consent.person.user)
    page = context.new_page()
    page.goto(url(live_server, "/me/data/"))

    dialog = _open_dialog(page)
    assert dialog.get_attribute("aria-labelledby") == "confirm-dialog-title"
    assert page.get_by_role("dialog", name="Withdraw your consent to “Newsletter”?").is_visible()
    describedby = dialog.get_attribute("aria-describedby")
    assert page.locator(f"#{describedby}").inner_text().strip()
    focused = _active_element(page)
    assert focused["inDialog"] and focused["text"] == "No, go back"
    screenshot(page, "confirm-dialog-consent", full_page=False)

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert _active_element(page)["text"].startswith("Withdraw")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None

    dialog = _open_dialog(page)
    page.keyboard.press("Enter")  # on "No, go back"
    assert not dialog.is_visible()
    assert _active_element(page)["text"].startswith("Withdraw")

    _open_dialog(page)
    page.keyboard.press("Shift+Tab")
    assert _active_element(page)["text"] == "Withdraw Newsletter"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    context.close()


def test_open_dialog_passes_axe(page, live_server, client, consent):
    force_sign_in(page.context, live_server, client, consent.person.user)
    page.goto(url(live_server, "/me/data/"))
    _open_dialog(page)
    assert axe_violations(page) == []


def test_without_javascript_the_form_is_sent_directly(browser, live_server, client, consent):
    context = browser.new_context(locale="en", java_script_enabled=False)
    force_sign_in(context, live_server, client, consent.person.user)
    page = context.new_page()
    page.goto(url(live_server, "/me/data/"))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Withdraw Newsletter").click()
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    context.close()


def test_every_destructive_form_asks_through_the_same_attribute():
    """The forms that end, remove or erase something carry data-confirm (or are a page of their
    own that asks: cancelling a registration, withdrawing a pledge)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    for name, action in [
        ("crm/api_tokens.html", 'name="revoke"'),
        ("crm/me/data.html", "me:consent_withdraw"),
        ("crm/merge_detail.html", "crm:merge_undo"),
        ("crm/privacy/erasure_request_detail.html", 'value="carry_out"'),
        ("forums/application_form.html", "forums:nomination_remove"),
        ("forums/application_form.html", "forums:application_withdraw"),
        ("forums/staff/event_detail.html", "forums_staff:invitation_remove"),
        ("forums/staff/bodies_application.html", "forums_bodies_staff:evaluator_remove"),
        ("forums/staff/bodies_selection.html", "forums_bodies_staff:decisions_commit"),
        ("pact/pledge_list.html", "pact:network_leave"),
        ("reports/index.html", "reports:saved_delete"),
    ]:
        source = (templates / name).read_text(encoding="utf-8")
        start = source.index(action)
        form = source[source.rindex("<form", 0, start) : source.index("</form>", start)]
        assert "data-confirm=" in form, f"{name}: {action} submits without asking"
