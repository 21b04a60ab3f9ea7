"""Writes of the CRM. Each is one atomic, audited action that refuses with a DomainError."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import has_verified_email, is_staff_user, require_staff
from core.audit import audit_log, audit_log_many
from core.email import email_enqueue
from core.errors import DomainError, full_clean_or_refuse
from core.models import AccountLanguage

from .models import (
    Affiliation,
    ApiToken,
    Consent,
    ErasureRequest,
    Note,
    Organisation,
    Person,
    StaffAlertSetting,
    Tag,
)
from .registry import person_data
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
    # The language the person chose for their account is the one the CRM writes to them in.
    chosen = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if person and person.user_id is None:
        person.user = user
        person.preferred_language = chosen or person.preferred_language
        person.save(update_fields=["user", "preferred_language"])
        audit_log(actor=user, action="crm.person.linked", subject=person)
        return person
    if person:
        raise DomainError(_("This email address belongs to another account."))
    person = Person(
        user=user,
        email=user.email,
        first_name=first_name or user.first_name or user.email.split("@")[0],
        last_name=last_name or user.last_name,
        preferred_language=chosen or settings.LANGUAGE_CODE,
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
    before = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "nationality": person.nationality.code if person.nationality else "",
        "gender": person.gender,
        "preferred_language": person.preferred_language,
    }
    person.first_name = first_name
    person.last_name = last_name
    person.phone = phone
    person.nationality = nationality
    person.gender = gender
    person.preferred_language = preferred_language
    full_clean_or_refuse(person)
    person.save()
    AccountLanguage.objects.update_or_create(user=user, defaults={"language": preferred_language})
    if user.first_name != first_name or user.last_name != last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    after = {
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "nationality": nationality,
        "gender": gender,
        "preferred_language": preferred_language,
    }
    # The names of the fields that changed, not their values: the history is not a copy of
    # the personal data.
    changed = sorted(name for name, value in after.items() if before[name] != value)
    audit_log(
        actor=user, action="crm.person.profile_updated", subject=person, data={"fields": changed}
    )
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


def _alert_staff_of_request(affiliation: Affiliation) -> None:
    from .alerts import staff_alert

    staff_alert(
        queue="representatives",
        summary=_("%(person)s asks to represent %(organisation)s")
        % {"person": affiliation.person.full_name, "organisation": affiliation.organisation.name},
        url=reverse("crm:affiliation_queue"),
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
    _alert_staff_of_request(affiliation)
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
    _alert_staff_of_request(affiliation)
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


# --- staff keep the records --------------------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "transparency_register_id",
    "country",
    "type",
    "size",
    "ai_role",
    "website",
    "status",
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "nationality",
    "gender",
    "preferred_language",
)


def _plain(value):
    """A field value as the history records it (JSON: text, numbers, lists of names)."""
    if value is None:
        return ""
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    return value if isinstance(value, bool | int | float) else str(value)


def _apply_changes(instance, fields: tuple, values: dict) -> dict:
    """Set the given fields, returning {field: [before, after]} for those that changed."""
    changes = {}
    for field in fields:
        if field not in values:
            continue
        before, after = _plain(getattr(instance, field)), _plain(values[field])
        if before != after:
            setattr(instance, field, values[field])
            changes[field] = [before, after]
    return changes


def _set_related(instance, name: str, objects, changes: dict) -> None:
    if objects is None:
        return
    manager = getattr(instance, name)
    before = sorted(str(o) for o in manager.all())
    after = sorted(str(o) for o in objects)
    if before != after:
        manager.set(objects)
        changes[name] = [before, after]


def _save_unique(record, *, field: str) -> None:
    """Save; a concurrent record that took the same unique value first is refused like any
    duplicate (the database's constraint decides, the check before it only explains)."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise DomainError(_("This value is already used by another record."), field=field) from exc


def _refuse_duplicate_register_id(organisation: Organisation) -> None:
    tr_id = organisation.transparency_register_id
    if tr_id and (
        Organisation.objects.filter(transparency_register_id=tr_id)
        .exclude(pk=organisation.pk)
        .exists()
    ):
        raise DomainError(
            _("Another organisation already has this Transparency Register ID."),
            field="transparency_register_id",
        )


@transaction.atomic
def organisation_create(*, user, sectors=(), tags=(), **values) -> Organisation:
    """Staff add an organisation to the CRM (confirmed at once: staff vouch for it)."""
    require_staff(user, "crm.add_organisation")
    values["transparency_register_id"] = normalize_transparency_register_id(
        values.get("transparency_register_id")
    )
    values.setdefault("status", Organisation.Status.ACTIVE)
    organisation = Organisation(**{f: values[f] for f in ORGANISATION_FIELDS if f in values})
    organisation.name = organisation.name.strip()
    _refuse_duplicate_register_id(organisation)
    full_clean_or_refuse(organisation)
    _save_unique(organisation, field="transparency_register_id")
    organisation.sectors.set(sectors)
    organisation.tags.set(tags)
    audit_log(actor=user, action="crm.organisation.created", subject=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, user, organisation: Organisation, sectors=None, tags=None, **values
) -> Organisation:
    """Staff correct an organisation; the history records each field before and after."""
    require_staff(user, "crm.change_organisation")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "transparency_register_id" in values:
        values["transparency_register_id"] = normalize_transparency_register_id(
            values["transparency_register_id"]
        )
    changes = _apply_changes(organisation, ORGANISATION_FIELDS, values)
    if changes:
        organisation.name = organisation.name.strip()
        _refuse_duplicate_register_id(organisation)
        full_clean_or_refuse(organisation)
        _save_unique(organisation, field="transparency_register_id")
    _set_related(organisation, "sectors", sectors, changes)
    _set_related(organisation, "tags", tags, changes)
    if changes:
        audit_log(
            actor=user,
            action="crm.organisation.updated",
            subject=organisation,
            data={"changes": changes},
        )
    return organisation


def _refuse_duplicate_email(person: Person) -> None:
    if Person.objects.filter(email__iexact=person.email).exclude(pk=person.pk).exists():
        raise DomainError(_("Another person already has this email address."), field="email")


@transaction.atomic
def person_create(*, user, tags=(), **values) -> Person:
    require_staff(user, "crm.add_person")
    person = Person(**{f: values[f] for f in PERSON_FIELDS if f in values})
    person.email = person.email.strip()
    _refuse_duplicate_email(person)
    full_clean_or_refuse(person, exclude=["user"])
    _save_unique(person, field="email")
    person.tags.set(tags)
    audit_log(actor=user, action="crm.person.created", subject=person)
    return person


@transaction.atomic
def person_update(*, user, person: Person, tags=None, **values) -> Person:
    """Staff correct a person's record; the history records each field before and after."""
    require_staff(user, "crm.change_person")
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = _apply_changes(person, PERSON_FIELDS, values)
    if changes:
        person.email = person.email.strip()
        _refuse_duplicate_email(person)
        full_clean_or_refuse(person, exclude=["user"])
        _save_unique(person, field="email")
    _set_related(person, "tags", tags, changes)
    if changes:
        audit_log(
            actor=user, action="crm.person.updated", subject=person, data={"changes": changes}
        )
    return person


@transaction.atomic
def affiliation_add(
    *,
    user,
    person: Person,
    organisation: Organisation,
    position: str = "",
    is_representative: bool = False,
    valid_from=None,
) -> Affiliation:
    """Staff record that a person works at an organisation (confirmed: staff know it)."""
    require_staff(user, "crm.add_affiliation")
    if (
        Affiliation.objects.current()
        .filter(person=person, organisation=organisation)
        .exclude(status=Affiliation.Status.REFUSED)
        .exists()
    ):
        raise DomainError(
            _("This person is already linked to this organisation."), field="organisation"
        )
    affiliation = Affiliation(
        person=person,
        organisation=organisation,
        position=position.strip(),
        is_representative=is_representative,
        status=Affiliation.Status.CONFIRMED,
        valid_from=valid_from or timezone.localdate(),
    )
    full_clean_or_refuse(affiliation)
    affiliation.save()
    for subject in (organisation, person):
        audit_log(
            actor=user,
            action="crm.affiliation.added",
            subject=subject,
            data={
                "affiliation": affiliation.pk,
                "person": person.pk,
                "organisation": organisation.pk,
            },
        )
    return affiliation


@transaction.atomic
def affiliation_end(*, user, affiliation: Affiliation, on=None) -> Affiliation:
    """`on` is the last day the person worked there (and could act for it); by default
    yesterday, so that they stop acting for the organisation at once."""
    require_staff(user, "crm.change_affiliation")
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.valid_to is not None:
        raise DomainError(_("This link has already ended."))
    if on is None:
        on = timezone.localdate() - datetime.timedelta(days=1)
        if affiliation.valid_from and on < affiliation.valid_from:
            on = affiliation.valid_from
    if affiliation.valid_from and on < affiliation.valid_from:
        raise DomainError(_("A link cannot end before it began."), field="valid_to")
    affiliation.valid_to = on
    affiliation.save(update_fields=["valid_to"])
    for subject in (affiliation.organisation, affiliation.person):
        audit_log(
            actor=user,
            action="crm.affiliation.ended",
            subject=subject,
            data={"affiliation": affiliation.pk, "on": on.isoformat()},
        )
    return affiliation


@transaction.atomic
def organisations_tag(*, user, organisations, tag_name: str, remove: bool = False) -> int:
    """Add a tag to (or remove it from) several organisations at once; returns how many
    changed. Each change is in its organisation's history."""
    require_staff(user, "crm.change_organisation")
    return _records_tag(
        user=user,
        records=organisations,
        model=Organisation,
        tag_name=tag_name,
        remove=remove,
        none_ticked=_("Tick at least one organisation."),
    )


@transaction.atomic
def people_tag(*, user, people, tag_name: str, remove: bool = False) -> int:
    """Add a tag to (or remove it from) several people at once; returns how many changed.
    Each change is in the person's history."""
    require_staff(user, "crm.change_person")
    return _records_tag(
        user=user,
        records=people,
        model=Person,
        tag_name=tag_name,
        remove=remove,
        none_ticked=_("Tick at least one person."),
    )


def _records_tag(*, user, records, model, tag_name: str, remove: bool, none_ticked) -> int:
    """Tag or untag organisations or people (`model`), audited as `crm.<model>.(un)tagged`."""
    tag_name = " ".join(tag_name.split())[:60]
    if not tag_name:
        raise DomainError(_("Type the tag to add or remove."), field="tag")
    records = list(records)
    if not records:
        raise DomainError(none_ticked)
    Through = model.tags.through
    link = f"{model._meta.model_name}_id"
    links_of = Through.objects.filter(**{f"{model._meta.model_name}__in": records})
    if remove:
        tag = Tag.objects.filter(name__iexact=tag_name).first()
        if tag is None:
            return 0
        links = links_of.filter(tag=tag)
        changed = set(links.values_list(link, flat=True))
        links.delete()
    else:
        tag = Tag.objects.filter(name__iexact=tag_name).first() or Tag.objects.create(name=tag_name)
        already = set(links_of.filter(tag=tag).values_list(link, flat=True))
        changed = {record.pk for record in records} - already
        Through.objects.bulk_create(Through(**{link: pk}, tag=tag) for pk in changed)
    audit_log_many(
        actor=user,
        action=f"crm.{model._meta.model_name}.{'untagged' if remove else 'tagged'}",
        subjects=[record for record in records if record.pk in changed],
        data={"tag": tag.name},
    )
    return len(changed)


# --- Data-subject rights ------------------------------------------------------------------


@transaction.atomic
def person_data_export(*, user) -> dict:
    """Everything the service holds about the signed-in user, from every app."""
    person = Person.objects.filter(user=user).first()
    data = {
        "generated_at": timezone.now(),
        "privacy_notice": {
            "name": settings.PRIVACY_NOTICE_NAME,
            "version": settings.PRIVACY_NOTICE_VERSION,
        },
    }
    if person is None:
        data["account"] = {
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
        audit_log(actor=user, action="crm.person.data_exported")
        return data
    data.update(person_data.export(person=person))
    audit_log(actor=user, action="crm.person.data_exported", subject=person)
    return data


@transaction.atomic
def consent_withdraw_own(*, user, consent_id: int) -> Consent:
    """The signed-in person withdraws one of their own consents."""
    consent = (
        Consent.objects.select_for_update()
        .filter(pk=consent_id, person__user=user, person__user__isnull=False)
        .first()
    )
    if consent is None:
        raise DomainError(_("This consent does not exist or is not yours."))
    if consent.withdrawn_at is not None:
        raise DomainError(_("You have already withdrawn this consent."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_log(
        actor=user,
        action="crm.consent.withdrawn",
        subject=consent.person,
        data={"purpose": consent.purpose, "consent": consent.pk},
    )
    return consent


@transaction.atomic
def erasure_request_create(*, user, reason: str = "") -> ErasureRequest:
    """The signed-in person asks for their personal data to be erased."""
    if is_staff_user(user) or user.is_superuser:
        raise DomainError(
            _(
                "Staff accounts are closed by the AI Office's user administration, not through "
                "an erasure request."
            )
        )
    person = person_ensure_for_user(user=user)
    if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.PENDING).exists():
        raise DomainError(_("You have already asked for your data to be erased."))
    now = timezone.now()
    request = ErasureRequest(
        person=person, reason=reason.strip(), requested_at=now, due_on=ErasureRequest.due_for(now)
    )
    full_clean_or_refuse(request)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise DomainError(_("You have already asked for your data to be erased.")) from exc
    audit_log(
        actor=user,
        action="crm.erasure.requested",
        subject=person,
        data={"request": request.pk, "due_on": request.due_on.isoformat()},
    )
    return request


def _require_erasure_handler(user):
    if not (is_staff_user(user) and user.has_perm("crm.handle_erasure_request")):
        raise DomainError(_("Only the data-protection coordinator may decide on erasure."))


def _lock_pending(erasure_request: ErasureRequest) -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if locked.status != ErasureRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."))
    return locked


@transaction.atomic
def erasure_request_carry_out(*, user, erasure_request: ErasureRequest) -> dict:
    """Anonymise the person in every app, deactivate the account, and record that it happened
    (with counts, never the erased data)."""
    _require_erasure_handler(user)
    erasure_request = _lock_pending(erasure_request)
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=erasure_request.person_id)
    )
    if person.user_id is not None and (person.user.is_staff or person.user.is_superuser):
        raise DomainError(
            _("This person has a staff account: close it through user administration first.")
        )
    counts = person_data.erase(person=person, actor=user)
    erasure_request.status = ErasureRequest.Status.DONE
    erasure_request.decided_at = timezone.now()
    erasure_request.decided_by = user
    erasure_request.reason = ""
    erasure_request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    audit_log(
        actor=user,
        action="crm.person.erased",
        subject=person,
        data={"request": erasure_request.pk, "counts": counts},
    )
    return counts


@transaction.atomic
def erasure_request_refuse(
    *, user, erasure_request: ErasureRequest, grounds: str
) -> ErasureRequest:
    """Refuse an erasure request on legal grounds, which the person is told."""
    _require_erasure_handler(user)
    if not grounds.strip():
        raise DomainError(_("Give the legal grounds for refusing."), field="grounds")
    erasure_request = _lock_pending(erasure_request)
    erasure_request.status = ErasureRequest.Status.REFUSED
    erasure_request.decided_at = timezone.now()
    erasure_request.decided_by = user
    erasure_request.decision_note = grounds.strip()
    erasure_request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit_log(
        actor=user,
        action="crm.erasure.refused",
        subject=erasure_request.person,
        data={"request": erasure_request.pk},
    )
    return erasure_request


@transaction.atomic
def staff_alerts_set(*, user, frequency: str) -> StaffAlertSetting:
    """A staff member chooses how to hear about the work that waits for them."""
    require_staff(user)
    if frequency not in StaffAlertSetting.Frequency.values:
        raise DomainError(_("Choose one of the options."), field="frequency")
    setting, _created = StaffAlertSetting.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    audit_log(
        actor=user, action="crm.staff_alerts.set", subject=setting, data={"frequency": frequency}
    )
    return setting


@transaction.atomic
def api_token_create(*, user, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """A new API key for a staff member; returns the record and the key, shown only now."""
    require_staff(user)
    name = name.strip()
    if not name:
        raise DomainError(_("Say what the key is for."), field="name")
    if not 1 <= days <= 730:
        raise DomainError(_("A key lasts between 1 and 730 days."), field="days")
    secret = "aio_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[4:12],
        digest=hashlib.sha256(secret.encode()).hexdigest(),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_log(actor=user, action="crm.api_token.created", subject=token, data={"name": token.name})
    return token, secret


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise PermissionDenied(_("You may revoke only your own keys."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=user, action="crm.api_token.revoked", subject=token)
    return token
