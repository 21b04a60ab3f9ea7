"""Writes of the CRM. Each is one atomic, audited action that refuses with a DomainError."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import has_verified_email, require_staff
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError, full_clean_or_refuse

from .models import Affiliation, Consent, Note, Organisation, Person
from .validators import normalize_transparency_register_id


def _require_verified_email(user):
    if not has_verified_email(user):
        raise DomainError(
            _("Please confirm your email address first: we sent you a link when you signed up.")
        )


@transaction.atomic
def person_ensure_for_user(*, user, first_name: str = "", last_name: str = "") -> Person:
    """The user's Person record, created on first need (or linked by email)."""
    person = Person.objects.select_for_update().filter(user=user).first()
    if person:
        return person
    person = Person.objects.select_for_update().filter(email__iexact=user.email).first()
    if person and person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
        audit_log(actor=user, action="crm.person.linked", subject=person)
        return person
    if person:
        raise DomainError(_("This email address belongs to another account."))
    person = Person(
        user=user,
        email=user.email,
        first_name=first_name or user.first_name or user.email.split("@")[0],
        last_name=last_name or user.last_name,
    )
    full_clean_or_refuse(person, exclude=["last_name"] if not person.last_name else None)
    person.save()
    audit_log(actor=user, action="crm.person.created", subject=person)
    return person


@transaction.atomic
def person_update_profile(
    *,
    user,
    first_name: str,
    last_name: str,
    phone: str = "",
    nationality: str = "",
    gender: str = "",
    preferred_language: str = "en",
) -> Person:
    person = person_ensure_for_user(user=user, first_name=first_name, last_name=last_name)
    person.first_name = first_name
    person.last_name = last_name
    person.phone = phone
    person.nationality = nationality
    person.gender = gender
    person.preferred_language = preferred_language
    full_clean_or_refuse(person)
    person.save()
    if user.first_name != first_name or user.last_name != last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    audit_log(actor=user, action="crm.person.profile_updated", subject=person)
    return person


def _tell_person(affiliation: Affiliation, template: str, **context) -> None:
    """Email the person of an affiliation, in their language, after the change commits."""
    person = affiliation.person
    email_enqueue(
        to=person.email,
        template=f"crm/email/{template}",
        context={"organisation": affiliation.organisation, "person": person, **context},
        language=person.preferred_language,
    )


@transaction.atomic
def organisation_register(
    *,
    user,
    name: str,
    country: str,
    type: str,
    size: str = "",
    ai_role: str = Organisation.AIRole.NONE,
    acronym: str = "",
    transparency_register_id: str = "",
    website: str = "",
    sectors=(),
    position: str = "",
) -> Affiliation:
    """A signed-in person registers a new organisation and becomes its first representative.

    Both wait for staff confirmation before the person may act for it.
    """
    _require_verified_email(user)
    person = person_ensure_for_user(user=user)
    tr_id = normalize_transparency_register_id(transparency_register_id)
    if tr_id and Organisation.objects.filter(transparency_register_id=tr_id).exists():
        raise DomainError(
            _(
                "An organisation with this Transparency Register ID is already registered. "
                "Ask to represent it instead."
            ),
            field="transparency_register_id",
        )
    organisation = Organisation(
        name=name.strip(),
        acronym=acronym.strip(),
        country=country,
        type=type,
        size=size,
        ai_role=ai_role,
        transparency_register_id=tr_id,
        website=website,
        status=Organisation.Status.PENDING,
    )
    full_clean_or_refuse(organisation)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise DomainError(
            _("An organisation with this Transparency Register ID is already registered."),
            field="transparency_register_id",
        ) from exc
    if sectors:
        organisation.sectors.set(sectors)
    affiliation = Affiliation.objects.create(
        person=person,
        organisation=organisation,
        position=position,
        is_representative=True,
        status=Affiliation.Status.REQUESTED,
        valid_from=timezone.localdate(),
    )
    audit_log(actor=user, action="crm.organisation.registered", subject=organisation)
    _tell_person(affiliation, "organisation_registered")
    return affiliation


@transaction.atomic
def affiliation_request(*, user, organisation: Organisation, position: str = "") -> Affiliation:
    """A signed-in person asks to represent an existing organisation."""
    _require_verified_email(user)
    if organisation.status != Organisation.Status.ACTIVE:
        raise DomainError(_("This organisation cannot take requests at the moment."))
    person = person_ensure_for_user(user=user)
    existing = (
        Affiliation.objects.select_for_update()
        .filter(person=person, organisation=organisation, valid_to__isnull=True)
        .exclude(status=Affiliation.Status.REFUSED)
        .first()
    )
    if existing and (existing.is_representative or existing.status == Affiliation.Status.REQUESTED):
        raise DomainError(_("You have already asked to represent this organisation."))
    if existing:
        existing.is_representative = True
        existing.status = Affiliation.Status.REQUESTED
        existing.position = position or existing.position
        existing.save(update_fields=["is_representative", "status", "position"])
        affiliation = existing
    else:
        affiliation = Affiliation.objects.create(
            person=person,
            organisation=organisation,
            position=position,
            is_representative=True,
            status=Affiliation.Status.REQUESTED,
            valid_from=timezone.localdate(),
        )
    audit_log(
        actor=user,
        action="crm.affiliation.requested",
        subject=organisation,
        data={"affiliation": affiliation.pk},
    )
    _tell_person(affiliation, "representative_requested")
    return affiliation


@transaction.atomic
def affiliation_confirm(*, user, affiliation: Affiliation) -> Affiliation:
    """Staff confirm a representative; a pending organisation is confirmed with its first one."""
    require_staff(user, "crm.confirm_affiliation")
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.status != Affiliation.Status.REQUESTED:
        raise DomainError(_("This request has already been handled."))
    affiliation.status = Affiliation.Status.CONFIRMED
    affiliation.save(update_fields=["status"])
    organisation = affiliation.organisation
    if organisation.status == Organisation.Status.PENDING:
        organisation.status = Organisation.Status.ACTIVE
        organisation.save(update_fields=["status", "updated_at"])
        audit_log(actor=user, action="crm.organisation.confirmed", subject=organisation)
    audit_log(
        actor=user,
        action="crm.affiliation.confirmed",
        subject=organisation,
        data={"affiliation": affiliation.pk, "person": affiliation.person_id},
    )
    _tell_person(affiliation, "representative_confirmed")
    return affiliation


@transaction.atomic
def affiliation_refuse(*, user, affiliation: Affiliation, reason: str = "") -> Affiliation:
    require_staff(user, "crm.confirm_affiliation")
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.status != Affiliation.Status.REQUESTED:
        raise DomainError(_("This request has already been handled."))
    affiliation.status = Affiliation.Status.REFUSED
    affiliation.valid_to = max(timezone.localdate(), affiliation.valid_from or timezone.localdate())
    affiliation.save(update_fields=["status", "valid_to"])
    organisation = affiliation.organisation
    if organisation.status == Organisation.Status.PENDING:
        organisation.status = Organisation.Status.REJECTED
        organisation.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=user,
        action="crm.affiliation.refused",
        subject=organisation,
        data={"affiliation": affiliation.pk, "reason": reason},
    )
    _tell_person(affiliation, "representative_refused", reason=reason)
    return affiliation


@transaction.atomic
def note_add(
    *, user, text: str, kind: str = Note.Kind.NOTE, organisation=None, person=None
) -> Note:
    require_staff(user, "crm.view_organisation" if organisation else "crm.view_person")
    if not text.strip():
        raise DomainError(_("A note cannot be empty."), field="text")
    note = Note(organisation=organisation, person=person, kind=kind, text=text.strip(), author=user)
    full_clean_or_refuse(note, exclude=["author"])
    note.save()
    audit_log(actor=user, action="crm.note.added", subject=organisation or person)
    return note


@transaction.atomic
def consent_give(
    *, person: Person, purpose: str, privacy_notice: str, notice_version: str = ""
) -> Consent:
    """Record a consent, unless the same one (purpose and notice version) is already active."""
    version = notice_version or settings.PRIVACY_NOTICE_VERSION
    consent = Consent.objects.filter(
        person=person,
        purpose=purpose,
        privacy_notice=privacy_notice,
        notice_version=version,
        withdrawn_at__isnull=True,
    ).first()
    if consent:
        return consent
    consent = Consent.objects.create(
        person=person, purpose=purpose, privacy_notice=privacy_notice, notice_version=version
    )
    audit_log(
        actor=person.user, action="crm.consent.given", subject=person, data={"purpose": purpose}
    )
    return consent


@transaction.atomic
def consent_withdraw(*, person: Person, purpose: str) -> int:
    withdrawn = Consent.objects.filter(
        person=person, purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if withdrawn:
        audit_log(
            actor=person.user,
            action="crm.consent.withdrawn",
            subject=person,
            data={"purpose": purpose},
        )
    return withdrawn
