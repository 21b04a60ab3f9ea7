"""What events and expert bodies show on the back office's home: a fixed, small number of
queries whatever the number of events, calls or registrations."""

import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.access import is_staff_user

from ..models import Application, Call, Event, Registration

UPCOMING_EVENTS = 5
CHART_CACHE_SECONDS = 300


def _can_see_events(user) -> bool:
    return (
        is_staff_user(user)
        and user.has_perm("forums.view_event")
        and user.has_perm("forums.view_registration")
    )


def dashboard_events(*, user, months: list[datetime.date]) -> dict | None:
    """The next published events with their confirmed and waitlisted registrations (the
    counts the event's registration list filters by status; one query), and confirmed
    participants of the events of each month of `months` (one more, every few minutes)."""
    if not _can_see_events(user):
        return None
    now = timezone.now()
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    upcoming = list(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=now)
        .annotate(
            confirmed_count=Count("registrations", filter=confirmed),
            waitlisted_count=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITLISTED),
            ),
        )
        .order_by("starts_at", "pk")[:UPCOMING_EVENTS]
    )
    for event in upcoming:
        event.fill_rate = (
            round(100 * event.confirmed_count / event.capacity) if event.capacity else None
        )
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))

    def participants():
        return list(
            Registration.objects.filter(
                status=Registration.Status.CONFIRMED,
                event__status=Event.Status.PUBLISHED,
                event__starts_at__gte=since,
            )
            .annotate(month=TruncMonth("event__starts_at"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by()
        )

    # A trend, not a count to act on: computed every few minutes (the upcoming events' counts
    # above are live).
    per_month = cache.get_or_set(
        f"forums:dashboard:participants:{months[0]:%Y-%m}:{months[-1]:%Y-%m}",
        participants,
        CHART_CACHE_SECONDS,
    )
    return {"upcoming": upcoming, "participants_per_month": per_month}


def dashboard_calls(*, user) -> list[Call] | None:
    """Calls open today with how many applications they received (drafts are the applicants'
    own and do not count, as on the call's selection page); one query."""
    if not (is_staff_user(user) and user.has_perm("forums.view_application")):
        return None
    now = timezone.now()
    return list(
        Call.objects.filter(status=Call.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .select_related("body")
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__status=Application.Status.DRAFT)
            )
        )
        .order_by("closes_at", "pk")
    )
