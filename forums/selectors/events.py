"""Reads of the events module, scoped to the user who asks."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.access import is_staff_user
from crm.models import Affiliation, Person

from ..models import Event, EventInvitation, Membership, Registration


def _is_events_staff(user, perm: str = "forums.view_event") -> bool:
    return is_staff_user(user) and user.has_perm(perm)


def _invited(user):
    """Events where the user's person, or an organisation they currently belong to, is invited.

    Built from the user's id alone, so that it costs no query of its own.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    organisations = (
        Affiliation.objects.current()
        .filter(person__user=user, status=Affiliation.Status.CONFIRMED)
        .values("organisation_id")
    )
    bodies = Membership.objects.filter(person__user=user, status=Membership.Status.ACTIVE).values(
        "body_id"
    )
    return Q(
        Exists(
            EventInvitation.objects.filter(event=OuterRef("pk")).filter(
                Q(person__user=user) | Q(organisation_id__in=organisations) | Q(body_id__in=bodies)
            )
        )
    )


def events_visible(*, user) -> QuerySet[Event]:
    """Published events the user may see: public ones, and invitation-only ones they are invited to
    (staff of the events team see every event)."""
    events = Event.objects.exclude(status=Event.Status.DRAFT).select_related("body")
    if _is_events_staff(user):
        return events
    return events.filter(Q(audience=Event.Audience.PUBLIC) | _invited(user))


def _with_places_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    """Places held: in the room for a hybrid event (its online places apart), else all."""
    holding = Q(registrations__status__in=Registration.HOLDING)
    online = Q(registrations__mode=Registration.Mode.ONLINE)
    return events.annotate(
        places_taken=Count(
            "registrations", filter=holding & (~Q(format=Event.Format.HYBRID) | ~online)
        ),
        online_places_taken=Count("registrations", filter=holding & online),
    )


def events_upcoming(*, user) -> QuerySet[Event]:
    events = events_visible(user=user).filter(ends_at__gte=timezone.now())
    return _with_places_taken(events).order_by("starts_at", "pk")


def events_past(*, user) -> QuerySet[Event]:
    events = events_visible(user=user).filter(ends_at__lt=timezone.now())
    return events.order_by("-starts_at", "-pk")


def event_get(*, user, pk, with_places: bool = True) -> Event | None:
    """One event the user may see. The invitation check runs only for invitation-only events,
    which keeps the registration request of a public event to one simple query here."""
    events = Event.objects.exclude(status=Event.Status.DRAFT).filter(pk=pk).select_related("body")
    event = (_with_places_taken(events) if with_places else events).first()
    if (
        event is not None
        and event.audience == Event.Audience.INVITED
        and not _is_events_staff(user)
        and not Event.objects.filter(_invited(user), pk=event.pk).exists()
    ):
        return None
    return event


def registration_for(*, user, event: Event) -> Registration | None:
    """The user's own current registration for an event, with the waiting-list position."""
    if not user.is_authenticated:
        return None
    registration = (
        Registration.objects.filter(event=event, person__user=user, status__in=Registration.ACTIVE)
        .select_related("person")
        .first()
    )
    if registration is not None:
        registration.waitlist_position = waitlist_position(registration)
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        mode=registration.mode,
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def participant_list(*, user, event: Event, registration: Registration | None):
    """Confirmed participants who agreed to be listed, shown to confirmed participants only."""
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, on_participant_list=True
        )
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def registrations_of_user(*, user) -> QuerySet[Registration]:
    """My registrations: the active ones of events to come first, soonest first; then the
    others (past events, cancelled), latest first. Each waiting-list position annotated."""
    if not user.is_authenticated:
        return Registration.objects.none()
    ahead = Registration.objects.filter(
        event_id=OuterRef("event_id"),
        mode=OuterRef("mode"),
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
        | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
    )
    ahead_count = Subquery(
        ahead.order_by().values("event_id").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )
    now = timezone.now()
    current = Q(status__in=Registration.ACTIVE, event__ends_at__gte=now)
    return (
        Registration.objects.filter(person__user=user)
        .select_related("event", "organisation")
        .annotate(
            waiting_ahead=Coalesce(ahead_count, 0),
            is_current=Case(When(current, then=True), default=False, output_field=BooleanField()),
            upcoming_start=Case(When(current, then=F("event__starts_at")), default=None),
        )
        .order_by("-is_current", "upcoming_start", "-event__starts_at", "-pk")
    )


def registration_get_own(*, user, pk) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(pk=pk, person__user=user).select_related("event").first()


# --- Staff --------------------------------------------------------------------------------


def _figures():
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return {
        "registered_count": Count("registrations", filter=confirmed),
        "offered_count": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.OFFERED)
        ),
        "waitlisted_count": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
        "cancelled_count": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CANCELLED)
        ),
        "attended_count": Count(
            "registrations",
            filter=confirmed & Q(registrations__attendance=Registration.Attendance.ATTENDED),
        ),
        "no_show_count": Count(
            "registrations",
            filter=confirmed & Q(registrations__attendance=Registration.Attendance.NO_SHOW),
        ),
        **{
            f"{mode}_{name}": Count("registrations", filter=Q(registrations__mode=mode) & condition)
            for mode in Registration.Mode.values
            for name, condition in (
                ("registered", confirmed),
                (
                    "waiting",
                    Q(registrations__status=Registration.Status.WAITLISTED),
                ),
                ("checked_in", confirmed & Q(registrations__checked_in_at__isnull=False)),
                (
                    "attended",
                    confirmed & Q(registrations__attendance=Registration.Attendance.ATTENDED),
                ),
            )
        },
    }


def attendance_rate(event: Event) -> float | None:
    """Attended as a share of confirmed participants, once attendance has been recorded."""
    if not event.registered_count or not (event.attended_count or event.no_show_count):
        return None
    return round(100 * event.attended_count / event.registered_count, 1)


def events_staff(*, user) -> QuerySet[Event]:
    if not _is_events_staff(user):
        return Event.objects.none()
    return Event.objects.annotate(**_figures()).order_by("-starts_at", "-pk")


def event_get_staff(*, user, pk) -> Event | None:
    event = events_staff(user=user).filter(pk=pk).first()
    if event is not None:
        event.attendance_rate = attendance_rate(event)
    return event


def _search(queryset, query: str):
    for word in query.split()[:6]:
        queryset = queryset.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__acronym__icontains=word)
        )
    return queryset


def registrations_staff(*, user, event: Event, query: str = "") -> QuerySet[Registration]:
    if not _is_events_staff(user, "forums.view_registration"):
        return Registration.objects.none()
    queryset = Registration.objects.filter(event=event).select_related("person", "organisation")
    if query:
        queryset = _search(queryset, query)
    return queryset.order_by("person__last_name", "person__first_name", "pk")


def check_in_list(*, user, event: Event, query: str = "", mode: str = "") -> QuerySet[Registration]:
    """Confirmed participants for the check-in desk, by name or organisation, and for a hybrid
    event by the way they attend."""
    if not _is_events_staff(user, "forums.check_in"):
        return Registration.objects.none()
    queryset = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).select_related("person", "organisation")
    if mode in Registration.Mode.values:
        queryset = queryset.filter(mode=mode)
    if query:
        queryset = _search(queryset, query)
    return queryset.order_by("person__last_name", "person__first_name", "pk")


def check_in_get(*, user, event_id, pk) -> Registration | None:
    if not _is_events_staff(user, "forums.check_in"):
        return None
    return (
        Registration.objects.filter(event_id=event_id, pk=pk, status=Registration.Status.CONFIRMED)
        .select_related("event")
        .first()
    )


def registration_get_staff(*, user, pk) -> Registration | None:
    if not _is_events_staff(user, "forums.change_registration"):
        return None
    return Registration.objects.filter(pk=pk).select_related("event", "person").first()


def registrations_of_person(*, user, person: Person) -> QuerySet[Registration]:
    if not _is_events_staff(user, "forums.view_registration"):
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .select_related("event", "organisation")
        .order_by("-event__starts_at")
    )


def registrations_of_organisation(*, user, organisation) -> QuerySet[Registration]:
    if not _is_events_staff(user, "forums.view_registration"):
        return Registration.objects.none()
    return (
        Registration.objects.filter(organisation=organisation)
        .select_related("event", "person", "organisation")
        .order_by("-event__starts_at", "person__last_name")
    )


def can_see_special_requirements(user) -> bool:
    return _is_events_staff(user, "forums.view_special_requirements")


def invitations_staff(*, user, event: Event) -> QuerySet[EventInvitation]:
    if not _is_events_staff(user):
        return EventInvitation.objects.none()
    return (
        EventInvitation.objects.filter(event=event)
        .select_related("person", "organisation", "body")
        .order_by("organisation__name", "person__last_name", "pk")
    )
