import pytest
from icalendar import Calendar

from forums.calendar import event_ics

from .factories import EventFactory

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
    event = EventFactory(venue="", stream_url="https://stream.example.eu/secret")
    public = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    private = Calendar.from_ical(event_ics(event, for_participant=True)).walk("VEVENT")[0]
    assert "secret" not in public.to_ical().decode()
    assert "https://stream.example.eu/secret" in str(private["description"])
    assert str(private["location"]) == "https://stream.example.eu/secret"


def test_cancelled_event_is_marked_cancelled():
    event = EventFactory(status="cancelled")
    vevent = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    assert str(vevent["status"]) == "CANCELLED"
