"""An organisation nominating several people (a member and an alternate) where the body allows
it, through its representative; the appointment makes them members; the CRM's organisation and
person pages show them."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from forums import services
from forums.models import Application, Membership
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
    make_staff,
)

from .factories import BodyFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    organisation = OrganisationFactory(transparency_register_id="123456789-01", type="ngo")
    representative = make_representative(organisation)
    colleagues = [PersonFactory(first_name=n) for n in ("Marie", "Jonas", "Petra")]
    for person in colleagues:
        AffiliationFactory(person=person, organisation=organisation)
    body = BodyFactory(nominees_per_organisation=2, term_months=24)
    call = CallFactory(body=body, applicants="organisations")
    application = services.application_save(
        user=representative,
        call=call,
        organisation=organisation,
        role="member",
        expertise="Civil society",
        motivation="Represent users",
    )
    return representative, organisation, colleagues, call, application


def test_a_representative_nominates_a_member_and_an_alternate(setup):
    representative, organisation, (marie, jonas, petra), call, application = setup
    services.nomination_add(
        user=representative, application=application, person=marie, seat="member"
    )
    with pytest.raises(DomainError):  # once each
        services.nomination_add(
            user=representative, application=application, person=marie, seat="alternate"
        )
    services.nomination_add(
        user=representative, application=application, person=jonas, seat="alternate"
    )
    with pytest.raises(DomainError) as info:  # the body allows two
        services.nomination_add(
            user=representative, application=application, person=petra, seat="alternate"
        )
    assert info.value.code == "too_many_nominees"
    stranger = PersonFactory()
    nomination = application.nominations.get(person=jonas)
    services.nomination_remove(user=representative, nomination=nomination)
    with pytest.raises(DomainError):  # not of the organisation
        services.nomination_add(
            user=representative, application=application, person=stranger, seat="alternate"
        )
    services.nomination_add(
        user=representative, application=application, person=jonas, seat="alternate"
    )
    services.application_save(user=representative, call=call, application=application, submit=True)
    with pytest.raises(DomainError):  # submitted: frozen
        services.nomination_remove(
            user=representative, nomination=application.nominations.get(person=jonas)
        )


def test_only_alternates_is_refused_on_submission(setup):
    representative, _organisation, (marie, *_rest), call, application = setup
    services.nomination_add(
        user=representative, application=application, person=marie, seat="alternate"
    )
    with pytest.raises(DomainError):
        services.application_save(
            user=representative, call=call, application=application, submit=True
        )


def test_only_the_representative_of_the_organisation_nominates(setup):
    _representative, _organisation, (marie, *_rest), _call, application = setup
    other = make_representative(OrganisationFactory())
    with pytest.raises(DomainError):
        services.nomination_add(user=other, application=application, person=marie, seat="member")


def test_the_appointment_makes_the_nominees_members(
    setup, client, django_capture_on_commit_callbacks
):
    representative, organisation, (marie, jonas, _petra), call, application = setup
    services.nomination_add(
        user=representative, application=application, person=marie, seat="member"
    )
    services.nomination_add(
        user=representative, application=application, person=jonas, seat="alternate"
    )
    services.application_save(user=representative, call=call, application=application, submit=True)
    secretariat = make_staff("Body secretariat")
    services.decision_prepare(user=secretariat, application=application, decision="appoint")
    with django_capture_on_commit_callbacks(execute=True):
        services.decisions_commit(user=secretariat, call=call)
    memberships = Membership.objects.filter(body=call.body).order_by("person__first_name")
    assert [(m.person, m.organisation, m.member_type) for m in memberships] == [
        (jonas, organisation, Membership.MemberType.ALTERNATE),
        (marie, organisation, Membership.MemberType.REPRESENTATIVE),
    ]
    assert Application.objects.get(pk=application.pk).status == "appointed"
    client.force_login(secretariat)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Members representing the organisation" in html
    assert marie.full_name in html and jonas.full_name in html
    person_page = client.get(marie.get_absolute_url()).content.decode()
    assert call.body.name in person_page


def test_the_application_page_offers_nomination_only_where_the_body_allows(setup, client):
    representative, organisation, (marie, *_rest), call, application = setup
    client.force_login(representative)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("forums:application_nominate", args=[application.pk]) in page
    assert marie.full_name in page  # offered
    response = client.post(
        reverse("forums:application_nominate", args=[application.pk]),
        {"person": marie.pk, "seat": "member"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("forums:application_nominate", args=[application.pk]),
        {"person": PersonFactory().pk, "seat": "member"},
    )
    assert response.status_code == 400
    single = CallFactory(body=BodyFactory(nominees_per_organisation=1), applicants="organisations")
    draft = services.application_save(
        user=representative,
        call=single,
        organisation=organisation,
        role="member",
        expertise="x",
        motivation="y",
    )
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("forums:application_nominate", args=[draft.pk]) not in page
