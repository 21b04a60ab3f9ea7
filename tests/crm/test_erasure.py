"""Erasure anonymises a person in every app and leaves every figure the reports use unchanged."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from core.models import AuditEntry
from crm import selectors as crm_selectors
from crm import services
from crm.models import Affiliation, ErasureRequest, Note, Person
from crm.privacy import ERASED_NAME
from forums import selectors as forums_selectors
from forums.models import Registration
from pact import selectors as pact_selectors
from pact.models import NetworkMembership, Pledge
from reports.figures import report_figures as report_kind_figures
from reports.filters import filterset_for
from reports.models import ReportKind
from tests.forums.factories import BodyFactory, MembershipFactory, RegistrationFactory

from .factories import PersonFactory, make_staff

pytestmark = pytest.mark.django_db


def report_figures(staff) -> dict:
    """The figures the reports and staff pages show: registrations per event by status and
    attendance, pledges per status and in the public register, network members, people per
    organisation."""
    events = {
        event.pk: (
            event.registered_count,
            event.offered_count,
            event.waitlisted_count,
            event.cancelled_count,
            event.attended_count,
            event.no_show_count,
        )
        for event in forums_selectors.events_staff(user=staff)
    }
    network = {
        status: pact_selectors.staff_network_list(user=staff, status=status).count()
        for status in NetworkMembership.Status.values
    }
    return {
        "events": events,
        "pledges": pact_selectors.staff_pledge_counts(user=staff),
        "register": pact_selectors.register_counts(pact_selectors.public_pledges()),
        "public_pledges": pact_selectors.public_pledges().count(),
        "network": network,
        "people_per_organisation": dict(
            crm_selectors.organisation_list(user=staff).values_list("pk", "people_count")
        ),
        "people": Person.objects.count(),
        "registrations_per_organisation": dict(
            Registration.objects.values_list("organisation").annotate(n=Count("pk")).order_by()
        ),
    }


def report_kinds_figures(*, organisation, body, event) -> dict:
    """Every table of the four staff report kinds except the lists of people by name (which
    drop an erased person who had agreed to appear on them)."""
    parameters = {
        ReportKind.EVENT_PARTICIPATION: {"event": event.pk},
        ReportKind.PACT_OVERVIEW: {},
        ReportKind.BODY_PARTICIPATION: {"body": body.pk},
        ReportKind.ORGANISATION_ENGAGEMENT: {"organisation": organisation.pk},
    }
    figures = {}
    for kind, data in parameters.items():
        filterset = filterset_for(kind, data)
        assert filterset.is_valid(), filterset.errors
        report = report_kind_figures(kind, filterset)
        figures[kind] = [
            (table.title, [list(map(str, row)) for row in table.rows])
            for table in report.tables
            if not table.listing
        ]
        assert figures[kind], kind
    return figures


@pytest.fixture
def everyone():
    return make_staff(
        "Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator"
    )


def test_erasure_anonymises_the_person_everywhere_and_keeps_every_figure(
    client, rich_representative, everyone
):
    user = rich_representative
    person = user.person
    old_email, old_name = user.email, person.full_name
    RegistrationFactory(event=Registration.objects.first().event)  # someone else, untouched
    before = report_figures(everyone)

    client.force_login(user)
    client.post(reverse("me:erasure_request"), {"confirm": "on", "reason": "Leaving"})
    erasure = ErasureRequest.objects.get()
    client.force_login(everyone)
    response = client.post(
        reverse("crm:erasure_request_detail", args=[erasure.pk]), {"decision": "carry_out"}
    )
    assert response.status_code == 302

    assert report_figures(everyone) == before
    person.refresh_from_db()
    assert person.full_name == ERASED_NAME
    assert person.email.endswith("@erased.invalid") and person.phone == ""
    assert not Note.objects.filter(person=person).exists()
    assert not person.consents.filter(withdrawn_at__isnull=True).exists()
    assert not Affiliation.objects.acting().filter(person=person).exists()
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email == person.email and user.first_name == ""
    pledge = Pledge.objects.get()
    assert pledge.signatory_name == ERASED_NAME
    assert pledge.status == Pledge.Status.PUBLISHED
    assert NetworkMembership.objects.get().contact_email == person.email
    assert not Registration.objects.filter(person=person).exclude(special_requirements="").exists()
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.DONE and erasure.reason == ""

    entry = AuditEntry.objects.get(action="crm.person.erased")
    recorded = json.dumps(entry.data)
    assert entry.data["counts"]["pact"]["pledges"] == 1
    assert old_email not in recorded and "Grace" not in recorded and old_name not in recorded

    assert not client.login(username=old_email, password="correct-horse-battery")
    assert not get_user_model().objects.filter(email=old_email).exists()
    assert not Person.objects.filter(email=old_email).exists()


def test_every_report_kind_adds_up_to_the_same_totals_after_an_erasure(
    rich_representative, everyone
):
    person = rich_representative.person
    organisation = Affiliation.objects.filter(person=person).get().organisation
    body = BodyFactory()
    MembershipFactory(body=body, person=person)
    MembershipFactory(body=body)
    event = Registration.objects.filter(person=person, attendance="attended").get().event
    RegistrationFactory(event=event)
    before = report_kinds_figures(organisation=organisation, body=body, event=event)

    erasure = services.erasure_request_create(user=rich_representative, reason="Leaving")
    services.erasure_request_carry_out(user=everyone, erasure_request=erasure)

    assert report_kinds_figures(organisation=organisation, body=body, event=event) == before
    person.refresh_from_db()
    assert person.full_name == ERASED_NAME


def test_erasure_of_a_contact_without_an_account(everyone):
    registration = RegistrationFactory(person=PersonFactory(), special_requirements="Wheelchair")
    person = registration.person
    erasure = ErasureRequest.objects.create(
        person=person, due_on=ErasureRequest.due_for(registration.created_at)
    )
    counts = services.erasure_request_carry_out(user=everyone, erasure_request=erasure)
    assert counts["crm"]["accounts"] == 0
    assert counts["forums"]["special_requirements"] == 1
    registration.refresh_from_db()
    assert registration.special_requirements == "" and registration.person_id == person.pk
