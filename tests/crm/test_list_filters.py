"""Filters other apps add to the CRM's lists through the registry (AI Pact status, expert
body, event attendance), followed by the CSV export and the bulk actions; and the bulk
"invite to an event" that forums offers on the people list."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AccessLogEntry
from forums.models import EventInvitation
from pact import services as pact_services
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
    make_staff,
)
from tests.forums.factories import (
    BodyFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    RegistrationFactory,
)
from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db


def _names(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200
    return {o.name for o in response.context["page"].object_list}


def _people(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200
    return {p.last_name for p in response.context["page"].object_list}


@pytest.fixture
def landscape(pact_officer):
    """A pledger, a network participant and a bystander, with a person at each; a body with
    a member; an event someone attended."""
    pledger = OrganisationFactory(name="Pledger")
    rep = make_representative(pledger, last_name="AtPledger")
    make_pledge(pledger, rep, status="published", reviewer=pact_officer)
    network = OrganisationFactory(name="Networker")
    rep2 = make_representative(network, last_name="AtNetwork")
    pact_services.network_join(
        user=rep2, organisation=network, interests=["webinars"], contact_email=rep2.email
    )
    bystander = OrganisationFactory(name="Bystander")
    AffiliationFactory(organisation=bystander, person=PersonFactory(last_name="AtBystander"))
    body = BodyFactory(name="Scientific panel")
    MembershipFactory(body=body, person=rep2.person)
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
    )
    RegistrationFactory(event=past, person=rep.person, organisation=pledger, attendance="attended")
    return {"body": body, "past": past}


def test_organisations_filter_by_pact_status_body_and_attendance(client, pact_officer, landscape):
    client.force_login(pact_officer)
    assert _names(client, "/crm/organisations/?pact=pledger") == {"Pledger"}
    assert _names(client, "/crm/organisations/?pact=network") == {"Networker"}
    assert _names(client, "/crm/organisations/?pact=none") == {"Bystander"}
    assert _names(client, "/crm/organisations/") == {"Pledger", "Networker", "Bystander"}
    body = landscape["body"].pk
    assert _names(client, f"/crm/organisations/?body={body}") == {"Networker"}
    assert _names(client, "/crm/organisations/?body=any") == {"Networker"}
    assert _names(client, f"/crm/organisations/?event={landscape['past'].pk}") == {"Pledger"}
    page = client.get("/crm/organisations/").content.decode()
    assert "AI Pact" in page and "Expert body" in page and "Attended an event" in page


def test_people_filter_by_their_organisation_s_pact_status_body_and_attendance(
    client, pact_officer, landscape
):
    client.force_login(pact_officer)
    assert _people(client, "/crm/people/?pact=pledger") == {"AtPledger"}
    assert _people(client, "/crm/people/?pact=network") == {"AtNetwork"}
    assert "AtBystander" in _people(client, "/crm/people/?pact=none")
    assert _people(client, f"/crm/people/?body={landscape['body'].pk}") == {"AtNetwork"}
    assert _people(client, f"/crm/people/?event={landscape['past'].pk}") == {"AtPledger"}


def test_a_bad_filter_value_is_a_message_not_an_error(client, pact_officer, landscape):
    client.force_login(pact_officer)
    response = client.get("/crm/organisations/?pact=bogus&body=x")
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_the_csv_exports_follow_the_filters(client, pact_officer, landscape):
    client.force_login(pact_officer)
    raw = client.get("/crm/organisations/export.csv?pact=pledger").content.decode("utf-8-sig")
    assert [r["name"] for r in csv.DictReader(io.StringIO(raw))] == ["Pledger"]
    raw = client.get("/crm/people/export.csv?pact=network").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [(r["last_name"], r["organisations"]) for r in rows] == [("AtNetwork", "Networker")]
    assert AccessLogEntry.objects.filter(action="export", subject_type="crm.person").exists()


def test_bulk_actions_on_everyone_the_filters_select(client, pact_officer, landscape):
    client.force_login(pact_officer)
    response = client.post(
        "/crm/people/bulk/",
        {"everyone": "1", "filters": "pact=pledger", "action": "tag", "tag": "Pledgers"},
    )
    assert response.status_code == 302
    assert _people(client, "/crm/people/?tags=" + str(_tag_id("Pledgers"))) == {"AtPledger"}
    response = client.post(
        "/crm/organisations/bulk/",
        {"everyone": "1", "filters": "pact=none", "action": "tag", "tag": "Prospect"},
    )
    assert response.status_code == 302
    assert _names(client, "/crm/organisations/?tags=" + str(_tag_id("Prospect"))) == {"Bystander"}
    response = client.post("/crm/people/bulk/", {"action": "tag", "tag": "x"})
    assert response.status_code == 302  # nothing ticked: a message, nothing changed
    assert not _tag_id("x")


def _tag_id(name):
    from crm.models import Tag

    tag = Tag.objects.filter(name=name).first()
    return tag.pk if tag else None


def test_events_staff_invite_the_ticked_people_to_an_event(client):
    manager = make_staff("Events manager")
    event = EventFactory(audience="invited")
    people = [PersonFactory(), PersonFactory(), PersonFactory()]
    InvitationFactory(event=event, person=people[0])
    client.force_login(manager)
    page = client.get("/crm/people/").content.decode()
    assert "Invite to the event" in page and str(event) in page
    response = client.post(
        "/crm/people/bulk/",
        {"people": [p.pk for p in people], "action": "invite", "target": str(event.pk)},
        follow=True,
    )
    assert "2 people invited" in response.content.decode()
    assert "1 was already invited" in response.content.decode()
    assert EventInvitation.objects.filter(event=event, person__isnull=False).count() == 3
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    response = client.post(
        "/crm/people/bulk/",
        {"people": [people[1].pk], "action": "invite", "target": str(past.pk)},
        follow=True,
    )
    assert "Choose an upcoming event." in response.content.decode()
    assert not EventInvitation.objects.filter(event=past).exists()


def test_staff_without_the_invitation_right_cannot_invite(client, pact_officer):
    event = EventFactory()
    person = PersonFactory()
    client.force_login(pact_officer)
    assert "Invite to the event" not in client.get("/crm/people/").content.decode()
    response = client.post(
        "/crm/people/bulk/", {"people": [person.pk], "action": "invite", "target": event.pk}
    )
    assert response.status_code == 404
    assert not EventInvitation.objects.exists()


def test_filtered_lists_run_the_same_queries_whatever_the_page_holds(
    client, pact_officer, landscape
):
    client.force_login(pact_officer)
    paths = (
        "/crm/organisations/?pact=none&body=any",
        "/crm/people/?pact=none&event=any",
    )

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = {p: count(p) for p in paths}
    for _ in range(20):
        AffiliationFactory(organisation=OrganisationFactory(), person=PersonFactory())
    assert {p: count(p) for p in paths} == few


def test_the_api_filters_like_the_lists(client, pact_officer, landscape):
    from crm import services

    _token, secret = services.api_token_create(user=pact_officer, name="dashboard")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = client.get("/api/organisations/", {"pact": "pledger"}, **auth).json()
    assert [o["name"] for o in body["results"]] == ["Pledger"]
    body = client.get("/api/people/", {"body": landscape["body"].pk}, **auth).json()
    assert [p["last_name"] for p in body["results"]] == ["AtNetwork"]
