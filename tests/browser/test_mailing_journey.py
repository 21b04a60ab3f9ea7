"""A visitor subscribes to updates and confirms; a pact officer writes and sends a mailing;
the visitor receives it and unsubscribes from it in one click, all through the real pages."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from crm.mailings.models import Mailing, Subscription, Suppression
from crm.models import Consent
from tests.crm.factories import make_staff

from .support import TOTP_SECRET, axe_violations, screenshot, sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(link: str) -> str:
    return urlsplit(link).path


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(page, live_server, context):
    from crm.mailings.services import topics_ensure_defaults

    topics_ensure_defaults()  # an earlier transactional test may have emptied the database
    # A visitor subscribes from the footer's link.
    page.goto(url(live_server, "/"))
    page.get_by_role("contentinfo").get_by_role("link", name="Receive our updates").click()
    page.get_by_label("Email", exact=False).first.fill("reader@example.eu")
    page.get_by_label("The AI Pact").check()
    page.get_by_label("Language of the emails").select_option("fr")
    page.get_by_label("I agree").check()
    assert axe_violations(page) == []
    screenshot(page, "updates-subscribe")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Subscribe").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert not Consent.objects.exists()

    # The confirmation link, in French, opens a page that confirms with one button.
    confirmation = mail.outbox[-1]
    assert confirmation.extra_headers["Content-Language"] == "fr"
    link = re.search(r"https?://\S+/updates/confirm/\S+", confirmation.body).group(0)
    page.goto(url(live_server, _path(link)))
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()
    assert "/updates/preferences/" in page.url
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    screenshot(page, "updates-preferences-after-confirming")

    # A pact officer writes the mailing in English and French and sends it.
    officer = make_staff("Pact officer")
    officer_page = context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en"
    ).new_page()
    sign_in(officer_page, live_server, officer.email, totp_secret=TOTP_SECRET)
    officer_page.goto(url(live_server, "/crm/mailings/"))
    officer_page.get_by_role("link", name="Write a mailing").click()
    officer_page.get_by_label("Internal name").fill("December news")
    officer_page.get_by_label("Audience").select_option(label="Subscribers to “The AI Pact”")
    officer_page.locator("#id_texts-en-subject").fill("News of the AI Pact")
    officer_page.locator("#id_texts-en-body").fill("Hello,\n\n**New** pledges are published.")
    officer_page.get_by_text("Other official languages").click()
    officer_page.locator("summary", has_text="français (fr)").click()
    officer_page.locator("#id_texts-fr-subject").fill("Nouvelles du pacte sur l'IA")
    officer_page.locator("#id_texts-fr-body").fill("Bonjour,\n\nDe **nouveaux** engagements.")
    with officer_page.expect_navigation():
        officer_page.get_by_role("button", name="Save the draft").click()
    assert officer_page.get_by_text("1 person would receive it now").is_visible()
    screenshot(officer_page, "mailing-draft")
    officer_page.locator("form[action$='/send/']").get_by_role("button", name="Send").click()
    dialog = officer_page.get_by_role("dialog", name="Send this mailing to 1 person?")
    dialog.wait_for()
    with officer_page.expect_navigation():
        dialog.get_by_role("button", name="Send").click()
    mailing = Mailing.objects.get()
    assert mailing.status == Mailing.Status.SENT
    officer_page.reload()
    assert officer_page.get_by_role("cell", name="1").first.is_visible()
    screenshot(officer_page, "mailing-sent")
    officer_page.context.close()

    # The reader gets it in French, with one-click unsubscribe headers and link.
    received = mail.outbox[-1]
    assert received.to == ["reader@example.eu"]
    assert received.subject.endswith("Nouvelles du pacte sur l'IA")
    assert received.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = received.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in received.body
    page.set_content(received.alternatives[0][0])
    screenshot(page, "mailing-as-received")

    # The reader's mail program unsubscribes in one click (RFC 8058), without signing in.
    response = page.request.post(
        url(live_server, _path(unsubscribe)), form={"List-Unsubscribe": "One-Click"}
    )
    assert response.status == 200
    assert Suppression.objects.filter(reason="unsubscribed", mailing=mailing).exists()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.LEFT

    # The link in the email says so too.
    page.goto(url(live_server, _path(unsubscribe)))
    assert page.get_by_text("already receives no mailings").is_visible()
    screenshot(page, "mailing-unsubscribed")
