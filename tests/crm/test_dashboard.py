"""The back office's home: what waits, what is happening, and figures that each open the list
they count."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Affiliation, ErasureRequest
from forums.models import Application, Registration
from pact import services as pact_services
from pact.models import NetworkMembership, Pledge, ProgressReport
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
    make_staff,
)
from tests.forums.factories import CallFactory, EventFactory, RegistrationFactory
from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_office(pact_officer, django_capture_on_commit_callbacks):
    """A bit of everything the dashboard counts, with items that must not be counted beside
    each kind."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        pledges = {}
        for status in ("draft", "submitted", "submitted", "published", "published", "published"):
            organisation = OrganisationFactory()
            representative = make_representative(organisation)
            pledge = make_pledge(organisation, representative, status=status, reviewer=pact_officer)
            pledges.setdefault(status, []).append((pledge, representative))
        overdue, late_but_handed_in, on_time = (p for p, _rep in pledges["published"])
        Pledge.objects.filter(pk=overdue.pk).update(next_report_due=today - datetime.timedelta(5))
        Pledge.objects.filter(pk=late_but_handed_in.pk).update(
            next_report_due=today - datetime.timedelta(3)
        )
        ProgressReport.objects.create(
            pledge=late_but_handed_in,
            due_on=today - datetime.timedelta(3),
            status=ProgressReport.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        organisation = OrganisationFactory()
        pact_services.network_join(
            user=make_representative(organisation),
            organisation=organisation,
            interests=["webinars"],
            contact_email="network@example.eu",
        )
    for _ in range(2):
        AffiliationFactory(
            person=PersonFactory(),
            organisation=OrganisationFactory(),
            status=Affiliation.Status.REQUESTED,
            is_representative=True,
        )
    ErasureRequest.objects.create(person=PersonFactory(), due_on=today)
    ErasureRequest.objects.create(
        person=PersonFactory(), due_on=today, status=ErasureRequest.Status.DONE
    )
    soon = EventFactory(capacity=4)
    later = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=40), capacity=None)
    EventFactory(starts_at=timezone.now() - datetime.timedelta(days=40))  # past
    for _ in range(3):
        RegistrationFactory(event=soon)
    RegistrationFactory(event=soon, status=Registration.Status.WAITLISTED, confirmed_at=None)
    RegistrationFactory(event=soon, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=later)
    open_call = CallFactory()
    CallFactory(  # closed
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    for status in (Application.Status.SUBMITTED, Application.Status.SUBMITTED, "draft"):
        Application.objects.create(
            call=open_call,
            kind=Application.Kind.INDIVIDUAL,
            person=PersonFactory(),
            role="member",
            status=status,
        )
    return {"soon": soon, "later": later, "call": open_call}


def dashboard_figures(response) -> list[dict]:
    figures = [
        {"label": str(line["queue"].label), "count": line["count"], "url": line["url"]}
        for line in response.context["waiting"]
    ]
    for section in response.context["sections"]:
        context = section["context"]
        figures += context.get("figures", []) + context.get("linked", [])
    return figures


def list_count(client, url: str) -> int:
    parts = urlsplit(url)
    response = client.get(parts.path, dict(p.split("=") for p in parts.query.split("&") if p))
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_dashboard_figure_equals_the_list_it_links_to(client, staff, busy_office):
    client.force_login(staff)
    response = client.get(reverse("crm:dashboard"))
    assert response.status_code == 200
    figures = dashboard_figures(response)
    by_url = {figure["url"]: figure["count"] for figure in figures}
    # the figures are the expected ones, not just consistent
    queue = reverse("pact_staff:pledge_queue")
    assert by_url[queue] == 2  # pledges to review
    assert by_url[f"{queue}?status=published&report=overdue"] == 1
    assert by_url[f"{queue}?status=published"] == 3
    assert by_url[reverse("crm:affiliation_queue")] >= 2
    assert by_url[reverse("crm:erasure_request_list") + "?status=pending"] == 1
    soon = reverse("forums_staff:event_detail", args=[busy_office["soon"].pk])
    assert by_url[f"{soon}?status=confirmed"] == 3
    assert by_url[f"{soon}?status=waitlisted"] == 1
    call = reverse("forums_bodies_staff:call_selection", args=[busy_office["call"].pk])
    assert by_url[call] == 2
    assert len(figures) >= 10
    for figure in figures:
        assert list_count(client, figure["url"]) == figure["count"], figure


def test_dashboard_shows_fill_rate_oldest_waiting_and_charts(client, staff, busy_office):
    client.force_login(staff)
    html = client.get(reverse("crm:dashboard")).content.decode()
    assert "75 %" in html  # 3 confirmed of 4 places
    assert "oldest:" in html
    assert busy_office["call"].title in html
    assert html.count("<svg") == 2  # pact per month, event participants per month
    assert "Upcoming events" in html and "Open calls for expert bodies" in html


def test_past_events_and_closed_calls_stay_off_the_dashboard(client, staff, busy_office):
    client.force_login(staff)
    response = client.get(reverse("crm:dashboard"))
    sections = {s["panel"].name: s["context"] for s in response.context["sections"]}
    assert [row["event"] for row in sections["events"]["rows"]] == [
        busy_office["soon"],
        busy_office["later"],
    ]
    assert [row["call"] for row in sections["calls"]["rows"]] == [busy_office["call"]]


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("Pact officer", {"pact"}),
        ("Events manager", {"events"}),
        ("Body secretariat", {"calls"}),
        ("Data-protection coordinator", {"events"}),  # may see registrations
    ],
)
def test_each_role_sees_only_its_sections(client, busy_office, role, sections):
    client.force_login(make_staff(role))
    response = client.get(reverse("crm:dashboard"))
    assert {s["panel"].name for s in response.context["sections"]} == sections


def test_dashboard_is_refused_to_non_staff(client, busy_office):
    client.force_login(make_representative())
    assert client.get(reverse("crm:dashboard")).status_code in (302, 403)


def test_dashboard_runs_the_same_queries_whatever_the_data(
    client, staff, busy_office, django_assert_max_num_queries, pact_officer
):
    client.force_login(staff)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the per-month charts are cached for a few minutes: count them too
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("crm:dashboard"))
    for _ in range(3):
        RegistrationFactory(event=EventFactory())
        CallFactory()
        organisation = OrganisationFactory()
        make_pledge(
            organisation,
            make_representative(organisation),
            status="published",
            reviewer=pact_officer,
        )
    NetworkMembership.objects.create(
        organisation=OrganisationFactory(), contact_email="more@example.eu"
    )
    cache.clear()
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("crm:dashboard"))
    assert len(second) == len(first)
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("crm:dashboard"))
    assert len(warm) == len(first) - 4
    assert len(first) <= 30
