"""An expert applies to the Scientific Panel with a declaration of interests; the secretariat
assesses the declaration, checks eligibility and assigns an evaluator; the evaluator scores;
the secretariat appoints; the member sees the membership on /me/ and the public sees the
declaration on the body's page. Every actor signs in through the real pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Application, Body, Call, Declaration, Membership
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .support import TOTP_SECRET, axe_violations, screenshot, sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _new_page(browser, width=1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def _both_widths(page, name):
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return width


def test_an_expert_is_selected_and_appointed_with_a_public_declaration(
    browser, page, live_server, tmp_path
):
    body = Body.objects.create(
        name="Scientific Panel on AI",
        slug="scientific-panel-journey",
        kind=Body.Kind.SCIENTIFIC_PANEL,
        max_members=60,
        term_months=24,
        declarations_public=True,
    )
    call = Call.objects.create(
        body=body,
        title="Call for independent experts",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=20),
        applicants=Call.Applicants.INDIVIDUALS,
        roles=["member"],
        criteria=["Scientific expertise"],
        eligibility_questions=["Doctorate or ten years of experience"],
        declaration_required=True,
        status=Call.Status.PUBLISHED,
    )
    expert = UserFactory(first_name="Ada", last_name="Lovelace")
    PersonFactory(user=expert, email=expert.email, first_name="Ada", last_name="Lovelace")
    secretary = make_staff("Body secretariat", first_name="Sam", last_name="Secretary")
    evaluator = make_staff("Body secretariat", first_name="Eve", last_name="Evaluator")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)

    # The expert applies, saving a draft first.
    sign_in(page, live_server, expert.email)
    page.goto(url(live_server, call.get_absolute_url()))
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Role sought").select_option("member")
    page.get_by_label("Areas of expertise").fill("Evaluation of general-purpose AI models")
    page.get_by_label("Motivation").fill("To give independent scientific advice.")
    page.get_by_label("Nationality").select_option("BE")
    page.set_input_files("#id_cv", str(cv))
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/bodies/applications/**")

    # Submitting without a declaration is refused with a clear message.
    page.get_by_role("button", name="Submit my application").click()
    assert "asks for your declaration of interests" in page.inner_text("main")

    page.get_by_role("link", name="File my declaration of interests").click()
    page.select_option("#id_interest-0-category", "consultancy")
    page.fill("#id_interest-0-organisation", "Frontier Lab SA")
    page.fill("#id_interest-0-description", "Advice on model evaluations")
    page.select_option("#id_interest-0-amount", "up_to_50k")
    page.fill("#id_signed_name", "Ada Lovelace")
    page.check("#id_confirm")
    assert axe_violations(page) == []
    assert _both_widths(page, "bodies-declaration-form") <= 390
    page.get_by_role("button", name="Sign and file my declaration").click()
    page.wait_for_url("**/bodies/applications/**")  # back to the application
    assert "Version 1" in page.inner_text("main")
    page.get_by_role("button", name="Submit my application").click()
    page.wait_for_selector("text=Your application is submitted")
    application = Application.objects.get(call=call)
    assert application.status == "submitted" and application.declaration is not None

    # The secretariat assesses the declaration, checks eligibility, assigns an evaluator.
    staff_page = _new_page(browser)
    sign_in(staff_page, live_server, secretary.email, totp_secret=TOTP_SECRET)
    staff_page.goto(url(live_server, reverse("forums_bodies_staff:declaration_queue")))
    staff_page.get_by_role("link", name="Ada Lovelace").click()
    staff_page.get_by_label("No conflict of interest").check()
    staff_page.get_by_label("Reason").fill("No interest related to the panel's tasks.")
    staff_page.get_by_role("button", name="Record the assessment").click()
    staff_page.wait_for_selector("text=The assessment is recorded")

    staff_page.goto(url(live_server, reverse("forums_bodies_staff:call_selection", args=[call.pk])))
    staff_page.get_by_role("link", name="Ada Lovelace").click()
    staff_page.check("#id_met_0_0")
    staff_page.fill("#id_reason_0", "PhD in computer science, 2012 (CV page 1)")
    staff_page.get_by_role("button", name="Record eligibility").click()
    staff_page.wait_for_selector("text=The application is eligible")
    staff_page.select_option("#id_evaluator", label="Eve Evaluator")
    staff_page.get_by_role("button", name="Assign", exact=True).click()
    staff_page.wait_for_selector("text=The evaluator is assigned")
    assert axe_violations(staff_page) == []
    assert _both_widths(staff_page, "bodies-staff-application") <= 390

    # The evaluator declares no conflict, then scores.
    evaluator_page = _new_page(browser)
    sign_in(evaluator_page, live_server, evaluator.email, totp_secret=TOTP_SECRET)
    evaluator_page.goto(url(live_server, reverse("forums_bodies_staff:evaluation_list")))
    evaluator_page.get_by_role("link", name=f"Application {application.pk}").click()
    evaluator_page.get_by_role("button", name="I declare no conflict of interest").click()
    assert "No conflict of interest" in evaluator_page.inner_text("main")  # the assessment
    assert "Frontier Lab" not in evaluator_page.inner_text("main")
    evaluator_page.get_by_label("Scientific expertise").fill("9")
    evaluator_page.get_by_role("button", name="Record my evaluation").click()
    evaluator_page.wait_for_selector("text=Your evaluation is recorded")

    # The secretariat appoints and commits.
    staff_page.goto(url(live_server, reverse("forums_bodies_staff:call_selection", args=[call.pk])))
    staff_page.select_option(f"#decision-{application.pk}", "appoint")
    staff_page.locator("tr", has=staff_page.locator(f"#decision-{application.pk}")).get_by_role(
        "button", name="Save"
    ).click()
    staff_page.wait_for_selector("text=1 marked to appoint")
    staff_page.get_by_role(
        "button", name="Commit the prepared decisions and email applicants"
    ).click()
    # Committing cannot be taken back: the page asks first.
    staff_page.get_by_role("dialog", name="Commit the prepared decisions?").get_by_role(
        "button", name="Commit the prepared decisions and email applicants"
    ).click()
    staff_page.wait_for_selector("text=decisions committed")
    membership = Membership.objects.get(body=body)
    assert membership.person.user == expert

    staff_page.goto(url(live_server, reverse("forums_bodies_staff:body_detail", args=[body.pk])))
    assert "Ada Lovelace" in staff_page.inner_text("main")
    assert _both_widths(staff_page, "bodies-staff-body") <= 390

    # The member sees the membership; the public sees the declaration.
    page.goto(url(live_server, "/me/"))
    panel = page.locator("section[aria-labelledby=panel-my-bodies]")
    assert "Scientific Panel on AI" in panel.inner_text()
    assert "Active" in panel.inner_text()
    screenshot(page, "bodies-member-me")
    public = _new_page(browser)
    public.goto(url(live_server, body.get_absolute_url()))
    assert "Ada Lovelace" in public.inner_text("main")
    public.get_by_role("link", name="Published for every member").click()
    text = public.inner_text("main")
    assert "Frontier Lab SA" in text and "Advice on model evaluations" in text
    assert "No interest related" not in text
    assert axe_violations(public) == []
    assert _both_widths(public, "bodies-public-declarations") <= 390
    assert Declaration.objects.get().assessment == "no_conflict"
