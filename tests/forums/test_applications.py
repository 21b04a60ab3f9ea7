"""Applying to a call: drafts, submission while open, the one-application rules, the CV checks,
withdrawal, the private CV download and the status on /me/."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from forums import services
from forums.models import Application, Call
from tests.crm.factories import OrganisationFactory, UserFactory, make_representative, make_staff

from .factories import CallFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


def pdf(name="cv.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete(**extra):
    return {
        "role": "member",
        "expertise": "Evaluation of general-purpose models",
        "motivation": "To help.",
        "nationality": "BE",
        "gender": "female",
    } | extra


def apply(user, call, *, submit=True, cv="default", **fields):
    return services.application_save(
        user=user,
        call=call,
        cv=pdf() if cv == "default" else cv,
        submit=submit,
        **complete(**fields),
    )


def _code(callable_, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        callable_(*args, **kwargs)
    return info.value


def test_an_individual_saves_a_draft_then_submits_it(private_media):
    user = UserFactory()
    call = CallFactory(applicants=Call.Applicants.INDIVIDUALS)
    draft = services.application_save(user=user, call=call, role="member", expertise="AI")
    assert draft.status == Application.Status.DRAFT
    submitted = services.application_save(
        user=user, call=call, application=draft, cv=pdf(), submit=True, **complete()
    )
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at is not None
    stored = private_media / submitted.cv.name
    assert stored.exists() and stored.read_bytes().startswith(b"%PDF-")


def test_submission_needs_the_cv_and_what_the_call_asks():
    call = CallFactory()
    error = _code(apply, UserFactory(), call, cv=None)
    assert error.field == "cv"
    error = _code(apply, UserFactory(), call, motivation="  ")
    assert error.field == "motivation"
    assert not Application.objects.exists()


def test_a_closed_or_future_call_refuses_applications():
    now = timezone.now()
    closed = CallFactory(opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    future = CallFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=9))
    assert _code(apply, UserFactory(), closed).code == "closed"
    assert _code(apply, UserFactory(), future).code == "closed"
    assert not Application.objects.exists()


def test_a_cv_that_is_not_a_pdf_by_its_content_is_refused():
    error = _code(apply, UserFactory(), CallFactory(), cv=pdf("cv.pdf", b"MZ\x90\x00 not a pdf"))
    assert error.field == "cv" and "PDF" in str(error)
    assert not Application.objects.exists()


def test_a_cv_above_5_mb_is_refused():
    big = pdf(content=b"%PDF-" + b"0" * (5 * 1024 * 1024))
    error = _code(apply, UserFactory(), CallFactory(), cv=big)
    assert "5 MB" in str(error)


def test_nobody_applies_twice_to_a_call_even_for_another_role():
    user = UserFactory()
    call = CallFactory(roles=["member", "chair"])
    apply(user, call, role="member")
    error = _code(apply, user, call, role="chair")
    assert error.code == "already_applied"
    assert call.applications.count() == 1


def test_a_role_the_call_does_not_offer_is_refused():
    error = _code(apply, UserFactory(), CallFactory(roles=["member"]), role="chair")
    assert error.field == "role"


def test_one_application_per_organisation_per_call():
    organisation = OrganisationFactory(transparency_register_id="123456789012-34")
    call = CallFactory(applicants=Call.Applicants.ORGANISATIONS)
    first = apply(make_representative(organisation), call, organisation=organisation, cv=None)
    assert first.kind == Application.Kind.ORGANISATION
    assert first.transparency_register_id == "123456789012-34"
    error = _code(apply, make_representative(organisation), call, organisation=organisation)
    assert error.code == "organisation_already_applied"


def test_an_organisation_needs_a_transparency_register_id_and_a_verified_representative():
    organisation = OrganisationFactory(transparency_register_id="")
    call = CallFactory(applicants=Call.Applicants.ORGANISATIONS)
    error = _code(apply, make_representative(organisation), call, organisation=organisation)
    assert error.code == "register_id_missing"
    registered = OrganisationFactory(transparency_register_id="123456789012-34")
    error = _code(
        apply, make_representative(registered, verified=False), call, organisation=registered
    )
    assert "confirm your email" in str(error)
    error = _code(apply, UserFactory(), call, organisation=registered)
    assert error.field == "organisation"


def test_a_call_for_organisations_refuses_individuals_and_the_reverse():
    assert _code(apply, UserFactory(), CallFactory(applicants="organisations")).field == (
        "organisation"
    )
    organisation = OrganisationFactory(transparency_register_id="123456789012-34")
    error = _code(
        apply,
        make_representative(organisation),
        CallFactory(applicants="individuals"),
        organisation=organisation,
    )
    assert "individuals only" in str(error)


def test_a_submitted_application_cannot_change_but_can_be_withdrawn():
    user = UserFactory()
    call = CallFactory()
    application = apply(user, call)
    error = _code(
        services.application_save, user=user, call=call, application=application, role="member"
    )
    assert error.code == "not_draft"
    withdrawn = services.application_withdraw(user=user, application=application)
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert apply(user, call).status == Application.Status.SUBMITTED  # may apply again


def test_a_decided_application_cannot_be_withdrawn():
    user = UserFactory()
    application = apply(user, CallFactory())
    Application.objects.filter(pk=application.pk).update(status="appointed")
    assert _code(services.application_withdraw, user=user, application=application).code == (
        "decided"
    )


def test_someone_else_cannot_withdraw_or_edit_an_application():
    application = apply(UserFactory(), CallFactory(), submit=False)
    other = UserFactory()
    _code(services.application_withdraw, user=other, application=application)
    _code(
        services.application_save,
        user=other,
        call=application.call,
        application=application,
        role="member",
    )


def test_applying_on_the_page_and_seeing_the_status_on_me(client):
    user = UserFactory()
    call = CallFactory(title="Experts wanted")
    client.force_login(user)
    page = client.get(call.get_absolute_url()).content.decode()
    assert reverse("forums:call_apply", args=[call.pk]) in page
    response = client.post(
        reverse("forums:call_apply", args=[call.pk]),
        complete(cv=pdf(), submit="1"),
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    assert application.status == "submitted"
    me = client.get(reverse("me:dashboard")).content.decode()
    assert "Experts wanted" in me and "Submitted" in me
    # A second visit to the apply page leads to the existing application.
    assert client.get(reverse("forums:call_apply", args=[call.pk])).url == (
        application.get_absolute_url()
    )


def test_a_bad_cv_on_the_page_is_a_clear_message_and_saves_nothing(client):
    user = UserFactory()
    call = CallFactory()
    client.force_login(user)
    response = client.post(
        reverse("forums:call_apply", args=[call.pk]),
        complete(cv=pdf("cv.pdf", b"<html>"), submit="1"),
    )
    assert response.status_code == 400
    assert "The CV must be a PDF file." in response.content.decode()
    assert not Application.objects.exists()


def test_the_cv_is_served_only_to_the_applicant_and_the_body_secretariat(client):
    owner = UserFactory()
    application = apply(owner, CallFactory())
    url = reverse("forums:application_cv", args=[application.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(make_staff("Events manager"))
    assert client.get(url).status_code == 404
    for user in (owner, make_staff("Body secretariat")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_applicants_data_is_exported_and_erased_with_the_person(private_media):
    from crm import services as crm_services
    from crm.models import ErasureRequest
    from forums import privacy

    user = UserFactory()
    application = apply(user, CallFactory(title="Experts wanted"), motivation="My reasons")
    person = application.person
    exported = privacy.export_person(person=person)["expert_body_applications"]
    assert exported[0]["call"] == "Experts wanted" and exported[0]["motivation"] == "My reasons"
    stored = private_media / application.cv.name
    assert stored.exists()
    erasure = ErasureRequest.objects.create(person=person, due_on=timezone.localdate())
    counts = crm_services.erasure_request_carry_out(
        user=make_staff("Data-protection coordinator"), erasure_request=erasure
    )
    assert counts["forums"]["expert_body_applications"] == 1
    application.refresh_from_db()
    assert (application.motivation, application.gender, application.cv.name) == ("", "", "")
    assert not stored.exists()
    assert application.status == "submitted"  # the call's figures still add up
