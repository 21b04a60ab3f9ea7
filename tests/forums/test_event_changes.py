"""Registrants are told when an event's date, time, format, place or link changes, or when it
is cancelled: each in their language, old and new, with an updated calendar file."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from icalendar import Calendar

from core.models import AuditEntry
from forums import services
from forums.models import Event, Registration
from tests.crm.factories import PersonFactory, UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _registrants(event, **kwargs):
    return {
        status: RegistrationFactory(
            event=event,
            status=status,
            person=PersonFactory(email=f"{status}@example.org", **kwargs),
            waitlisted_at=event.starts_at if status == "waitlisted" else None,
        )
        for status in ("confirmed", "waitlisted", "cancelled")
    }


def _vevent(message):
    (_name, content, _mimetype) = message.attachments[0]
    return Calendar.from_ical(content).walk("VEVENT")[0]


def test_a_new_date_is_emailed_to_everyone_registered_or_waiting_with_old_and_new(
    commit, events_manager, mailoutbox
):
    event = EventFactory(capacity=1)
    _registrants(event)
    old_start = event.starts_at
    commit(
        services.event_save,
        user=events_manager,
        event=event,
        starts_at=old_start + timedelta(days=7),
        ends_at=old_start + timedelta(days=7, hours=3),
    )
    told = sorted(m.to[0] for m in mailoutbox)
    assert told == ["confirmed@example.org", "waitlisted@example.org"]
    message = next(m for m in mailoutbox if m.to == ["confirmed@example.org"])
    assert event.title in message.subject and "Changed" in message.subject
    old_day = f"{old_start.astimezone(event.starts_at.tzinfo):%d}".lstrip("0")
    assert "was:" in message.body and "now:" in message.body
    assert old_day in message.body.split("was:")[1].split("\n")[0]
    assert "(Europe/Brussels, UTC+" in message.body
    assert "Your place is kept" in message.body
    vevent = _vevent(message)
    event.refresh_from_db()
    assert event.sequence == 1
    assert vevent.decoded("sequence") == 1
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    waiting = next(m for m in mailoutbox if m.to == ["waitlisted@example.org"])
    assert "You stay on the waiting list" in waiting.body
    entry = AuditEntry.objects.get(action="forums.event.registrants_told")
    assert entry.data["count"] == 2


def test_the_email_is_written_in_the_registrants_language(commit, events_manager, mailoutbox):
    event = EventFactory(time_zone="Europe/Paris")
    RegistrationFactory(event=event, person=PersonFactory(preferred_language="fr"))
    new_start = event.starts_at.replace(month=5, day=12, hour=8, minute=0) + timedelta(days=365)
    commit(
        services.event_save,
        user=events_manager,
        event=event,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
    )
    (message,) = mailoutbox
    assert "mai" in message.body  # the French month name, in the French date format
    assert "(Europe/Paris, UTC+2)" in message.body


def test_a_new_venue_is_told_to_those_in_the_room_and_a_new_link_to_those_confirmed_online(
    commit, events_manager, mailoutbox
):
    event = EventFactory(format="hybrid", capacity=5, online_capacity=1)
    in_room = RegistrationFactory(event=event, mode="in_person")
    online = RegistrationFactory(event=event, mode="online")
    waiting_online = RegistrationFactory(
        event=event, mode="online", status="waitlisted", waitlisted_at=event.starts_at
    )
    commit(services.event_save, user=events_manager, event=event, venue="Berlaymont, Brussels")
    assert [m.to for m in mailoutbox] == [[in_room.person.email]]
    assert "Rue Froissart 36, Brussels" in mailoutbox[0].body
    assert "Berlaymont, Brussels" in mailoutbox[0].body

    mailoutbox.clear()
    commit(
        services.event_save,
        user=events_manager,
        event=event,
        stream_url="https://stream.example.eu/new-room",
    )
    assert [m.to for m in mailoutbox] == [[online.person.email]]
    assert "https://stream.example.eu/new-room" in mailoutbox[0].body
    assert str(_vevent(mailoutbox[0])["location"]) == "https://stream.example.eu/new-room"
    assert waiting_online.person.email not in [m.to[0] for m in mailoutbox]


def test_staff_may_choose_not_to_tell_and_the_calendar_revision_still_rises(
    commit, events_manager, mailoutbox
):
    event = EventFactory(capacity=1)
    _registrants(event)
    commit(
        services.event_save,
        user=events_manager,
        event=event,
        notify_registrants=False,
        venue="Somewhere else",
    )
    assert mailoutbox == []
    event.refresh_from_db()
    assert event.sequence == 1
    entry = AuditEntry.objects.filter(action="forums.event.updated").latest("pk")
    assert entry.data["registrants_told"] is False
    assert entry.data["changes"]["venue"] == ["Rue Froissart 36, Brussels", "Somewhere else"]


def test_other_changes_tell_nobody(commit, events_manager, mailoutbox):
    event = EventFactory(capacity=1)
    _registrants(event)
    commit(services.event_save, user=events_manager, event=event, title="A better title")
    assert mailoutbox == []
    event.refresh_from_db()
    assert event.sequence == 0


def test_cancelling_sends_a_calendar_file_that_cancels_the_entry(
    commit, events_manager, mailoutbox
):
    event = EventFactory(capacity=1)
    regs = _registrants(event)
    commit(services.event_save, user=events_manager, event=event, status="cancelled")
    confirmed = next(m for m in mailoutbox if m.to == [regs["confirmed"].person.email])
    assert "Event cancelled" in confirmed.subject
    assert str(_vevent(confirmed)["status"]) == "CANCELLED"
    waiting = next(m for m in mailoutbox if m.to == [regs["waitlisted"].person.email])
    assert waiting.attachments == []
    assert len(mailoutbox) == 2


def test_cancelling_without_telling_sends_nothing(commit, events_manager, mailoutbox):
    event = EventFactory(capacity=1)
    regs = _registrants(event)
    commit(
        services.event_save,
        user=events_manager,
        event=event,
        status="cancelled",
        notify_registrants=False,
    )
    assert mailoutbox == []
    regs["confirmed"].refresh_from_db()
    assert regs["confirmed"].status == Registration.Status.CANCELLED


def test_a_format_that_would_strand_registrants_is_refused_and_changes_nothing(events_manager):
    event = EventFactory(format="hybrid")
    RegistrationFactory(event=event, mode="online")
    from core.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        services.event_save(user=events_manager, event=event, format="in_person")
    assert refusal.value.field == "format"
    event.refresh_from_db()
    assert event.format == "hybrid" and event.sequence == 0


def test_only_the_events_team_may_change_an_event(user):
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        services.event_save(user=user, event=event, venue="Elsewhere")
    with pytest.raises(PermissionDenied):
        services.event_save(user=UserFactory(is_staff=True), event=event, venue="Elsewhere")


def _form_data(event, **changes):
    from forums.forms import EventForm

    data = {
        k: v
        for k, v in EventForm.initial_for(event).items()
        if v is not None and k not in ("languages", "translations", "body", "texts")
    }
    data["texts-en-title"] = event.title
    data["texts-en-description"] = event.description
    for name in EventForm.DATETIME_FIELDS:
        if data.get(name):
            data[name] = data[name].strftime("%Y-%m-%dT%H:%M")
    data["waitlist_enabled"] = "on"
    data.pop("notify_registrants")
    data.update(changes)
    return data


def test_the_edit_form_says_how_many_will_be_told_and_lets_staff_choose(
    client, events_manager, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    _registrants(event)
    client.force_login(events_manager)
    url = reverse("forums_staff:event_edit", args=[event.pk])
    page = client.get(url).content.decode()
    assert "2 people are registered or waiting (1 confirmed, 1 waiting)" in page
    assert 'name="notify_registrants"' in page and "checked" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form_data(event, venue="Not told"))
    assert response.status_code == 302
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form_data(event, venue="Told", notify_registrants="on"))
    assert len(mailoutbox) == 2
    event.refresh_from_db()
    assert event.venue == "Told" and event.status == Event.Status.PUBLISHED
