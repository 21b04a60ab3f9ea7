"""Dates and times as people read them, in a given time zone: see `core.datetimes`.

- `{{ value|zoned:event.time_zone }}`: 12 May 2026, 10:00 (Europe/Brussels, UTC+2)
- `{{ value|zoned_time:event.time_zone }}`: 10:00; `zoned_date`: 12 May 2026
- `{% when_span starts ends zone %}`: Tuesday 12 May 2026, 10:00–13:00 (Europe/Brussels, UTC+2)
- `{% event_when event %}`: the same inside a <time> element, for pages
"""

from django import template
from django.utils.html import format_html

from core import datetimes

register = template.Library()


@register.filter
def zoned(value, tz_name=None):
    return datetimes.format_datetime(value, tz_name) if value else ""


@register.filter
def zoned_date(value, tz_name=None):
    return datetimes.format_date(value, tz_name) if value else ""


@register.filter
def zoned_time(value, tz_name=None):
    return datetimes.format_time(value, tz_name) if value else ""


@register.simple_tag
def when_span(starts, ends=None, tz_name=None):
    return datetimes.format_span(starts, ends, tz_name) if starts else ""


@register.simple_tag
def event_when(event):
    return format_html(
        '<time datetime="{}">{}</time>',
        event.starts_at.isoformat(),
        datetimes.format_span(event.starts_at, event.ends_at, event.time_zone),
    )
