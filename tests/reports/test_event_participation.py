from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from forums.models import Registration
from reports.models import ReportRequest
from tests.crm.factories import OrganisationFactory, PersonFactory, make_staff
from tests.forums.factories import EventFactory, RegistrationFactory

from .helpers import csv_bytes, csv_figures, embedded_csv, finished, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def event():
    """One past workshop with six registrations whose figures are counted by hand below."""
    start = datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)
    event = EventFactory(title="Risk workshop", starts_at=start, ends_at=start + timedelta(hours=3))
    belgian = OrganisationFactory(name="Alpha SA", country="BE", type="company", size="small")
    german = OrganisationFactory(name="Beta eV", country="DE", type="ngo")
    S, A = Registration.Status, Registration.Attendance

    def register(first, last, organisation, status, attendance="", listed=False):
        offer = {"offer_expires_at": start} if status == S.OFFERED else {}
        RegistrationFactory(
            **offer,
            event=event,
            person=PersonFactory(first_name=first, last_name=last),
            organisation=organisation,
            status=status,
            attendance=attendance,
            on_participant_list=listed,
        )

    register("Ada", "Alpha", belgian, S.CONFIRMED, A.ATTENDED, listed=True)
    register("Bob", "Bravo", belgian, S.CONFIRMED, A.NO_SHOW)
    register("Cleo", "Charlie", german, S.CONFIRMED, A.ATTENDED, listed=True)
    register("Dina", "Delta", german, S.WAITLISTED)
    register("Emil", "Echo", german, S.OFFERED)
    register("Fay", "Foxtrot", None, S.CANCELLED, listed=True)
    # Another event, outside the report's filter.
    RegistrationFactory(event=EventFactory(), status=S.CONFIRMED)
    return event


def _ask(client, data) -> ReportRequest:
    staff = make_staff("Events manager")
    client.force_login(staff)
    response = client.post(
        reverse("reports:request_new", args=["event_participation"]), data | {"language": "en"}
    )
    report_request = ReportRequest.objects.get()
    assert response["Location"] == report_request.get_absolute_url()
    return finished(report_request)


def test_event_participation_figures_match_in_csv_and_pdf(client, event):
    report_request = _ask(client, {"event": event.pk})
    assert report_request.parameters == {"event": str(event.pk)}
    content_csv = csv_bytes(report_request)
    key = csv_figures(content_csv, "Key figures")
    assert key == {
        "Events": ["1"],
        "Registered": ["6"],
        "Confirmed": ["3"],
        "Waiting list": ["2"],
        "Cancelled": ["1"],
        "Attended": ["2"],
        "No-shows": ["1"],
        "Attendance rate": ["66.7 %"],
    }
    by_country = csv_figures(content_csv, "By country")
    assert by_country["Germany"] == ["3", "1", "2", "0", "1", "0", "100.0 %"]
    assert by_country["Belgium"] == ["2", "2", "0", "0", "1", "1", "50.0 %"]
    assert by_country["Not given"] == ["1", "0", "0", "1", "0", "0", "—"]
    by_category = csv_figures(content_csv, "By stakeholder category")
    assert by_category["SMEs"][0] == "2" and by_category["Civil society"][0] == "3"
    assert csv_figures(content_csv, "By day")["2026-03-10"][0] == "6"
    participants = csv_figures(content_csv, "Participant list")
    assert participants == {
        "Ada Alpha": ["Alpha SA", "Belgium"],
        "Cleo Charlie": ["Beta eV", "Germany"],
    }

    content_pdf = pdf_bytes(report_request)
    text = pdf_text(content_pdf)
    for line in (
        "Registered 6",
        "Confirmed 3",
        "Waiting list 2",
        "Cancelled 1",
        "Attended 2",
        "No-shows 1",
        "Attendance rate 66.7 %",
        "Germany 3 1 2 0 1 0 100.0 %",
        "Belgium 2 2 0 0 1 1 50.0 %",
        "Ada Alpha · Alpha SA · Belgium",
        "Cleo Charlie · Beta eV · Germany",
    ):
        assert line in text.splitlines(), line
    assert "Bravo" not in text and "Foxtrot" not in text  # not on the list: no consent, cancelled
    assert "Participation in Risk workshop" in text
    assert embedded_csv(content_pdf) == content_csv


def test_period_and_country_filters(client, event):
    report_request = _ask(
        client, {"date_from": "2026-03-01", "date_to": "2026-03-31", "country": "DE"}
    )
    key = csv_figures(csv_bytes(report_request), "Key figures")
    assert key["Registered"] == ["3"] and key["Confirmed"] == ["1"]


def test_invalid_filters_change_nothing(client, event):
    client.force_login(make_staff("Events manager"))
    response = client.post(
        reverse("reports:request_new", args=["event_participation"]),
        {"date_from": "2026-03-31", "date_to": "2026-03-01", "language": "en"},
    )
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    assert not ReportRequest.objects.exists()
