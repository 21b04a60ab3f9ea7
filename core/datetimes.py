"""One way to write a date and time for people: the active language's formats (Django's locale
formats, `config/formats/` for English), in a named time zone, with the zone and its offset
from UTC, e.g. "Tuesday 12 May 2026, 10:00–13:00 (Europe/Brussels, UTC+2)".

Pages, emails, calendar files and documents all call these, directly or through the
`datetimes` template library, so that a date reads the same wherever it appears.
"""

import zoneinfo
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _


def _zone(tz_name: str | None):
    if not tz_name:
        return timezone.get_current_timezone()
    try:
        return zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def in_zone(value: datetime, tz_name: str | None = None) -> datetime:
    return value.astimezone(_zone(tz_name))


def zone_label(value: datetime, tz_name: str | None = None) -> str:
    """ "Europe/Brussels, UTC+2": the zone's name and its offset at that moment."""
    local = in_zone(value, tz_name)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "UTC"
    name = getattr(local.tzinfo, "key", None) or str(local.tzinfo)
    return utc if name == "UTC" else f"{name}, {utc}"


def format_date(value: datetime, tz_name: str | None = None, *, weekday: bool = False) -> str:
    local = in_zone(value, tz_name)
    text = date_format(local, "DATE_FORMAT")
    return f"{date_format(local, 'l')} {text}" if weekday else text


def format_time(value: datetime, tz_name: str | None = None) -> str:
    return time_format(in_zone(value, tz_name), "TIME_FORMAT")


def format_datetime(value: datetime | None, tz_name: str | None = None, *, zone=True) -> str:
    """ "12 May 2026, 10:00 (Europe/Brussels, UTC+2)"."""
    if value is None:
        return ""
    text = _("%(date)s, %(time)s") % {
        "date": format_date(value, tz_name),
        "time": format_time(value, tz_name),
    }
    return f"{text} ({zone_label(value, tz_name)})" if zone else text


def format_span(starts: datetime, ends: datetime | None, tz_name: str | None = None) -> str:
    """ "Tuesday 12 May 2026, 10:00–13:00 (Europe/Brussels, UTC+2)"; across days, both dates."""
    start = _("%(date)s, %(time)s") % {
        "date": format_date(starts, tz_name, weekday=True),
        "time": format_time(starts, tz_name),
    }
    if ends is None:
        return f"{start} ({zone_label(starts, tz_name)})"
    if in_zone(starts, tz_name).date() == in_zone(ends, tz_name).date():
        end = format_time(ends, tz_name)
        return f"{start}–{end} ({zone_label(starts, tz_name)})"
    end = _("%(date)s, %(time)s") % {
        "date": format_date(ends, tz_name, weekday=True),
        "time": format_time(ends, tz_name),
    }
    return f"{start} – {end} ({zone_label(starts, tz_name)})"
