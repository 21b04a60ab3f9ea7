import pytest
from icalendar import Calendar

from forums.calendar import event_ics

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_ics_holds_the_event_in_its_time_zone():
    event = EventFactory(title="AI literacy workshop", time_zone="Europe/Brussels")
    calendar = Calendar.from_ical(event_ics(event))
    vevent = calendar.walk("VEVENT")[0]
    assert calendar["version"] == "2.0"
    assert str(vevent["summary"]) == "AI literacy workshop"
    assert str(vevent["uid"]) == f"event-{event.pk}@127.0.0.1"
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("dtend") == event.ends_at.replace(microsecond=0)
    assert vevent["dtstart"].params["TZID"] == "Europe/Brussels"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(vevent["location"]) == event.venue
    assert str(vevent["url"]).endswith(f"/events/{event.pk}/")


def test_stream_link_only_in_a_participants_copy():
    event = EventFactory(format="online", venue="", stream_url="https://stream.example.eu/secret")
    public = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    confirmed = RegistrationFactory(event=event, mode="online")
    private = Calendar.from_ical(event_ics(event, registration=confirmed)).walk("VEVENT")[0]
    waiting = RegistrationFactory(event=event, mode="online", status="waitlisted")
    waiting_copy = Calendar.from_ical(event_ics(event, registration=waiting)).walk("VEVENT")[0]
    assert "secret" not in public.to_ical().decode()
    assert "secret" not in waiting_copy.to_ical().decode()
    assert "https://stream.example.eu/secret" in str(private["description"])
    assert str(private["location"]) == "https://stream.example.eu/secret"


def test_hybrid_copies_give_the_room_to_those_in_it_and_the_link_to_those_online():
    event = EventFactory(format="hybrid", stream_url="https://stream.example.eu/secret")
    in_room = RegistrationFactory(event=event, mode="in_person")
    online = RegistrationFactory(event=event, mode="online")
    room_copy = Calendar.from_ical(event_ics(event, registration=in_room)).walk("VEVENT")[0]
    online_copy = Calendar.from_ical(event_ics(event, registration=online)).walk("VEVENT")[0]
    assert str(room_copy["location"]) == event.venue
    assert "secret" not in room_copy.to_ical().decode()
    assert str(online_copy["location"]) == "https://stream.example.eu/secret"
    assert event.venue not in str(online_copy["location"])


def test_the_description_gives_the_time_with_its_zone_and_the_revision_is_kept():
    event = EventFactory(time_zone="Europe/Brussels", sequence=3)
    vevent = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    assert "(Europe/Brussels, UTC+" in str(vevent["description"])
    assert vevent.decoded("sequence") == 3


def test_cancelled_event_is_marked_cancelled():
    event = EventFactory(status="cancelled")
    vevent = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    assert str(vevent["status"]) == "CANCELLED"
