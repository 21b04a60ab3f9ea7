"""Staff writes on events and their invitation lists."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError, full_clean_or_refuse
from crm.models import Organisation, Person

from ..models import Body, Event, EventInvitation, Registration
from .registrations import _email, _fill_freed_places, _lock_event

EVENT_FIELDS = [
    "title",
    "description",
    "translations",
    "kind",
    "programme",
    "body",
    "format",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "stream_url",
    "capacity",
    "online_capacity",
    "waitlist_enabled",
    "waitlist_offer_hours",
    "audience",
    "registration_opens_at",
    "registration_closes_at",
    "max_per_organisation",
    "languages",
    "privacy_notice",
    "privacy_notice_version",
    "status",
]


# What registrants are told about when it changes: the date and time, how the event takes
# place, where, and the link to join.
WHEN_FIELDS = ("starts_at", "ends_at", "time_zone")
NOTIFIED_FIELDS = (*WHEN_FIELDS, "format", "venue", "stream_url")


def _audit_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def event_save(
    *, user, event: Event | None = None, notify_registrants: bool = True, **fields
) -> Event:
    """Create an event, or change one. More places (or a larger limit) go to the waiting list
    at once, in order.

    When the date or time, the format, the venue or the link of a published event changes, or
    the event is cancelled, each registrant (confirmed, offered or waiting) concerned by the
    change is emailed what changed, old and new, with an updated calendar file, unless staff
    choose not to tell them (`notify_registrants=False`). Either way the calendar revision
    rises, so that calendars that import the new file replace the old entry.
    """
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown event fields: {sorted(unknown)}")
    creating = event is None
    require_staff(user, "forums.add_event" if creating else "forums.change_event")
    event = Event() if creating else _lock_event(event.pk)
    was_cancelled = event.status == Event.Status.CANCELLED
    before = {name: getattr(event, name) for name in NOTIFIED_FIELDS}
    for name, value in fields.items():
        setattr(event, name, value)
    full_clean_or_refuse(event)
    changes = (
        {}
        if creating
        else {
            name: (before[name], getattr(event, name))
            for name in NOTIFIED_FIELDS
            if before[name] != getattr(event, name)
        }
    )
    if "format" in changes:
        _check_modes_kept(event)
    cancelling = not creating and event.status == Event.Status.CANCELLED and not was_cancelled
    if changes or cancelling:
        event.sequence += 1
    event.save()
    audit_log(
        actor=user,
        action="forums.event.created" if creating else "forums.event.updated",
        subject=event,
        data={
            "fields": sorted(fields),
            "changes": {
                name: [_audit_value(old), _audit_value(new)] for name, (old, new) in changes.items()
            },
            "registrants_told": bool(notify_registrants and (changes or cancelling)),
        },
    )
    if not creating and event.status == Event.Status.PUBLISHED:
        _fill_freed_places(event=event, actor=user, now=timezone.now())
    if cancelling:
        _cancel_registrations_of(event=event, actor=user, notify=notify_registrants)
    elif changes and notify_registrants and event.status == Event.Status.PUBLISHED:
        _tell_registrants(event=event, actor=user, changes=changes)
    return event


def _check_modes_kept(event: Event) -> None:
    """A new format must still offer the way each active registrant attends."""
    stranded = (
        Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
        .exclude(mode__in=event.modes)
        .count()
    )
    if stranded:
        raise DomainError(
            _(
                "%(count)d registrants attend in a way this format does not offer. Keep the "
                "format, or cancel their registrations first."
            )
            % {"count": stranded},
            field="format",
        )


def changes_for(registration: Registration, changes: dict) -> dict:
    """The changes that concern one registrant: the venue matters to those in the room, the
    link to those confirmed online (nobody else may see it)."""
    relevant = {}
    for name, values in changes.items():
        if name == "venue" and registration.mode != Registration.Mode.IN_PERSON:
            continue
        if name == "stream_url" and not registration.may_join_online:
            continue
        relevant[name] = values
    return relevant


def _tell_registrants(*, event: Event, actor, changes: dict) -> int:
    registrations = list(
        Registration.objects.filter(event=event, status__in=Registration.ACTIVE).select_related(
            "person"
        )
    )
    told = 0
    for registration in registrations:
        relevant = changes_for(registration, changes)
        if not relevant:
            continue
        registration.event = event
        when = {name: relevant[name] for name in WHEN_FIELDS if name in relevant}
        old_tz = when.get("time_zone", (event.time_zone,))[0]
        _email(
            registration,
            "event_changed",
            with_ics=True,
            changed_when=bool(when),
            old_starts_at=when.get("starts_at", (event.starts_at,))[0],
            old_ends_at=when.get("ends_at", (event.ends_at,))[0],
            old_time_zone=old_tz,
            old_format=Event.Format(relevant["format"][0]).label if "format" in relevant else "",
            old_venue=relevant["venue"][0] if "venue" in relevant else None,
            changed_venue="venue" in relevant,
            changed_link="stream_url" in relevant,
        )
        told += 1
    audit_log(
        actor=actor,
        action="forums.event.registrants_told",
        subject=event,
        data={"count": told, "changes": sorted(changes)},
    )
    return told


def _cancel_registrations_of(*, event: Event, actor, notify: bool = True) -> None:
    """The event is called off: every place and waiting-list place ends, and each person is told."""
    now = timezone.now()
    active = list(
        Registration.objects.select_for_update()
        .filter(event=event, status__in=Registration.ACTIVE)
        .select_related("person")
    )
    Registration.objects.filter(pk__in=[r.pk for r in active]).update(
        status=Registration.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by_staff=True,
        offer_expires_at=None,
    )
    for registration in active:
        registration.event = event
        held_place = registration.status in Registration.HOLDING
        registration.status = Registration.Status.CANCELLED
        if notify:
            # The calendar file (status CANCELLED) takes the event out of their calendar.
            _email(
                registration, "registration_cancelled", with_ics=held_place, event_cancelled=True
            )
    audit_log(
        actor=actor,
        action="forums.event.registrations_cancelled",
        subject=event,
        data={"count": len(active), "registrants_told": notify},
    )


@transaction.atomic
def invitation_add(
    *,
    user,
    event: Event,
    person: Person | None = None,
    organisation: Organisation | None = None,
    body: Body | None = None,
) -> EventInvitation:
    """Invite a person, an organisation's people, or the active members of an expert body."""
    require_staff(user, "forums.add_eventinvitation")
    if [person, organisation, body].count(None) != 2:
        raise DomainError(_("Invite either a person, an organisation or the members of a body."))
    exists = EventInvitation.objects.filter(
        event=event, person=person, organisation=organisation, body=body
    ).exists()
    if exists:
        raise DomainError(_("They are already invited."))
    invitation = EventInvitation.objects.create(
        event=event, person=person, organisation=organisation, body=body
    )
    audit_log(
        actor=user,
        action="forums.event.invited",
        subject=event,
        data={
            "person": getattr(person, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "body": getattr(body, "pk", None),
        },
    )
    return invitation


@transaction.atomic
def invitation_remove(*, user, invitation: EventInvitation) -> None:
    require_staff(user, "forums.delete_eventinvitation")
    event = invitation.event
    data = {
        "person": invitation.person_id,
        "organisation": invitation.organisation_id,
        "body": invitation.body_id,
    }
    invitation.delete()
    audit_log(actor=user, action="forums.event.invitation_removed", subject=event, data=data)
