"""The pledge journey in Chromium: a representative signs, staff publish, the public reads it;
axe-core finds no serious violation on the way."""

import datetime

import pytest
from django.utils import timezone

from pact.models import Pledge
from tests.browser.support import TOTP_SECRET, axe_violations, screenshot, sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_representative_signs_a_pledge_staff_publish_it_and_the_public_reads_it(
    page, context, live_server, organisation, representative, pact_officer
):
    sign_in(page, live_server, representative.email)
    page.goto(url(live_server, "/pact/pledges/"))
    page.get_by_label("Your organisation's role with AI systems").select_option("deployer")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the pledge").click()
    assert axe_violations(page) == []

    # An additional commitment shows its fields once ticked; the providers' list is hidden.
    assert not page.locator("#id_c-DEPL-5-planned_actions").is_visible()
    assert not page.locator("#id_c-PROV-7-included").is_visible()
    page.locator("#id_c-DEPL-5-included").check()
    assert page.locator("#id_c-DEPL-5-planned_actions").is_visible()

    target = (timezone.localdate() + datetime.timedelta(days=300)).isoformat()
    for code in ("CORE-1", "CORE-2", "CORE-3", "DEPL-5"):
        page.locator(f"#id_c-{code}-planned_actions").fill(f"Our plan for {code}")
        page.locator(f"#id_c-{code}-target_date").fill(target)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign and submit to the AI Office").click()
    error = page.locator("#id_authority_confirmed_error")
    assert "Confirm that the signatory is authorised" in error.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "pact-pledge-form-errors")

    page.get_by_label("Signatory's function").fill("Managing director")
    page.locator("#id_authority_confirmed").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign and submit to the AI Office").click()
    assert "has been signed and sent" in page.get_by_role("main").inner_text()
    pledge = Pledge.objects.get(organisation=organisation)
    assert pledge.status == "submitted"

    context.clear_cookies()
    sign_in(page, live_server, pact_officer.email, totp_secret=TOTP_SECRET)
    page.goto(url(live_server, f"/crm/pact/pledges/{pledge.pk}/"))
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Publish the pledge of")
    assert axe_violations(page) == []
    screenshot(page, "staff-confirm-publish")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, publish it").click()
    assert "has been published" in page.get_by_role("main").inner_text()

    context.clear_cookies()
    page.goto(url(live_server, "/pact/"))
    page.get_by_role("link", name=organisation.name).click()
    assert "Our plan for DEPL-5" in page.get_by_role("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "pact-public-pledge")
