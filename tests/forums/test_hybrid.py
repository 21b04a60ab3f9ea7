"""Hybrid events: each participant says how they attend; the room and the online places have
a capacity and a waiting list each; the link goes to those online, the venue to those in the
room; check-in counts each way."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from crm.models import Consent
from forums import services
from forums.models import Registration
from tests.crm.factories import UserFactory

from .conftest import member_of
from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _hybrid(**kwargs):
    options = {
        "format": "hybrid",
        "capacity": 1,
        "online_capacity": 2,
        "stream_url": "https://stream.example.eu/hybrid-secret",
    }
    return EventFactory(**{**options, **kwargs})


def test_a_hybrid_event_asks_how_one_attends_and_refuses_without_changing_anything(user):
    event = _hybrid()
    with pytest.raises(DomainError) as refusal:
        services.registration_create(user=user, event=event, on_participant_list=True)
    assert refusal.value.code == "mode_required" and refusal.value.field == "mode"
    assert not Registration.objects.exists()
    assert not Consent.objects.exists()


def test_an_event_of_one_format_takes_its_only_way_and_refuses_another(user, register):
    online = EventFactory(format="online")
    assert register(user, online).mode == Registration.Mode.ONLINE
    in_room = EventFactory(format="in_person")
    with pytest.raises(DomainError) as refusal:
        register(UserFactory(), in_room, mode="online")
    assert refusal.value.code == "mode_unavailable"


def test_the_room_and_the_online_places_fill_and_wait_separately(register, mailoutbox):
    event = _hybrid()
    first = register(UserFactory(), event, mode="in_person")
    second = register(UserFactory(), event, mode="in_person")
    online = [register(UserFactory(), event, mode="online") for _ in range(3)]
    assert first.status == "confirmed" and second.status == "waitlisted"
    assert second.waitlist_position == 1
    assert [r.status for r in online] == ["confirmed", "confirmed", "waitlisted"]
    assert online[2].waitlist_position == 1  # each way of attending has its own list
    assert "The room for" in mailoutbox[1].body
    assert "online places" in mailoutbox[4].body


def test_a_freed_place_goes_to_the_first_person_waiting_for_the_same_way(commit, register):
    event = _hybrid(online_capacity=1)
    room = register(UserFactory(), event, mode="in_person")
    online = register(UserFactory(), event, mode="online")
    waiting_online = register(UserFactory(), event, mode="online")
    waiting_room = register(UserFactory(), event, mode="in_person")
    commit(services.registration_cancel, user=room.person.user, registration=room)
    waiting_room.refresh_from_db()
    waiting_online.refresh_from_db()
    assert waiting_room.status == "confirmed"
    assert waiting_online.status == "waitlisted"
    commit(services.registration_cancel, user=online.person.user, registration=online)
    waiting_online.refresh_from_db()
    assert waiting_online.status == "confirmed"


def test_the_organisation_limit_counts_both_ways(organisation, register):
    event = _hybrid(max_per_organisation=1, capacity=5, online_capacity=5)
    register(member_of(organisation), event, mode="in_person")
    with pytest.raises(DomainError) as refusal:
        register(member_of(organisation), event, mode="online")
    assert refusal.value.code == "organisation_full"


def test_no_waiting_list_refuses_the_full_way_and_names_it(register):
    event = _hybrid(waitlist_enabled=False)
    register(UserFactory(), event, mode="in_person")
    with pytest.raises(DomainError) as refusal:
        register(UserFactory(), event, mode="in_person")
    assert refusal.value.code == "full"
    assert "in the room" in str(refusal.value)
    assert register(UserFactory(), event, mode="online").status == "confirmed"


def test_the_link_goes_to_those_online_and_the_room_to_those_in_it(client, register, mailoutbox):
    event = _hybrid()
    in_room, online = UserFactory(), UserFactory()
    register(in_room, event, mode="in_person")
    register(online, event, mode="online")
    room_mail, online_mail = mailoutbox
    assert "hybrid-secret" not in room_mail.body and "Rue Froissart" in room_mail.body
    assert "hybrid-secret" in online_mail.body and "Rue Froissart" not in online_mail.body
    client.force_login(in_room)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "hybrid-secret" not in page and "You attend: In person." in page
    client.force_login(online)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "hybrid-secret" in page and "You attend: Online." in page
    ics = client.get(reverse("forums:event_calendar", args=[event.pk])).content.decode()
    assert "hybrid-secret" in ics


def test_the_registration_form_offers_each_way_with_its_places(client, user):
    event = _hybrid()
    RegistrationFactory(event=event, mode="in_person")
    client.force_login(user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "How will you attend?" in page
    assert "In person (full: waiting list)" in page
    assert "Online (2 places left)" in page
    response = client.post(reverse("forums:event_register", args=[event.pk]), {})
    assert response.status_code == 400
    assert "Choose whether you will attend in person or online." in response.content.decode()
    assert not Registration.objects.filter(person__user=user).exists()
    response = client.post(reverse("forums:event_register", args=[event.pk]), {"mode": "online"})
    assert response.status_code == 302
    assert Registration.objects.get(person__user=user).mode == "online"


def test_staff_see_figures_and_check_in_by_way_of_attending(client, events_manager):
    event = _hybrid(capacity=5)
    RegistrationFactory(event=event, mode="in_person")
    checked = RegistrationFactory(event=event, mode="in_person")
    RegistrationFactory(event=event, mode="online", person__last_name="Onlineperson")
    client.force_login(events_manager)
    client.post(reverse("forums_staff:check_in_toggle", args=[event.pk, checked.pk]))
    page = client.get(reverse("forums_staff:event_detail", args=[event.pk])).content.decode()
    assert "By way of attending" in page
    desk = client.get(reverse("forums_staff:check_in", args=[event.pk])).content.decode()
    assert "In person: 1 of 2 checked in" in desk and "Online: 0 of 1 checked in" in desk
    online_only = client.get(reverse("forums_staff:check_in", args=[event.pk]), {"mode": "online"})
    assert "Onlineperson" in online_only.content.decode()
    assert checked.person.last_name not in online_only.content.decode()
    csv = client.get(reverse("forums_staff:registrations_csv", args=[event.pk])).content.decode()
    assert "Attends" in csv and "Online" in csv


def test_the_api_gives_the_online_places_and_how_each_registrant_attends(client):
    from tests.crm.factories import make_staff
    from tests.crm.test_api import _key

    event = _hybrid()
    RegistrationFactory(event=event, mode="online")
    key = _key(make_staff("Events manager"))
    assert client.get(f"/api/events/{event.pk}/", **key).json()["online_capacity"] == 2
    registrations = client.get("/api/registrations/", **key).json()["results"]
    assert [r["mode"] for r in registrations] == ["online"]
