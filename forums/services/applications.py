"""Applications to calls: drafts, submission while the call is open, withdrawal.

Every decision that depends on the other applications of a call (one per person, one per
organisation) locks the call row first, so two requests cannot both pass the check.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import has_verified_email
from core.audit import audit_log
from core.errors import DomainError, full_clean_or_refuse
from crm.models import Affiliation, Organisation, Person
from crm.selectors import user_can_act_for
from crm.services import person_ensure_for_user

from ..models import Application, Call, Declaration, Nomination

CV_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"

APPLICATION_FIELDS = ["role", "expertise", "motivation", "nationality", "gender"]


def _check_cv(cv) -> None:
    """A CV must be a PDF by its content (not its name) and at most 5 MB."""
    if cv.size > CV_MAX_BYTES:
        raise DomainError(_("The CV is larger than 5 MB. Please send a smaller PDF."), field="cv")
    cv.seek(0)
    head = cv.read(len(PDF_MAGIC))
    cv.seek(0)
    if head != PDF_MAGIC:
        raise DomainError(_("The CV must be a PDF file."), field="cv")


def _check_open(call: Call) -> None:
    if not call.is_open:
        raise DomainError(_("This call is not open for applications."), code="closed")


def _lock_call(call_id) -> Call:
    return Call.objects.select_for_update().get(pk=call_id)


@transaction.atomic
def application_save(
    *,
    user,
    call: Call,
    application: Application | None = None,
    organisation: Organisation | None = None,
    cv=None,
    submit: bool = False,
    **fields,
) -> Application:
    """Save a draft application (creating it on first save) and, with `submit`, submit it.

    Refusals: closed call, applicant kind the call does not take, role the call does not offer,
    not a verified representative, missing Transparency Register ID, a second application of
    the same person or organisation in the call, a CV that is not a PDF or too big, and any
    change to an application already submitted.
    """
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown application fields: {sorted(unknown)}")
    if not user.is_authenticated:
        raise DomainError(_("Please sign in first."))
    call = _lock_call(call.pk)
    _check_open(call)
    creating = application is None
    if creating:
        person = person_ensure_for_user(user=user)
        kind = Application.Kind.ORGANISATION if organisation else Application.Kind.INDIVIDUAL
        application = Application(call=call, person=person, kind=kind, organisation=organisation)
    else:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.call_id != call.pk:
            raise DomainError(_("This application is not yours."))
        _require_applicant(user, application)
        if not application.is_draft:
            raise DomainError(
                _("A submitted application cannot be changed; you may withdraw it."),
                code="not_draft",
            )
    if application.kind == Application.Kind.ORGANISATION:
        if call.applicants == Call.Applicants.INDIVIDUALS:
            raise DomainError(
                _("This call takes applications from individuals only."), field="organisation"
            )
        if not has_verified_email(user):
            raise DomainError(
                _("Please confirm your email address first: we sent you a link when you signed up.")
            )
        if not user_can_act_for(user=user, organisation=application.organisation):
            raise DomainError(
                _("You may apply only for an organisation you represent."), field="organisation"
            )
        register_id = application.organisation.transparency_register_id
        if call.register_id_required and not register_id:
            raise DomainError(
                _(
                    "Organisations must be in the EU Transparency Register to apply. Add your "
                    "organisation's register ID to its profile first."
                ),
                field="organisation",
                code="register_id_missing",
            )
        application.transparency_register_id = register_id or ""
    elif call.applicants == Call.Applicants.ORGANISATIONS:
        raise DomainError(
            _("This call takes applications from organisations only."), field="organisation"
        )
    for name, value in fields.items():
        setattr(application, name, value)
    if application.role not in call.roles:
        raise DomainError(_("Choose a role this call offers."), field="role")
    if cv is not None:
        _check_cv(cv)
        application.cv = cv
    if creating:
        _check_one_application(call, application)
    if submit:
        _check_complete(application)
        _attach_declaration(application)
        application.status = Application.Status.SUBMITTED
        application.submitted_at = timezone.now()
    application.submitted_by = user
    full_clean_or_refuse(
        application,
        exclude=["call", "person", "organisation", "submitted_by"],
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise DomainError(
            _("You have already applied to this call."), code="already_applied"
        ) from exc
    audit_log(
        actor=user,
        action="forums.application.submitted" if submit else "forums.application.saved",
        subject=application,
        data={"call": call.pk, "kind": application.kind},
    )
    return application


def _check_one_application(call: Call, application: Application) -> None:
    """One application per person in a call (so nobody is participant and chair at once), and
    one per organisation when the call says so. The call row is locked."""
    others = Application.objects.filter(call=call).exclude(status=Application.Status.WITHDRAWN)
    if others.filter(person=application.person).exists():
        raise DomainError(
            _(
                "You have already applied to this call. One application per person: nobody can "
                "apply both as a participant and as a chair."
            ),
            code="already_applied",
        )
    if (
        application.organisation_id
        and call.one_per_organisation
        and others.filter(organisation_id=application.organisation_id).exists()
    ):
        raise DomainError(
            _(
                "Your organisation has already applied to this call: one application per "
                "organisation."
            ),
            field="organisation",
            code="organisation_already_applied",
        )


def _check_complete(application: Application) -> None:
    missing = []
    if not application.expertise.strip():
        missing.append(("expertise", _("Describe your areas of expertise.")))
    if not application.motivation.strip():
        missing.append(("motivation", _("Explain your motivation.")))
    if application.kind == Application.Kind.INDIVIDUAL:
        if not application.nationality:
            missing.append(("nationality", _("Give your nationality.")))
        if not application.cv:
            missing.append(("cv", _("Attach your CV as a PDF.")))
    if application.pk and application.kind == Application.Kind.ORGANISATION:
        seats = set(application.nominations.values_list("seat", flat=True))
        if seats and Nomination.Seat.MEMBER not in seats:
            missing.append(
                ("organisation", _("Nominate at least one member, not only alternates."))
            )
    if missing:
        field, message = missing[0]
        raise DomainError(message, field=field, code="incomplete")


def _attach_declaration(application: Application) -> None:
    """An expert applying in a personal capacity files a declaration of interests (signed in the
    last year) with the application, when the call asks for one; the version is kept with it."""
    if application.kind != Application.Kind.INDIVIDUAL or not application.call.declaration_required:
        return
    latest = application.person.declarations.order_by("-version").first()
    if latest is None or latest.signed_at < timezone.now() - Declaration.VALIDITY:
        raise DomainError(
            _(
                "This call asks for your declaration of interests. File it (it takes a few "
                "minutes), then submit your application."
            ),
            code="declaration_missing",
        )
    application.declaration = latest


@transaction.atomic
def application_withdraw(*, user, application: Application) -> Application:
    application = (
        Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    )
    _require_applicant(user, application)
    if application.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
        raise DomainError(
            _("This application can no longer be withdrawn: a decision has been taken."),
            code="decided",
        )
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_log(actor=user, action="forums.application.withdrawn", subject=application)
    return application


def _require_applicant(user, application: Application) -> None:
    """The applicant, or the representative who submitted for the organisation."""
    if getattr(user, "pk", None) is None or user.pk not in (
        application.person.user_id,
        application.submitted_by_id,
    ):
        raise DomainError(_("This application is not yours."))


def _lock_application(pk) -> Application:
    """The application row, locked: nominations are counted against the body's limit under it."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__body", "organisation", "person")
        .get(pk=pk)
    )


def _draft_of_representative(user, application: Application) -> Application:
    application = _lock_application(application.pk)
    _require_applicant(user, application)
    if application.kind != Application.Kind.ORGANISATION:
        raise DomainError(_("Only organisations nominate people."))
    if not application.is_draft:
        raise DomainError(
            _("A submitted application cannot be changed; you may withdraw it."), code="not_draft"
        )
    if not user_can_act_for(user=user, organisation=application.organisation):
        raise DomainError(_("You may act only for an organisation you represent."))
    return application


@transaction.atomic
def nomination_add(*, user, application: Application, person: Person, seat: str) -> Nomination:
    """The organisation's representative nominates one of its people, within the number the
    body allows per organisation (e.g. a member and an alternate on the Advisory Forum)."""
    application = _draft_of_representative(user, application)
    if seat not in Nomination.Seat.values:
        raise DomainError(_("Choose member or alternate."), field="seat")
    limit = application.call.body.nominees_per_organisation
    if application.nominations.count() >= limit:
        raise DomainError(
            _("An organisation may nominate at most %(count)d people to this body.")
            % {"count": limit},
            field="person",
            code="too_many_nominees",
        )
    works_there = (
        Affiliation.objects.current()
        .filter(
            person=person,
            organisation=application.organisation,
            status=Affiliation.Status.CONFIRMED,
        )
        .exists()
    )
    if not works_there:
        raise DomainError(
            _("Nominate people of your organisation only (with a confirmed affiliation)."),
            field="person",
        )
    if application.nominations.filter(person=person).exists():
        raise DomainError(_("This person is already nominated."), field="person")
    nomination = Nomination.objects.create(application=application, person=person, seat=seat)
    audit_log(
        actor=user,
        action="forums.application.nominated",
        subject=application,
        data={"person": person.pk, "seat": seat},
    )
    return nomination


@transaction.atomic
def nomination_remove(*, user, nomination: Nomination) -> None:
    application = _draft_of_representative(user, nomination.application)
    person_id = nomination.person_id
    Nomination.objects.filter(pk=nomination.pk, application=application).delete()
    audit_log(
        actor=user,
        action="forums.application.nomination_removed",
        subject=application,
        data={"person": person_id},
    )
