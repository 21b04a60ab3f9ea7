"""The expert bodies' pages for declarations, nominations and the secretariat's setup pass axe
and fit a phone's width."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from tests.browser.support import axe_violations, force_sign_in, screenshot, url
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
    make_staff,
)
from tests.forums.factories import (
    BalanceRuleFactory,
    BodyFactory,
    CallFactory,
    DeclarationFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, live_server, path, name):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(live_server, path))
    violations = axe_violations(page)
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url(live_server, path))
    screenshot(page, f"{name}-390")
    overflow = page.evaluate("document.documentElement.scrollWidth") > 390
    return violations, overflow


def test_staff_pages_of_bodies_pass_axe_and_fit_a_phone(page, context, live_server, client):
    body = BodyFactory(name="Advisory Forum", nominees_per_organisation=2, max_members=200)
    BalanceRuleFactory(body=body)
    BalanceRuleFactory(
        body=body,
        dimension="gender",
        value="",
        operator="max_share",
        threshold=60,
        description="Gender: no group above 60 %",
    )
    call = CallFactory(body=body, blind_review=True, eligibility_questions=["In the register"])
    member = MembershipFactory(body=body, term_end=timezone.localdate() + timedelta(days=20))
    DeclarationFactory(person=member.person, no_interests=False).interests.create(
        category="employment", organisation="Université de Liège", description="Professor"
    )
    meeting = EventFactory(
        programme="expert_body",
        body=body,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
    )
    RegistrationFactory(event=meeting, person=member.person, attendance="attended")
    from tests.forums.test_selection import make_application

    application = make_application(call)
    secretariat = make_staff("Body secretariat")
    force_sign_in(context, live_server, client, secretariat)
    paths = {
        "bodies-staff-list": reverse("forums_bodies_staff:body_list"),
        "bodies-staff-detail": reverse("forums_bodies_staff:body_detail", args=[body.pk]),
        "bodies-staff-edit": reverse("forums_bodies_staff:body_edit", args=[body.pk]),
        "bodies-staff-call-new": reverse("forums_bodies_staff:call_create", args=[body.pk]),
        "bodies-staff-call-edit": reverse("forums_bodies_staff:call_edit", args=[call.pk]),
        "bodies-staff-selection": reverse("forums_bodies_staff:call_selection", args=[call.pk]),
        "bodies-staff-application": reverse(
            "forums_bodies_staff:application_detail", args=[application.pk]
        ),
        "bodies-staff-declarations": reverse("forums_bodies_staff:declaration_queue"),
        "bodies-staff-person": member.person.get_absolute_url(),
    }
    problems = {}
    for name, path in paths.items():
        violations, overflow = _check(page, live_server, path, name)
        if violations or overflow:
            problems[name] = (violations, overflow)
    assert problems == {}


def test_applicant_pages_pass_axe_and_fit_a_phone(page, context, live_server, client):
    organisation = OrganisationFactory(transparency_register_id="123456789-01")
    representative = make_representative(organisation)
    AffiliationFactory(person=PersonFactory(first_name="Marie"), organisation=organisation)
    body = BodyFactory(nominees_per_organisation=2, declarations_public=True)
    call = CallFactory(body=body, applicants="organisations")
    application = services.application_save(
        user=representative,
        call=call,
        organisation=organisation,
        role="member",
        expertise="Civil society",
        motivation="Represent users",
    )
    force_sign_in(context, live_server, client, representative)
    problems = {}
    for name, path in {
        "bodies-application-nominees": application.get_absolute_url(),
        "bodies-declaration-new": reverse("forums:declaration_new"),
        "bodies-declaration-list": reverse("forums:declaration_list"),
        "bodies-me": "/me/",
    }.items():
        violations, overflow = _check(page, live_server, path, name)
        if violations or overflow:
            problems[name] = (violations, overflow)
    assert problems == {}


def test_a_blind_evaluation_page_passes_axe_and_fits_a_phone(page, context, live_server, client):
    from tests.forums.test_selection import make_application

    call = CallFactory(blind_review=True, criteria=["Expertise", "Independence"])
    application = make_application(call, motivation="Ten years of model evaluation.")
    secretariat = make_staff("Body secretariat")
    evaluator = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    force_sign_in(context, live_server, client, evaluator)
    path = reverse("forums_bodies_staff:evaluation_detail", args=[evaluation.pk])
    violations, overflow = _check(page, live_server, path, "bodies-blind-evaluation")
    assert (violations, overflow) == ([], False)
    assert application.person.full_name not in page.inner_text("main")
