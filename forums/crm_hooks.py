"""What expert bodies and events add to the CRM through `crm.registry`: how applications,
memberships, registrations and invitations follow a merge, the "body" and "event" filters of
the CRM's lists, and "invite to an event" on ticked people. Invitations are added by the
events service (`forums.services.events.invitation_add`), as on an event's own page."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.access import require_staff
from core.converters import parse_id
from core.errors import DomainError
from crm.models import Affiliation
from crm.registry import (
    BulkAction,
    ForeignKeyMerge,
    ListFilter,
    MergeHandler,
    bulk_actions,
    list_filters,
    merge_handlers,
)

from .models import Application, Body, Event, EventInvitation, Membership, Registration

ANY = "any"


def _shared(model, field: str, group: str, active: Q, loser, survivor) -> bool:
    """Whether the loser and the survivor both have an active row for the same `group`."""
    return (
        model.objects.filter(active, **{f"{field}__in": [loser, survivor]})
        .values(group)
        .annotate(n=Count(field, distinct=True))
        .filter(n__gt=1)
        .exists()
    )


def _registration_conflicts(*, loser, survivor) -> list:
    active = Q(status__in=Registration.ACTIVE)
    if _shared(Registration, "person", "event", active, loser, survivor):
        return [_("Both people are registered for the same event: cancel one registration first.")]
    return []


def _application_conflicts(*, loser, survivor) -> list:
    active = ~Q(status=Application.Status.WITHDRAWN)
    if _shared(Application, "person", "call", active, loser, survivor):
        return [_("Both people applied to the same call: withdraw one application first.")]
    return []


class InvitationMerge:
    """Invitations move; one the survivor already has for the same event is a duplicate: it
    is deleted on merge and made again on undo."""

    def __init__(self, side: str):
        self.side = side
        self.handler = MergeHandler(
            name=f"forums.invitations.{side}",
            label=gettext_lazy("Event invitations"),
            move=self._move,
            undo=self._undo,
            count=lambda *, record: EventInvitation.objects.filter(**{side: record}).count(),
        )

    def _move(self, *, loser, survivor):
        rows = EventInvitation.objects.filter(**{self.side: loser})
        if not rows.exists():
            return None
        taken = EventInvitation.objects.filter(**{self.side: survivor}).values("event")
        duplicates = list(rows.filter(event__in=taken).values_list("event_id", flat=True))
        rows.filter(event__in=duplicates).delete()
        moved = list(rows.values_list("pk", flat=True))
        EventInvitation.objects.filter(pk__in=moved).update(**{self.side: survivor})
        return {"moved": moved, "duplicates": duplicates}

    def _undo(self, *, moved, loser, survivor) -> None:
        EventInvitation.objects.filter(pk__in=moved["moved"]).update(**{self.side: loser})
        EventInvitation.objects.bulk_create(
            EventInvitation(event_id=event_id, **{self.side: loser})
            for event_id in moved["duplicates"]
        )


# --- filters of the CRM's lists -----------------------------------------------------------


def _body_choices():
    return [
        (ANY, _("A member of any body")),
        *Body.objects.order_by("name").values_list("pk", "name"),
    ]


def _event_choices():
    events = Event.objects.exclude(status=Event.Status.DRAFT).order_by("-starts_at")[:100]
    return [(ANY, _("Any event")), *((e.pk, str(e)) for e in events)]


def _active_members(value: str):
    memberships = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if value == ANY:
        return memberships
    body_id = parse_id(value)
    return memberships.filter(body_id=body_id) if body_id else memberships.none()


def _attended(value: str, field: str):
    """The ids of the people (organisations) who attended the event, or any event."""
    registrations = Registration.objects.filter(attendance=Registration.Attendance.ATTENDED)
    if value != ANY:
        event_id = parse_id(value)
        registrations = (
            registrations.filter(event_id=event_id) if event_id else registrations.none()
        )
    return registrations.filter(**{f"{field}__isnull": False}).values(field)


# Sets of ids (`pk__in` a subquery, which PostgreSQL hashes once) rather than a correlated
# EXISTS per row: the lists sort and page through 100,000 organisations.


def _organisations_in_body(queryset, value):
    """Organisations that are members of the body, or whose people (today) are."""
    members = _active_members(value)
    linked = Affiliation.objects.current().filter(
        person__in=members.filter(person__isnull=False).values("person")
    )
    return queryset.filter(
        Q(pk__in=members.filter(organisation__isnull=False).values("organisation"))
        | Q(pk__in=linked.values("organisation"))
    )


def _organisations_attending(queryset, value):
    return queryset.filter(pk__in=_attended(value, "organisation"))


def _people_in_body(queryset, value):
    return queryset.filter(pk__in=_active_members(value).values("person"))


def _people_attending(queryset, value):
    attended = _attended(value, "person")
    if value != ANY:
        # One event's attendees are at most its capacity: as a list of ids PostgreSQL looks
        # each person up by key, where a subquery made it scan every person to hash-join.
        attended = list(attended.values_list("person", flat=True))
    return queryset.filter(pk__in=attended)


# --- "invite to an event" ------------------------------------------------------------------


def _invitable_events(user):
    if not user.has_perm("forums.add_eventinvitation"):
        return []
    events = Event.objects.exclude(status=Event.Status.CANCELLED).filter(
        ends_at__gte=timezone.now()
    )
    return [(e.pk, str(e)) for e in events.order_by("starts_at")[:100]]


MAX_INVITED_AT_ONCE = 5000


@transaction.atomic
def invite_people(*, user, target, records) -> str:
    """Invite each ticked person to the event; those already invited are left as they are."""
    from .services.events import invitation_add

    require_staff(user, "forums.view_event", "forums.add_eventinvitation")
    event_id = parse_id(str(target))
    event = (
        Event.objects.exclude(status=Event.Status.CANCELLED)
        .filter(pk=event_id, ends_at__gte=timezone.now())
        .first()
        if event_id
        else None
    )
    if event is None:
        raise DomainError(_("Choose an upcoming event."), field="target")
    if len(records) > MAX_INVITED_AT_ONCE:
        raise DomainError(
            _("Invite at most %(n)d people at once: narrow the list with its filters.")
            % {"n": MAX_INVITED_AT_ONCE}
        )
    already = set(
        EventInvitation.objects.filter(event=event, person__in=records).values_list(
            "person_id", flat=True
        )
    )
    added = 0
    for person in records:
        if person.pk not in already:
            invitation_add(user=user, event=event, person=person)
            added += 1
    message = ngettext(
        "%(n)d person invited to %(event)s.", "%(n)d people invited to %(event)s.", added
    ) % {"n": added, "event": event}
    if already:
        message += " " + ngettext(
            "%(n)d was already invited.", "%(n)d were already invited.", len(already)
        ) % {"n": len(already)}
    return message


def register() -> None:
    for side in ("person", "organisation"):
        merge_handlers.register(side, InvitationMerge(side))
        merge_handlers.register(
            side,
            ForeignKeyMerge(
                f"forums.memberships.{side}",
                gettext_lazy("Memberships of expert bodies"),
                "forums.Membership",
                side,
            ),
        )
    merge_handlers.register(
        "person",
        ForeignKeyMerge(
            "forums.applications.person",
            gettext_lazy("Applications to calls"),
            "forums.Application",
            "person",
            conflicts=_application_conflicts,
        ),
    )
    merge_handlers.register(
        "organisation",
        ForeignKeyMerge(
            "forums.applications.organisation",
            gettext_lazy("Applications to calls"),
            "forums.Application",
            "organisation",
        ),
    )
    merge_handlers.register(
        "person",
        ForeignKeyMerge(
            "forums.registrations.person",
            gettext_lazy("Event registrations"),
            "forums.Registration",
            "person",
            conflicts=_registration_conflicts,
        ),
    )
    merge_handlers.register(
        "organisation",
        ForeignKeyMerge(
            "forums.registrations.organisation",
            gettext_lazy("Event registrations"),
            "forums.Registration",
            "organisation",
        ),
    )
    label_body, label_event = gettext_lazy("Expert body"), gettext_lazy("Attended an event")
    list_filters.register(
        "organisation", ListFilter("body", label_body, _body_choices, _organisations_in_body, 20)
    )
    list_filters.register(
        "organisation",
        ListFilter("event", label_event, _event_choices, _organisations_attending, 30),
    )
    list_filters.register(
        "person", ListFilter("body", label_body, _body_choices, _people_in_body, 20)
    )
    list_filters.register(
        "person", ListFilter("event", label_event, _event_choices, _people_attending, 30)
    )
    bulk_actions.register(
        "person",
        BulkAction(
            name="invite",
            label=gettext_lazy("Invite to the event"),
            target_label=gettext_lazy("Event"),
            targets=_invitable_events,
            run=invite_people,
            perm="forums.add_eventinvitation",
        ),
    )
