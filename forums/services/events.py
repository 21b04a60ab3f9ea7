"""Staff writes on events and their invitation lists."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


@transaction.atomic
def event_save(*, user, event: Event | None = None, **fields) -> Event:
    """Create an event, or change one. More places (or a larger limit) go to the waiting list
    at once, in order."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown event fields: {sorted(unknown)}")
    creating = event is None
    event = Event() if creating else _lock_event(event.pk)
    was_cancelled = event.status == Event.Status.CANCELLED
    for name, value in fields.items():
        setattr(event, name, value)
    full_clean_or_refuse(event)
    event.save()
    audit_log(
        actor=user,
        action="forums.event.created" if creating else "forums.event.updated",
        subject=event,
        data={"fields": sorted(fields)},
    )
    if not creating and event.status == Event.Status.PUBLISHED:
        _fill_freed_places(event=event, actor=user, now=timezone.now())
    if not creating and event.status == Event.Status.CANCELLED and not was_cancelled:
        _cancel_registrations_of(event=event, actor=user)
    return event


def _cancel_registrations_of(*, event: Event, actor) -> None:
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
        registration.status = Registration.Status.CANCELLED
        _email(registration, "registration_cancelled", event_cancelled=True)
    audit_log(
        actor=actor,
        action="forums.event.registrations_cancelled",
        subject=event,
        data={"count": len(active)},
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
    event = invitation.event
    data = {
        "person": invitation.person_id,
        "organisation": invitation.organisation_id,
        "body": invitation.body_id,
    }
    invitation.delete()
    audit_log(actor=user, action="forums.event.invitation_removed", subject=event, data=data)
