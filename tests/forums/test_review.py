"""The secretariat's review of applications: eligibility per criterion with reasons (and the
reasons in the email to an ineligible applicant), evaluators assigned and unassigned by hand
with the same-organisation check, and blind review."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.errors import DomainError
from forums import selectors, services
from forums.models import Application, EligibilityFinding, Evaluation
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_staff,
)

from .factories import BodyFactory, CallFactory
from .test_selection import make_application

pytestmark = pytest.mark.django_db

CRITERIA = ["Holds a PhD or 10 years of experience", "Independent of providers"]


@pytest.fixture
def secretariat():
    return make_staff("Body secretariat")


@pytest.fixture
def call():
    return CallFactory(
        body=BodyFactory(term_months=24), eligibility_questions=CRITERIA, criteria=["Expertise"]
    )


def test_eligibility_is_recorded_per_criterion_with_reasons(secretariat, call):
    application = make_application(call)
    with pytest.raises(DomainError) as info:  # a bare yes/no is refused
        services.eligibility_record(
            user=secretariat, application=application, findings=[(True, "PhD 2012"), (True, "")]
        )
    assert info.value.field == "reason_1"
    with pytest.raises(DomainError):  # one finding per criterion
        services.eligibility_record(
            user=secretariat, application=application, findings=[(True, "PhD 2012")]
        )
    with pytest.raises(PermissionDenied):
        services.eligibility_record(
            user=make_staff("Events manager"),
            application=application,
            findings=[(True, "a"), (True, "b")],
        )
    services.eligibility_record(
        user=secretariat,
        application=application,
        findings=[(True, "PhD 2012"), (False, "Employed by a model provider since 2024")],
    )
    application.refresh_from_db()
    assert application.status == Application.Status.INELIGIBLE
    assert application.eligibility_checked_at is not None
    # Corrected before the applicant is told: eligible again.
    services.eligibility_record(
        user=secretariat,
        application=application,
        findings=[(True, "PhD 2012"), (True, "Left the provider in 2023 (checked)")],
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert [f.met for f in application.eligibility_findings.all()] == [True, True]


def test_an_ineligible_applicant_is_told_why_in_the_decision_email(
    secretariat, call, django_capture_on_commit_callbacks
):
    ineligible = make_application(call)
    appointed = make_application(call)
    services.eligibility_record(
        user=secretariat,
        application=ineligible,
        findings=[(False, "No doctorate and 4 years of experience"), (True, "No ties")],
    )
    services.decision_prepare(user=secretariat, application=appointed, decision="appoint")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decisions_commit(user=secretariat, call=call) == 2
    told = [m for m in mail.outbox if m.to == [ineligible.person.email]]
    assert len(told) == 1
    assert "No doctorate and 4 years of experience" in told[0].body
    assert "No ties" not in told[0].body  # only the criteria not met
    ineligible.refresh_from_db()
    assert ineligible.notified_at is not None
    with pytest.raises(DomainError):  # the outcome is out: no more changes
        services.eligibility_record(
            user=secretariat, application=ineligible, findings=[(True, "a"), (True, "b")]
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decisions_commit(user=secretariat, call=call)
    assert mail.outbox == []  # told once


def test_the_eligibility_form_shows_errors_next_to_the_criterion(client, secretariat, call):
    application = make_application(call)
    client.force_login(secretariat)
    url = reverse("forums_bodies_staff:application_eligibility", args=[application.pk])
    response = client.post(url, {"met_0": "yes", "reason_0": "PhD", "met_1": "no"})
    assert response.status_code == 400
    assert not EligibilityFinding.objects.exists()
    response = client.post(
        url, {"met_0": "yes", "reason_0": "PhD", "met_1": "no", "reason_1": "Works for a lab"}
    )
    assert response.status_code == 302
    page = client.get(reverse("forums_bodies_staff:application_detail", args=[application.pk]))
    assert "Works for a lab" in page.content.decode()


def test_evaluators_are_assigned_and_unassigned_by_hand(client, secretariat, call):
    application = make_application(call)
    evaluator = make_staff("Body secretariat", first_name="Eva", last_name="Luator")
    client.force_login(secretariat)
    url = reverse("forums_bodies_staff:evaluator_add", args=[application.pk])
    assert client.post(url, {"evaluator": evaluator.pk}).status_code == 302
    evaluation = Evaluation.objects.get(application=application, evaluator=evaluator)
    again = client.post(url, {"evaluator": evaluator.pk})
    assert again.status_code == 400
    assert "already assigned" in again.content.decode()
    outsider = make_staff("Events manager")
    assert client.post(url, {"evaluator": outsider.pk}).status_code == 400  # not offered
    assert client.post(url, {"evaluator": 10**12}).status_code == 400
    with pytest.raises(DomainError):
        services.evaluator_assign(user=secretariat, application=application, evaluator=outsider)
    remove = reverse("forums_bodies_staff:evaluator_remove", args=[evaluation.pk])
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    services.evaluation_score(user=evaluator, evaluation=evaluation, scores={"Expertise": 7})
    client.post(remove)
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()  # scored: it stays
    other = make_staff("Body secretariat")
    second = services.evaluator_assign(user=secretariat, application=application, evaluator=other)
    assert client.post(
        reverse("forums_bodies_staff:evaluator_remove", args=[second.pk])
    ).status_code == (302)
    assert not Evaluation.objects.filter(pk=second.pk).exists()


def test_an_evaluator_from_the_applicants_organisation_is_refused(secretariat, call):
    organisation = OrganisationFactory()
    evaluator = make_staff("Body secretariat")
    AffiliationFactory(
        person=PersonFactory(user=evaluator, email=evaluator.email), organisation=organisation
    )
    by_organisation = make_application(call)
    Application.objects.filter(pk=by_organisation.pk).update(
        kind="organisation", organisation=organisation
    )
    employee = make_application(call)
    AffiliationFactory(person=employee.person, organisation=organisation)
    unrelated = make_application(call)
    for application in (by_organisation, employee):
        with pytest.raises(DomainError) as info:
            services.evaluator_assign(
                user=secretariat, application=application, evaluator=evaluator
            )
        assert info.value.code == "same_organisation"
    services.evaluator_assign(user=secretariat, application=unrelated, evaluator=evaluator)
    # The even assignment leaves them out of those applications too.
    others = [make_staff("Body secretariat") for _ in range(2)]
    services.evaluators_assign_balanced(
        user=secretariat, call=call, evaluators=[evaluator, *others], per_application=2
    )
    for application in (by_organisation, employee):
        assert not Evaluation.objects.filter(application=application, evaluator=evaluator).exists()
        assert Evaluation.objects.filter(application=application).count() == 2


def test_blind_review_hides_the_applicant_from_the_evaluator_until_scored(
    client, secretariat, private_media_root
):
    call = CallFactory(blind_review=True, criteria=["Expertise"])
    application = make_application(
        call, motivation="Visible motivation", nationality="MT", gender="female"
    )
    from django.core.files.base import ContentFile

    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=True)
    name = application.person.full_name
    evaluator = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    client.force_login(evaluator)
    detail = reverse("forums_bodies_staff:evaluation_detail", args=[evaluation.pk])
    cv = reverse("forums:application_cv", args=[application.pk])
    assert name not in client.get(detail).content.decode()
    client.post(detail, {"conflict": "no"})
    html = client.get(detail).content.decode()
    assert "Visible motivation" in html
    assert name not in html and "Malta" not in html and cv not in html
    assert client.get(cv).status_code == 404
    for page in (
        reverse("forums_bodies_staff:call_selection", args=[call.pk]),
        reverse("forums_bodies_staff:application_detail", args=[application.pk]),
    ):
        assert name not in client.get(page).content.decode()
    person_page = client.get(application.person.get_absolute_url()).content.decode()
    assert call.title not in person_page  # the CRM does not tie them to the application
    client.post(detail, {"c0": "8", "comment": ""})
    assert name in client.get(detail).content.decode()
    assert client.get(cv).status_code == 200
    # The secretariat, not evaluating it, always sees who applied.
    client.force_login(secretariat)
    selection = reverse("forums_bodies_staff:call_selection", args=[call.pk])
    assert name in client.get(selection).content.decode()
    assert not selectors.blinded_application_ids(user=secretariat, call=call)


@pytest.fixture
def private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_unassigning_needs_the_secretariat(call):
    application = make_application(call)
    secretariat = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=make_staff("Body secretariat")
    )
    with pytest.raises(PermissionDenied):
        services.evaluator_unassign(user=UserFactory(), evaluation=evaluation)


def test_the_applicant_sees_why_they_are_not_eligible_once_told(
    client, secretariat, call, django_capture_on_commit_callbacks
):
    application = make_application(call)
    services.eligibility_record(
        user=secretariat,
        application=application,
        findings=[(False, "Four years of experience"), (True, "No ties")],
    )
    client.force_login(application.person.user)
    assert (
        "Four years of experience"
        not in client.get(application.get_absolute_url()).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.decisions_commit(user=secretariat, call=call)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "Four years of experience" in html and "No ties" not in html
