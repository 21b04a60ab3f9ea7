"""The figures of the AI Pact overview, body participation and organisation engagement
reports, on fixed data, as counted by hand: in the CSV and in the PDF's text."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from crm.models import Note
from forums.models import Application, Membership, Registration
from pact.models import NetworkMembership, ProgressReport
from reports.models import ReportKind
from reports.services import report_request_create
from tests.crm.factories import OrganisationFactory, PersonFactory, make_staff
from tests.forums.factories import (
    BalanceRuleFactory,
    BodyFactory,
    CallFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
)

from .helpers import csv_bytes, csv_figures, embedded_csv, finished, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def _run(kind, parameters, roles=("Pact officer",)):
    staff = make_staff(*roles)
    report_request = report_request_create(
        user=staff, kind=kind, parameters=parameters, language="en"
    )
    report_request = finished(report_request)
    content_csv, content_pdf = csv_bytes(report_request), pdf_bytes(report_request)
    assert embedded_csv(content_pdf) == content_csv
    return content_csv, pdf_text(content_pdf).splitlines()


@pytest.fixture
def pact_world(pledge_factory):
    today = timezone.localdate()
    alpha, _rep = pledge_factory(
        "published",
        organisation=OrganisationFactory(name="Alpha", country="BE", size="large"),
        extra_codes=["DEPL-5"],
    )
    beta, _rep = pledge_factory(
        "published", organisation=OrganisationFactory(name="Beta", country="US", type="startup")
    )
    pledge_factory("submitted", organisation=OrganisationFactory(name="Gamma", country="BE"))
    pledge_factory("withdrawn", organisation=OrganisationFactory(name="Delta", country="FR"))
    ProgressReport.objects.create(
        pledge=alpha,
        due_on=today - timedelta(days=1),
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    alpha.next_report_due = today + timedelta(days=365)
    alpha.save(update_fields=["next_report_due"])
    beta.next_report_due = today - timedelta(days=10)
    beta.save(update_fields=["next_report_due"])
    for pledge in (alpha, beta):
        NetworkMembership.objects.create(
            organisation=pledge.organisation, contact_email="network@example.eu"
        )
    NetworkMembership.objects.create(
        organisation=OrganisationFactory(name="Left"),
        contact_email="left@example.eu",
        status=NetworkMembership.Status.LEFT,
    )


def test_pact_overview(pact_world):
    content_csv, lines = _run(ReportKind.PACT_OVERVIEW, {})
    key = csv_figures(content_csv, "Key figures")
    assert key["AI Pact network participants"] == ["2"]
    assert key["Pledgers (published pledges)"] == ["2"]
    assert key["Withdrawals in the period"] == ["1"]
    assert key["Progress reports due"] == ["2"]  # Beta's, past due, and Alpha's, received
    assert key["Progress reports received"] == ["1"]
    assert key["Progress reports accepted"] == ["1"]
    assert key["Progress reports overdue today"] == ["1"]
    assert csv_figures(content_csv, "Pledgers by HQ region") == {
        "European Union": ["1"],
        "United States": ["1"],
    }
    assert csv_figures(content_csv, "Pledgers by AI role") == {"Provider and deployer": ["2"]}
    assert csv_figures(content_csv, "Pledgers by organisation type") == {
        "Company": ["1"],
        "Start-up": ["1"],
    }
    commitments = csv_figures(content_csv, "Commitments chosen")
    assert commitments["DEPL-5"] == ["1", "50.0 %"]
    assert commitments["CORE-1"] == ["2", "100.0 %"]
    for line in (
        "AI Pact network participants 2",
        "Pledgers (published pledges) 2",
        "Withdrawals in the period 1",
        "Progress reports due 2",
        "Progress reports overdue today 1",
        "European Union 1",
        "DEPL-5 1 50.0 %",
    ):
        assert line in lines, line


def test_pact_overview_filtered_by_region(pact_world):
    content_csv, lines = _run(ReportKind.PACT_OVERVIEW, {"hq_region": "us"})
    key = csv_figures(content_csv, "Key figures")
    assert key["Pledgers (published pledges)"] == ["1"]
    assert key["AI Pact network participants"] == ["1"]
    assert key["Withdrawals in the period"] == ["0"]
    assert "HQ region United States" in lines


def test_body_participation():
    now = timezone.now()
    today = timezone.localdate()
    body = BodyFactory(name="Advisory group")
    BalanceRuleFactory(body=body)  # at least 80 % EU/EEA nationals
    ngo = OrganisationFactory(type="ngo", country="BE")
    anna = PersonFactory(first_name="Anna", last_name="Ames", nationality="BE")
    ben = PersonFactory(first_name="Ben", last_name="Birch", nationality="US")
    old = PersonFactory(first_name="Olga", last_name="Old", nationality="BE")
    MembershipFactory(
        body=body,
        person=anna,
        organisation=ngo,
        member_type=Membership.MemberType.REPRESENTATIVE,
        term_start=today - timedelta(days=200),
    )
    MembershipFactory(
        body=body,
        person=ben,
        term_start=today - timedelta(days=200),
        term_end=today + timedelta(days=30),
    )
    MembershipFactory(
        body=body,
        person=old,
        term_start=today - timedelta(days=1000),
        term_end=today - timedelta(days=500),
        status=Membership.Status.ENDED,
    )
    meetings = [
        EventFactory(
            body=body,
            title=f"Meeting {n}",
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days) + timedelta(hours=2),
        )
        for n, days in ((1, 60), (2, 30))
    ]
    EventFactory(body=body, title="Meeting 3")  # in the future: not held yet
    A = Registration.Attendance
    for meeting in meetings:
        RegistrationFactory(event=meeting, person=anna, attendance=A.ATTENDED)
    RegistrationFactory(event=meetings[0], person=ben, attendance=A.ATTENDED)
    RegistrationFactory(event=meetings[1], person=ben, attendance=A.NO_SHOW)

    content_csv, lines = _run(
        ReportKind.BODY_PARTICIPATION, {"body": str(body.pk)}, roles=("Body secretariat",)
    )
    key = csv_figures(content_csv, "Key figures")
    assert key == {
        "Meetings held": ["2"],
        "Members in the period": ["2"],
        "Attendances": ["3"],
        "Attendance rate": ["75.0 %"],
        "Current members": ["2"],
        "Terms ending": ["1"],
        "Balance rules not met": ["1"],
    }
    members = csv_figures(content_csv, "Attendance per member")
    assert members["Anna Ames"] == ["Civil society", "Member", "2", "2", "100.0 %"]
    assert members["Ben Birch"] == ["Other", "Member", "2", "1", "50.0 %"]
    assert "Olga Old" not in members
    categories = csv_figures(content_csv, "Attendance per category")
    assert categories["Civil society"] == ["1", "2", "2", "100.0 %"]
    assert categories["Other"] == ["1", "2", "1", "50.0 %"]
    assert list(csv_figures(content_csv, "Terms ending")) == ["Ben Birch"]
    balance = csv_figures(content_csv, "Balance of the current membership")
    assert balance["At least 80 % EU/EEA nationals"] == ["eu_eea", "1", "2", "50.0 %", "Not met"]
    for line in (
        "Meetings held 2",
        "Attendance rate 75.0 %",
        "Balance rules not met 1",
        "Anna Ames · Civil society · Member · 2 · 2 · 100.0 %",
        "Ben Birch · Other · Member · 2 · 1 · 50.0 %",
    ):
        assert line in lines, line


def test_organisation_engagement(pledge_factory):
    pledge, representative = pledge_factory(
        "published", organisation=OrganisationFactory(name="Engaged Ltd")
    )
    organisation = pledge.organisation
    person = representative.person
    NetworkMembership.objects.create(organisation=organisation, contact_email="n@example.eu")
    body = BodyFactory(name="Scientific group")
    MembershipFactory(
        body=body,
        person=person,
        organisation=organisation,
        member_type=Membership.MemberType.REPRESENTATIVE,
    )
    application = Application(
        call=CallFactory(body=body, title="Call for experts"),
        kind="organisation",
        person=person,
        organisation=organisation,
        role="member",
        status="submitted",
        submitted_at=timezone.now(),
        submitted_by=representative,
    )
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4"), save=False)
    application.save()
    RegistrationFactory(
        event=EventFactory(title="Webinar on risk", starts_at=timezone.now() - timedelta(days=3)),
        person=person,
        organisation=organisation,
        attendance=Registration.Attendance.ATTENDED,
    )
    RegistrationFactory(person=person, organisation=organisation)  # not attended
    for text in ("Call about the pledge", "Met at the workshop"):
        Note.objects.create(organisation=organisation, text=text)

    content_csv, lines = _run(
        ReportKind.ORGANISATION_ENGAGEMENT, {"organisation": str(organisation.pk)}
    )
    assert csv_figures(content_csv, "Key figures") == {
        "Pledges": ["1"],
        "Progress reports received": ["0"],
        "Progress reports accepted": ["0"],
        "AI Pact network": ["Expressed interest"],
        "Expert body memberships": ["1"],
        "Applications to calls": ["1"],
        "Events attended": ["1"],
        "Notes": ["2"],
    }
    assert list(csv_figures(content_csv, "Events attended").values())[0][0] == "Webinar on risk"
    assert "Engagement of Engaged Ltd" in lines
    for line in ("Pledges 1", "Expert body memberships 1", "Events attended 1", "Notes 2"):
        assert line in lines, line


def test_unknown_organisation_is_refused():
    from core.errors import DomainError

    with pytest.raises(DomainError):
        report_request_create(
            user=make_staff("Pact officer"),
            kind=ReportKind.ORGANISATION_ENGAGEMENT,
            parameters={"organisation": "999999"},
            language="en",
        )
