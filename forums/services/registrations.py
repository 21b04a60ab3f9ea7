"""Writes of the events module. Each is one atomic, audited action that refuses with a DomainError.

Capacity: every decision that takes or frees a place locks the event row first
(`_lock_event`), so registrations and cancellations of one event are serialised while
registrations of different events run side by side. Under that lock one aggregate query
counts the places held, the waiting list, the registrant's organisation and the registrant
themself.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import has_verified_email, require_staff
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError, full_clean_or_refuse
from crm.models import Affiliation, Consent, Organisation, Person
from crm.selectors import user_can_act_for
from crm.services import consent_give, person_ensure_for_user

from ..calendar import event_ics, ics_filename
from ..models import Event, EventInvitation, Membership, Registration

SPECIAL_REQUIREMENTS_RETENTION = timedelta(days=30)
REMINDER_LEAD_TIME = timedelta(hours=24)

# Fields the registration services fill from rows they have just read (or locked); validating
# them again would cost a query each and prove nothing the foreign keys do not.
_LOADED_RELATIONS = ["event", "person", "organisation", "registered_by"]


def _lock_event(event_id) -> Event:
    """The event row, locked until the transaction ends (SELECT ... FOR UPDATE)."""
    return Event.objects.select_for_update().get(pk=event_id)


def _current_affiliations():
    """Current confirmed affiliations to active organisations, a representative role first
    (then the oldest): the first one is the organisation a registrant comes from."""
    return (
        Affiliation.objects.current()
        .filter(
            status=Affiliation.Status.CONFIRMED,
            organisation__status=Organisation.Status.ACTIVE,
        )
        .order_by("-is_representative", "created_at", "pk")
    )


def _current_organisation_id(person: Person) -> int | None:
    return (
        _current_affiliations()
        .filter(person=person)
        .values_list("organisation_id", flat=True)
        .first()
    )


def _registrant(user) -> tuple[Person, int | None]:
    """The user's Person and current organisation, in one query (created on first need)."""
    person = (
        Person.objects.filter(user=user)
        .annotate(
            current_organisation_id=Subquery(
                _current_affiliations().filter(person=OuterRef("pk")).values("organisation_id")[:1]
            )
        )
        .first()
    )
    if person is None:
        person = person_ensure_for_user(user=user)
        return person, _current_organisation_id(person)
    return person, person.current_organisation_id


def _check_open(event: Event, now) -> None:
    if event.status == Event.Status.CANCELLED:
        raise DomainError(_("This event has been cancelled."), code="cancelled")
    if event.status != Event.Status.PUBLISHED:
        raise DomainError(_("Registration for this event is not open."), code="closed")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise DomainError(_("Registration for this event has not opened yet."), code="not_yet_open")
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        raise DomainError(_("Registration for this event is closed."), code="closed")


def _check_audience(event: Event, person: Person, organisation_id: int | None) -> None:
    """Invited: the person, an organisation they currently belong to (or register for), or a
    body they are an active member of."""
    if event.audience == Event.Audience.PUBLIC:
        return
    organisations = (
        Affiliation.objects.current()
        .filter(person=person, status=Affiliation.Status.CONFIRMED)
        .values("organisation_id")
    )
    bodies = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE).values(
        "body_id"
    )
    invited = Q(person=person) | Q(organisation_id__in=organisations) | Q(body_id__in=bodies)
    if organisation_id:
        invited |= Q(organisation_id=organisation_id)
    if not EventInvitation.objects.filter(invited, event=event).exists():
        raise DomainError(
            _("This event is by invitation only, and you are not on the list of invited guests."),
            code="not_invited",
        )


def _email(registration: Registration, template: str, *, with_ics: bool = False, **extra) -> None:
    """Send one of the registration emails once the transaction has committed.

    Rendering waits for the commit too, so it never lengthens the time the event row is locked.
    The calendar file is written in the person's language and carries the stream link only for
    a confirmed participant who attends online.
    """

    def send():
        event, person = registration.event, registration.person
        attachments = []
        if with_ics:
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                ics = event_ics(event, registration=registration)
            attachments = [(ics_filename(event), ics, "text/calendar")]
        email_enqueue(
            to=person.email,
            template=f"forums/email/{template}",
            context={"registration": registration, "event": event, "person": person, **extra},
            language=person.preferred_language,
            attachments=attachments,
        )

    transaction.on_commit(send)


def _mode_for(event: Event, mode: str) -> str:
    """How the registrant attends: their choice at a hybrid event, the event's one way otherwise."""
    if not mode:
        if len(event.modes) == 1:
            return event.modes[0]
        raise DomainError(
            _("Choose whether you will attend in person or online."),
            field="mode",
            code="mode_required",
        )
    if mode not in event.modes:
        raise DomainError(
            _("This event cannot be attended that way."), field="mode", code="mode_unavailable"
        )
    return mode


def _waitlist_position(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            mode=registration.mode,
            status=Registration.Status.WAITLISTED,
            waitlisted_at__lt=registration.waitlisted_at,
        ).count()
        + 1
    )


@transaction.atomic
def registration_create(
    *,
    user,
    event: Event,
    person: Person | None = None,
    organisation: Organisation | None = None,
    photo_opt_out: bool = False,
    on_participant_list: bool = False,
    special_requirements: str = "",
    special_requirements_consent: bool = False,
    mode: str = "",
) -> Registration:
    """Register the signed-in user (or, for a representative, a colleague of `organisation`).

    `mode` is how they attend (in person or online): required at a hybrid event, whose two ways
    of attending have a capacity and a waiting list each. The result is confirmed, or
    waitlisted; every refusal is a DomainError with a `code`: mode_required, mode_unavailable,
    cancelled, closed, not_yet_open, not_invited, already_registered, organisation_full, full.
    """
    now = timezone.now()
    mode = _mode_for(event, mode)
    special_requirements = special_requirements.strip()
    if special_requirements and not special_requirements_consent:
        raise DomainError(
            _(
                "Please agree to the processing of your special requirements, or leave the "
                "field empty."
            ),
            field="special_requirements_consent",
        )
    if person is None:
        person, organisation_id = _registrant(user)
    else:
        # A representative registers a colleague: the place counts for their organisation.
        if organisation is None or not user_can_act_for(user=user, organisation=organisation):
            raise DomainError(
                _("You may register colleagues only for an organisation you represent.")
            )
        organisation_id = organisation.pk

    _check_open(event, now)
    _check_audience(event, person, organisation_id)

    privacy = {
        "privacy_notice": event.privacy_notice,
        "notice_version": event.privacy_notice_version,
    }
    if on_participant_list:
        consent_give(person=person, purpose=Consent.Purpose.EVENT_PARTICIPANT_LIST, **privacy)
    if special_requirements:
        consent_give(person=person, purpose=Consent.Purpose.SPECIAL_REQUIREMENTS, **privacy)

    event = _lock_event(event.pk)
    _check_open(event, now)
    mode = _mode_for(event, mode)  # the format may have changed while we waited for the lock
    counts = Registration.objects.filter(
        event_id=event.pk, status__in=Registration.ACTIVE
    ).aggregate(
        holding=Count("pk", filter=Q(status__in=Registration.HOLDING, mode=mode)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED, mode=mode)),
        organisation=Count("pk", filter=Q(organisation_id=organisation_id or 0)),
        own=Count("pk", filter=Q(person_id=person.pk)),
    )
    if counts["own"]:
        raise DomainError(
            _("%(name)s is already registered for this event.") % {"name": person.full_name},
            code="already_registered",
        )
    if (
        organisation_id
        and event.max_per_organisation is not None
        and counts["organisation"] >= event.max_per_organisation
    ):
        raise DomainError(
            _("Your organisation already has the most places allowed for this event (%(count)d).")
            % {"count": event.max_per_organisation},
            code="organisation_full",
        )
    capacity = event.capacity_for(mode)
    has_place = capacity is None or counts["holding"] < capacity
    if not has_place and not event.waitlist_enabled:
        if event.is_hybrid:
            raise DomainError(
                _("There is no place left %(mode)s, and no waiting list.")
                % {"mode": _mode_phrase(mode)},
                field="mode",
                code="full",
            )
        raise DomainError(_("This event is full and has no waiting list."), code="full")

    registration = Registration(
        event=event,
        person=person,
        organisation_id=organisation_id,
        registered_by=user,
        mode=mode,
        status=Registration.Status.CONFIRMED if has_place else Registration.Status.WAITLISTED,
        confirmed_at=now if has_place else None,
        waitlisted_at=None if has_place else now,
        photo_opt_out=photo_opt_out,
        on_participant_list=on_participant_list,
        special_requirements=special_requirements,
    )
    full_clean_or_refuse(
        registration, exclude=_LOADED_RELATIONS, validate_unique=False, validate_constraints=False
    )
    try:
        registration.save()
    except IntegrityError as exc:  # a second request of the same person, seen by the constraint
        raise DomainError(
            _("%(name)s is already registered for this event.") % {"name": person.full_name},
            code="already_registered",
        ) from exc
    registration.waitlist_position = None if has_place else counts["waiting"] + 1
    audit_log(
        actor=user,
        action=f"forums.registration.{registration.status}",
        subject=registration,
        data={"event": event.pk, "person": person.pk, "mode": mode},
    )
    if has_place:
        _email(registration, "registration_confirmed", with_ics=True)
    else:
        _email(registration, "registration_waitlisted", position=registration.waitlist_position)
    return registration


def _mode_phrase(mode: str) -> str:
    return _("in the room") if mode == Registration.Mode.IN_PERSON else _("online")


def _fill_freed_places(
    *, event: Event, actor, now, modes: list[str] | None = None
) -> list[Registration]:
    """Give free places to the waiting list in order, for each way of attending (in person,
    online) separately. The event row must be locked."""
    if event.is_past:
        return []
    modes = [mode for mode in (modes or event.modes) if mode in event.modes]
    counts = Registration.objects.filter(event=event, status__in=Registration.ACTIVE).aggregate(
        **{
            f"{mode}_{name}": Count("pk", filter=Q(mode=mode, status__in=statuses))
            for mode in modes
            for name, statuses in (
                ("held", Registration.HOLDING),
                ("waiting", [Registration.Status.WAITLISTED]),
            )
        }
    )
    promoted = []
    for mode in modes:
        capacity = event.capacity_for(mode)
        waiting = counts[f"{mode}_waiting"]
        free = waiting if capacity is None else max(0, capacity - counts[f"{mode}_held"])
        if not free or not waiting:
            continue
        promoted += list(
            Registration.objects.select_for_update()
            .filter(event=event, mode=mode, status=Registration.Status.WAITLISTED)
            .select_related("person")
            .order_by("waitlisted_at", "pk")[:free]
        )
    for registration in promoted:
        registration.event = event
        if event.waitlist_offer_hours:
            registration.status = Registration.Status.OFFERED
            registration.offer_expires_at = now + timedelta(hours=event.waitlist_offer_hours)
            registration.save(update_fields=["status", "offer_expires_at"])
            _email(registration, "registration_offered")
        else:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _email(registration, "registration_promoted", with_ics=True)
        audit_log(
            actor=actor,
            action=f"forums.registration.promoted_{registration.status}",
            subject=registration,
            data={"event": event.pk, "mode": registration.mode},
        )
    return promoted


@transaction.atomic
def registration_cancel(
    *, user, registration: Registration, by_staff: bool = False
) -> Registration:
    """Cancel a place (or a place on the waiting list); the first person waiting for the same
    way of attending moves up. The person is emailed in every case."""
    if by_staff:
        require_staff(user, "forums.change_registration")
    now = timezone.now()
    event = _lock_event(registration.event_id)
    registration = (
        Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
    )
    if not by_staff:
        _require_own_registration(user, registration)
    registration.event = event
    if not registration.is_active:
        raise DomainError(_("This registration is already cancelled."))
    if not by_staff and event.ends_at <= now:
        raise DomainError(_("This event is over; the registration can no longer be cancelled."))
    held_place = registration.status in Registration.HOLDING
    was_waiting = registration.status == Registration.Status.WAITLISTED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.cancelled_by_staff = by_staff
    registration.offer_expires_at = None
    registration.save(
        update_fields=["status", "cancelled_at", "cancelled_by_staff", "offer_expires_at"]
    )
    audit_log(
        actor=user,
        action="forums.registration.cancelled",
        subject=registration,
        data={"event": event.pk, "by_staff": by_staff},
    )
    _email(registration, "registration_cancelled", by_staff=by_staff, left_waitlist=was_waiting)
    if held_place:
        _fill_freed_places(event=event, actor=user, now=now, modes=[registration.mode])
    return registration


def _require_own_registration(user, registration: Registration) -> None:
    """Only the registered person acts on their place (a view finds nothing else to show)."""
    if getattr(user, "pk", None) is None or registration.person.user_id != user.pk:
        raise PermissionDenied


@transaction.atomic
def registration_accept_offer(*, user, registration: Registration) -> Registration:
    now = timezone.now()
    event = _lock_event(registration.event_id)
    registration = (
        Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
    )
    _require_own_registration(user, registration)
    registration.event = event
    if registration.status != Registration.Status.OFFERED:
        raise DomainError(_("There is no place on offer for this registration."))
    if registration.offer_expires_at <= now:
        raise DomainError(_("Sorry, this offer has expired and the place has passed on."))
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
    audit_log(actor=user, action="forums.registration.offer_accepted", subject=registration)
    _email(registration, "registration_confirmed", with_ics=True)
    return registration


def waitlist_offers_expire(*, now=None) -> int:
    """Offers not accepted in time lapse and pass on to the next person. Returns how many."""
    now = now or timezone.now()
    expired = 0
    event_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with transaction.atomic():
            event = _lock_event(event_id)
            lapsed = list(
                Registration.objects.select_for_update()
                .filter(event=event, status=Registration.Status.OFFERED, offer_expires_at__lte=now)
                .select_related("person")
            )
            for registration in lapsed:
                registration.event = event
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = now
                registration.offer_expires_at = None
                registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
                audit_log(
                    actor=None, action="forums.registration.offer_expired", subject=registration
                )
                _email(registration, "registration_cancelled", offer_expired=True)
            expired += len(lapsed)
            _fill_freed_places(
                event=event, actor=None, now=now, modes=sorted({r.mode for r in lapsed})
            )
    return expired


def event_reminders_send(*, now=None) -> int:
    """Remind confirmed participants of events that start in the next 24 hours, once each."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + REMINDER_LEAD_TIME
    )
    for event in events:
        with transaction.atomic():
            due = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(
                    event=event,
                    status=Registration.Status.CONFIRMED,
                    reminder_sent_at__isnull=True,
                )
                .select_related("person")
            )
            if not due:
                continue
            Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminder_sent_at=now)
            for registration in due:
                registration.event = event
                _email(registration, "event_reminder", with_ics=True)
            audit_log(
                actor=None,
                action="forums.event.reminders_sent",
                subject=event,
                data={"count": len(due)},
            )
            sent += len(due)
    return sent


def special_requirements_purge(*, now=None) -> int:
    """Delete special requirements (special-category data) 30 days after an event ends."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Registration.objects.filter(
            event__ends_at__lte=now - SPECIAL_REQUIREMENTS_RETENTION
        ).exclude(special_requirements="")
        event_ids = sorted(set(due.values_list("event_id", flat=True)))
        purged = due.update(special_requirements="", special_requirements_purged_at=now)
        for event in Event.objects.filter(pk__in=event_ids):
            audit_log(actor=None, action="forums.event.special_requirements_purged", subject=event)
    return purged


def _refuse_colleague() -> DomainError:
    """One refusal for every reason a colleague cannot be registered, so that the answer tells
    nothing about whom an email address belongs to."""
    return DomainError(
        _(
            "You can register only colleagues of an organisation you represent: use the email "
            "address they have with your organisation."
        ),
        field="email",
        code="not_a_colleague",
    )


@transaction.atomic
def registration_create_for_colleague(
    *,
    user,
    event: Event,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    **choices,
) -> Registration:
    """A representative registers a colleague; the place counts towards their organisation's cap.

    The email must be that of a person currently affiliated with the organisation, or of nobody
    yet known (a new person is then recorded as a colleague). Consents are never recorded in the
    name of an existing person: only they can give them.
    """
    if not user.is_authenticated:
        raise DomainError(_("Please sign in first."))
    if not has_verified_email(user):
        raise DomainError(
            _("Please confirm your email address first: we sent you a link when you signed up.")
        )
    if not user_can_act_for(user=user, organisation=organisation):
        raise _refuse_colleague()
    email = email.strip()
    first_name, last_name = first_name.strip(), last_name.strip()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person(first_name=first_name, last_name=last_name, email=email)
        full_clean_or_refuse(person)
        person.save()
        Affiliation.objects.create(
            person=person, organisation=organisation, status=Affiliation.Status.CONFIRMED
        )
        audit_log(
            actor=user,
            action="crm.person.created",
            subject=person,
            data={"event": event.pk, "organisation": organisation.pk},
        )
    else:
        affiliated = (
            Affiliation.objects.current()
            .filter(person=person, organisation=organisation, status=Affiliation.Status.CONFIRMED)
            .exists()
        )
        if not affiliated:
            raise _refuse_colleague()
        if person.user_id != user.pk and (
            choices.get("on_participant_list") or choices.get("special_requirements", "").strip()
        ):
            raise DomainError(
                _(
                    "Only your colleague can agree to appear on the participant list or share "
                    "special requirements. Register them without these; they can add them "
                    "from their own account."
                ),
                code="consent_not_theirs",
            )
    try:
        return registration_create(
            user=user, event=event, person=person, organisation=organisation, **choices
        )
    except DomainError as error:
        if error.code == "already_registered":
            raise DomainError(
                _("%(name)s is already registered for this event.")
                % {"name": f"{first_name} {last_name}".strip() or email},
                code="already_registered",
            ) from error
        raise
