"""Text contrast meets WCAG AA (axe's color-contrast rule, every impact) on the main pages, on a
desktop screen (1280 px) and on a phone (390 px), where the layout and so the colours behind
some text change."""

import pytest

from tests.crm.factories import make_representative, make_staff

from .support import AXE, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def contrast_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: 'rule', values: ['color-contrast']}, resultTypes: ['violations']})"""
    )
    return [
        f"{node['target']}: {node['any'][0]['message'] if node['any'] else ''}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


@pytest.fixture
def pages():
    from pact.catalogue import catalogue_load
    from pact.models import Commitment
    from pact.services import pledge_start
    from tests.forums.factories import EventFactory

    catalogue_load(Commitment)
    representative = make_representative(first_name="Ada", last_name="Lovelace")
    organisation = representative.person.affiliations.get().organisation
    pledge = pledge_start(
        user=representative, organisation=organisation, ai_role="deployer", language="en"
    )
    event = EventFactory(title="AI literacy workshop")
    staff = make_staff("Pact officer", "Events manager")
    return {
        None: ["/", "/pact/", "/events/", f"/events/{event.pk}/"],
        representative: ["/me/", f"/pact/pledges/{pledge.pk}/edit/"],
        staff: ["/crm/"],
    }


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_main_pages_meet_contrast_aa(browser, live_server, client, pages, width):
    found = {}
    for user, paths in pages.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en", bypass_csp=True
        )
        if user is not None:
            client.force_login(user, mfa=user.is_staff)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        for path in paths:
            page.goto(url(live_server, path))
            assert page.url == url(live_server, path), f"{path} redirected to {page.url}"
            screenshot(page, f"contrast-{width}-{path}")
            violations = contrast_violations(page)
            if violations:
                found[path] = violations
        context.close()
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_error_summary_and_confirmation_dialog_meet_contrast_aa(
    browser, live_server, client, width
):
    from crm.services import consent_give

    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en", bypass_csp=True
    )
    page = context.new_page()
    page.goto(url(live_server, "/accounts/signup/"))
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert page.locator("[data-error-summary]").is_visible()
    screenshot(page, f"contrast-{width}-signup-errors")
    assert contrast_violations(page) == []

    representative = make_representative()
    consent_give(person=representative.person, purpose="newsletter", privacy_notice="Newsletter")
    client.force_login(representative)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(url(live_server, "/me/data/"))
    page.locator("main").get_by_role("button", name="Withdraw Newsletter").click()
    assert page.get_by_role("dialog").is_visible()
    screenshot(page, f"contrast-{width}-confirm-dialog", full_page=False)
    assert contrast_violations(page) == []
    context.close()
