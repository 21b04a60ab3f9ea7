"""iCalendar (RFC 5545) files for events, built with the `icalendar` library."""

import zoneinfo
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from core.datetimes import format_span

from .models import Event, Registration

PRODID = "-//European AI Office//Stakeholder engagement//EN"


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


# Every participant of an event gets the same file: build it once per version of the event.
_cache: dict[tuple, str] = {}
_CACHE_SIZE = 256


def event_ics(event: Event, *, registration: Registration | None = None) -> str:
    """The event as an .ics file. The stream link goes only into the copy of a confirmed
    participant who attends online; the venue into everyone's copy but an online attendee's."""
    stream = registration is not None and registration.may_join_online
    if registration is not None:
        venue = registration.mode == Registration.Mode.IN_PERSON
    else:
        venue = Registration.Mode.IN_PERSON in event.modes
    key = (event.pk, event.updated_at, event.sequence, stream, venue, get_language())
    text = _cache.get(key)
    if text is None:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        text = _cache[key] = _build_ics(event, stream=stream, venue=venue)
    return text


def _build_ics(event: Event, *, stream: bool, venue: bool) -> str:
    tz = zoneinfo.ZoneInfo(event.time_zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    entry = ICalEvent()
    entry.add("uid", event_uid(event))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at.astimezone(tz))
    entry.add("dtend", event.ends_at.astimezone(tz))
    entry.add("summary", event.local_title)
    url = settings.SITE_URL.rstrip("/") + event.get_absolute_url()
    when = format_span(event.starts_at, event.ends_at, event.time_zone)
    description = f"{when}\n\n{event.local_description}".strip()
    if stream and event.stream_url:
        description = f"{description}\n\n{_('Join online')}: {event.stream_url}"
    entry.add("description", f"{description}\n\n{url}".strip())
    entry.add("url", url)
    location = event.venue if venue else ""
    if stream and event.stream_url and not location:
        location = event.stream_url
    if location:
        entry.add("location", location)
    entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    calendar.add_component(entry)
    # The time zone's rules for the year around the event only, not since 1970.
    calendar.add_missing_timezones(
        first_date=event.starts_at.date() - timedelta(days=366),
        last_date=event.ends_at.date() + timedelta(days=366),
    )
    return calendar.to_ical().decode("utf-8")


def ics_filename(event: Event) -> str:
    return f"event-{event.pk}.ics"
