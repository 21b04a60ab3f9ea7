from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Event, EventInvitation
from tests.crm.factories import OrganisationFactory, PersonFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _form_data(**changes):
    data = {
        "texts-en-title": "AI literacy workshop",
        "texts-en-description": "Hands-on session.",
        "texts-fr-title": "Atelier",
        "kind": "workshop",
        "programme": "ai_pact",
        "format": "in_person",
        "time_zone": "Europe/Brussels",
        "starts_at": "2030-03-10T09:00",
        "ends_at": "2030-03-10T12:00",
        "venue": "Brussels",
        "capacity": "30",
        "waitlist_enabled": "on",
        "audience": "public",
        "languages": ["en", "fr"],
        "privacy_notice": "Events notice",
        "privacy_notice_version": "2026-01",
        "status": "published",
    }
    data.update(changes)
    return data


def test_events_manager_creates_an_event_in_its_time_zone(client, events_manager):
    client.force_login(events_manager)
    response = client.post(reverse("forums_staff:event_create"), _form_data())
    event = Event.objects.get()
    assert response["Location"] == reverse("forums_staff:event_detail", args=[event.pk])
    assert event.starts_at.isoformat() == "2030-03-10T08:00:00+00:00"  # 09:00 in Brussels
    assert event.translations == {"fr": {"title": "Atelier"}}
    assert event.languages == ["en", "fr"]


def test_event_form_refuses_an_end_before_the_start_and_changes_nothing(client, events_manager):
    client.force_login(events_manager)
    response = client.post(
        reverse("forums_staff:event_create"), _form_data(ends_at="2030-03-10T08:00")
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not Event.objects.exists()


def test_event_form_survives_nonsense(client, events_manager):
    client.force_login(events_manager)
    response = client.post(
        reverse("forums_staff:event_create"),
        _form_data(
            **{"texts-en-title": "", "texts-fr-title": "x" * 201},
            capacity="-3",
            time_zone="Mars/Olympus",
        ),
    )
    assert response.status_code == 200
    assert {"texts", "capacity", "time_zone"} <= set(response.context["form"].errors)


def test_edit_shows_times_in_the_events_time_zone(client, events_manager):
    event = EventFactory(time_zone="Europe/Brussels")
    client.force_login(events_manager)
    response = client.get(reverse("forums_staff:event_edit", args=[event.pk]))
    local = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert local in response.content.decode()


def test_raising_the_capacity_confirms_people_waiting(
    events_manager, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status="waitlisted", confirmed_at=None, waitlisted_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(user=events_manager, event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_invitations_are_added_and_removed(client, events_manager):
    event = EventFactory(audience=Event.Audience.INVITED)
    organisation = OrganisationFactory(transparency_register_id="123456789012-34")
    person = PersonFactory(email="guest@example.org")
    client.force_login(events_manager)
    url = reverse("forums_staff:invitation_add", args=[event.pk])
    client.post(url, {"organisation": "REG123456789012-34"})
    client.post(url, {"email": "GUEST@example.org"})
    client.post(url, {"email": "nobody@example.org"})
    assert {(i.person, i.organisation) for i in event.invitations.all()} == {
        (None, organisation),
        (person, None),
    }
    page = client.get(reverse("forums_staff:event_detail", args=[event.pk]))
    assert "guest@example.org" in page.content.decode()
    invitation = EventInvitation.objects.get(person=person)
    client.post(reverse("forums_staff:invitation_remove", args=[event.pk, invitation.pk]))
    assert not EventInvitation.objects.filter(pk=invitation.pk).exists()


def test_data_protection_coordinator_cannot_create_events(client):
    from tests.crm.factories import make_staff

    client.force_login(make_staff("Data-protection coordinator"))
    assert client.get(reverse("forums_staff:event_create")).status_code == 403


def test_past_events_keep_their_waiting_list_when_edited(events_manager):
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(capacity=1, starts_at=start, ends_at=start + timedelta(hours=1))
    waiting = RegistrationFactory(
        event=event, status="waitlisted", confirmed_at=None, waitlisted_at=start
    )
    services.event_save(user=events_manager, event=event, capacity=5)
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_cancelling_the_event_cancels_every_registration_and_tells_each_person(
    events_manager, register, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.crm.factories import UserFactory

    event = EventFactory(capacity=1)
    register(UserFactory(), event)
    register(UserFactory(), event)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(user=events_manager, event=event, status=Event.Status.CANCELLED)
    assert set(event.registrations.values_list("status", flat=True)) == {"cancelled"}
    assert len(mailoutbox) == 2
    assert all("has been cancelled" in m.body for m in mailoutbox)
