"""One way to write dates and times: the language's formats, in a named zone, with its offset."""

from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import translation

from core import datetimes

SUMMER_START = datetime(2026, 5, 12, 8, 0, tzinfo=UTC)
SUMMER_END = datetime(2026, 5, 12, 11, 0, tzinfo=UTC)


def test_a_span_on_one_day_gives_the_date_once_and_the_zone_with_its_offset():
    with translation.override("en"):
        text = datetimes.format_span(SUMMER_START, SUMMER_END, "Europe/Brussels")
    assert text == "Tuesday 12 May 2026, 10:00–13:00 (Europe/Brussels, UTC+2)"


def test_a_span_over_two_days_gives_both_dates():
    end = datetime(2026, 5, 13, 15, 0, tzinfo=UTC)
    with translation.override("en"):
        text = datetimes.format_span(SUMMER_START, end, "Europe/Brussels")
    assert text == (
        "Tuesday 12 May 2026, 10:00 – Wednesday 13 May 2026, 17:00 (Europe/Brussels, UTC+2)"
    )


def test_the_language_chooses_the_words_and_order():
    with translation.override("fr"):
        assert datetimes.format_span(SUMMER_START, SUMMER_END, "Europe/Brussels").startswith(
            "mardi 12 mai 2026, 10:00–13:00"
        )
    with translation.override("de"):
        assert datetimes.format_date(SUMMER_START, "Europe/Berlin") == "12. Mai 2026"


def test_winter_time_and_other_zones_show_their_own_offset():
    winter = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with translation.override("en"):
        assert datetimes.format_datetime(winter, "Europe/Brussels") == (
            "1 December 2026, 10:30 (Europe/Brussels, UTC+1)"
        )
        assert datetimes.format_datetime(winter, "UTC") == "1 December 2026, 09:30 (UTC)"
        assert datetimes.zone_label(winter, "Asia/Kolkata") == "Asia/Kolkata, UTC+5:30"
        assert datetimes.zone_label(winter, "America/New_York") == "America/New_York, UTC-5"


def test_the_template_library_says_the_same():
    template = Template(
        "{% load datetimes %}{{ at|zoned:zone }}|{{ at|zoned_time:zone }}|{% event_when event %}"
    )

    class Event:
        starts_at, ends_at, time_zone = SUMMER_START, SUMMER_END, "Europe/Brussels"

    with translation.override("en"):
        text = template.render(
            Context({"at": SUMMER_START, "zone": "Europe/Brussels", "event": Event})
        )
    assert text.startswith("12 May 2026, 10:00 (Europe/Brussels, UTC+2)|10:00|<time datetime=")
    assert text.endswith(">Tuesday 12 May 2026, 10:00–13:00 (Europe/Brussels, UTC+2)</time>")
    assert (
        Template("{% load datetimes %}{{ none|zoned:'UTC' }}").render(Context({"none": None})) == ""
    )
