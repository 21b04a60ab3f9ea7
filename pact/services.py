"""Writes of the AI Pact. Each is one atomic, audited action that refuses with a DomainError.

Concurrency: "one pledge per organisation" is the partial unique constraint
`pact_one_active_pledge_per_organisation`; on top of it `pledge_start` locks the organisation
row so that two representatives starting at once are serialised and the second one is told
plainly. Edits lock the pledge row and compare the edit `version` the form was built from, so
an edit made in another tab (or by another representative) is never silently overwritten.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import has_verified_email, is_staff_user
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError, full_clean_or_refuse
from core.translations import clean_translations
from crm.alerts import staff_alert
from crm.models import Affiliation, Organisation
from crm.selectors import user_can_act_for

from .figures import figures_changed
from .models import (
    CLOSED_STATUSES,
    COMMITMENT_TRANSLATED_FIELDS,
    AIRole,
    Commitment,
    ImplementationStatus,
    NetworkMembership,
    Pledge,
    PledgeCommitment,
    PledgeStatusChange,
    ProgressReport,
    ProgressReportItem,
    ReportReminder,
)

REPORT_INTERVAL_MONTHS = 12
# Reporting opens this many days before a report is due; the first reminder goes out 30 days
# before.
REMINDER_DAYS_BEFORE = 30


class IncompleteError(DomainError):
    """A refusal that concerns several fields at once: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            _("Some information is missing or needs correcting: see the messages below.")
        )
        self.errors = errors


@dataclass
class CommitmentInput:
    """What the representative entered for one commitment of the catalogue."""

    included: bool = False
    planned_actions: str = ""
    target_date: datetime.date | None = None
    implementation_status: str = ImplementationStatus.PLANNED


# --- helpers ------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _lock_organisation(organisation_id) -> Organisation:
    """The organisation row, locked until the transaction ends (SELECT ... FOR UPDATE)."""
    return Organisation.objects.select_for_update().get(pk=organisation_id)


def _lock_pledge(pledge_id) -> Pledge:
    return Pledge.objects.select_for_update().select_related("organisation").get(pk=pledge_id)


def _require_representative(user, organisation: Organisation):
    if not user.is_authenticated:
        raise DomainError(_("Please sign in first."))
    if not has_verified_email(user):
        raise DomainError(
            _("Please confirm your email address first: we sent you a link when you signed up.")
        )
    if not user_can_act_for(user=user, organisation=organisation):
        raise DomainError(
            _(
                "You are not a confirmed representative of %(organisation)s, so you cannot act "
                "for it. Ask the AI Office to confirm your role from your account page."
            )
            % {"organisation": organisation.name}
        )


def _require_reviewer(user):
    if not (is_staff_user(user) and user.has_perm("pact.review_pledge")):
        raise DomainError(_("Only AI Office staff who review pledges may do this."))


def _require_version(current: int, submitted: int | None):
    if submitted is not None and int(submitted) != current:
        raise DomainError(
            _(
                "This was changed by someone else (or in another tab) since you opened it. "
                "Your changes were not saved: reload the page to see the latest version, "
                "then make your changes again."
            ),
            code="stale",
        )


def _record_status(pledge: Pledge, *, actor, from_status: str, comment: str = ""):
    if Pledge.Status.PUBLISHED in (from_status, pledge.status):
        figures_changed()
    PledgeStatusChange.objects.create(
        pledge=pledge,
        from_status=from_status,
        to_status=pledge.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
    )


def _require_status(obj, allowed: tuple, message: str):
    if obj.status not in allowed:
        raise DomainError(message, code="wrong_status")


def representatives_of(organisation: Organisation) -> list[tuple[str, str]]:
    """(email, language) of the people who may act for the organisation today."""
    affiliations = (
        Affiliation.objects.acting()
        .filter(organisation=organisation)
        .select_related("person")
        .order_by("person__email")
    )
    seen, recipients = set(), []
    for affiliation in affiliations:
        person = affiliation.person
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            recipients.append((person.email, person.preferred_language))
    return recipients


def _notify_representatives(pledge: Pledge, template: str, context: dict | None = None):
    for email, language in representatives_of(pledge.organisation):
        email_enqueue(
            to=email,
            template=template,
            context={"pledge": pledge, "organisation": pledge.organisation, **(context or {})},
            language=language or pledge.language,
        )


def _active_pledge_exists(organisation: Organisation) -> bool:
    return (
        Pledge.objects.filter(organisation=organisation)
        .exclude(status__in=CLOSED_STATUSES)
        .exists()
    )


def _current_catalogue() -> list[Commitment]:
    return list(Commitment.objects.filter(is_current=True).order_by("order", "code"))


# --- pledges: the representative's journey -------------------------------------------------


@transaction.atomic
def pledge_start(*, user, organisation: Organisation, ai_role: str, language: str = "en") -> Pledge:
    """Start a draft pledge with the three core commitments."""
    _require_representative(user, organisation)
    if ai_role not in AIRole.values:
        raise DomainError(
            _("Choose whether you provide or deploy AI systems, or both."), field="ai_role"
        )
    organisation = _lock_organisation(organisation.pk)
    if _active_pledge_exists(organisation):
        raise DomainError(
            _(
                "%(organisation)s already has a pledge. Open it from your pledges instead of "
                "starting another."
            )
            % {"organisation": organisation.name},
            code="duplicate",
        )
    pledge = Pledge(
        organisation=organisation,
        ai_role=ai_role,
        language=language,
        created_by=user,
        signatory_name=user.get_full_name(),
    )
    full_clean_or_refuse(pledge, exclude=["created_by", "organisation"])
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError as exc:
        # Only reached when the row lock above is bypassed: the constraint still holds.
        raise DomainError(
            _(
                "%(organisation)s already has a pledge. Open it from your pledges instead of "
                "starting another."
            )
            % {"organisation": organisation.name},
            code="duplicate",
        ) from exc
    PledgeCommitment.objects.bulk_create(
        PledgeCommitment(pledge=pledge, commitment=commitment)
        for commitment in _current_catalogue()
        if commitment.is_core
    )
    _record_status(pledge, actor=user, from_status="")
    audit_log(actor=user, action="pact.pledge.started", subject=pledge)
    return pledge


@transaction.atomic
def pledge_save(
    *,
    user,
    pledge: Pledge,
    version: int | None,
    ai_role: str,
    language: str,
    best_effort: bool,
    signatory_name: str,
    signatory_function: str,
    authority_confirmed: bool,
    publish_in_register: bool,
    commitments: dict[str, CommitmentInput],
) -> Pledge:
    """Save a draft (or a returned pledge). Only the format is checked; `pledge_submit`
    checks that the pledge is complete."""
    _require_representative(user, pledge.organisation)
    pledge = _lock_pledge(pledge.pk)
    _require_status(
        pledge,
        (Pledge.Status.DRAFT, Pledge.Status.RETURNED),
        _("This pledge can no longer be edited: it has been submitted."),
    )
    _require_version(pledge.version, version)
    if ai_role not in AIRole.values:
        raise DomainError(
            _("Choose whether you provide or deploy AI systems, or both."), field="ai_role"
        )

    existing = {pc.commitment.code: pc for pc in pledge.commitments.select_related("commitment")}
    catalogue = {c.code: c for c in _current_catalogue()}
    errors = {}
    for code, entry in commitments.items():
        commitment = catalogue.get(code) or (
            existing[code].commitment if code in existing else None
        )
        if commitment is None:
            continue
        if commitment.is_core:
            entry.included = True
        if entry.included and not commitment.applies_to(ai_role):
            errors[f"c-{code}-included"] = _(
                "This commitment is for %(category)s. Untick it or change the AI role."
            ) % {
                "category": _("deployers") if commitment.category == "deployer" else _("providers")
            }
        if entry.implementation_status not in ImplementationStatus.values:
            errors[f"c-{code}-implementation_status"] = _("Choose a status from the list.")
    if errors:
        raise IncompleteError(errors)

    pledge.ai_role = ai_role
    pledge.language = language
    pledge.best_effort = best_effort
    pledge.signatory_name = signatory_name.strip()
    pledge.signatory_function = signatory_function.strip()
    pledge.authority_confirmed = authority_confirmed
    pledge.publish_in_register = publish_in_register
    pledge.version += 1
    full_clean_or_refuse(pledge, exclude=["created_by", "organisation"])
    pledge.save()

    for code, entry in commitments.items():
        row = existing.get(code)
        commitment = row.commitment if row else catalogue.get(code)
        if commitment is None:
            continue
        if not entry.included:
            if row is not None and not commitment.is_core:
                row.delete()
            continue
        if row is None:
            row = PledgeCommitment(pledge=pledge, commitment=commitment)
        row.planned_actions = entry.planned_actions.strip()
        row.target_date = entry.target_date
        row.implementation_status = entry.implementation_status
        row.save()
    audit_log(
        actor=user, action="pact.pledge.saved", subject=pledge, data={"version": pledge.version}
    )
    return pledge


def pledge_problems(pledge: Pledge, *, today: datetime.date | None = None) -> dict[str, str]:
    """What stops a pledge from being submitted, by form field."""
    today = today or timezone.localdate()
    problems = {}
    if not pledge.signatory_name.strip():
        problems["signatory_name"] = _("Give the name of the person who signs the pledge.")
    if not pledge.signatory_function.strip():
        problems["signatory_function"] = _("Give the function of the person who signs the pledge.")
    if not pledge.authority_confirmed:
        problems["authority_confirmed"] = _(
            "Confirm that the signatory is authorised to sign for the organisation."
        )
    rows = list(pledge.commitments.select_related("commitment"))
    taken = {row.commitment.code for row in rows}
    for commitment in Commitment.objects.filter(is_current=True, category=Commitment.Category.CORE):
        if commitment.code not in taken:
            problems[f"c-{commitment.code}-included"] = _(
                "The three core commitments are part of every pledge."
            )
    for row in rows:
        code = row.commitment.code
        if not row.commitment.applies_to(pledge.ai_role):
            problems[f"c-{code}-included"] = _("This commitment does not match your AI role.")
        if not row.planned_actions.strip():
            problems[f"c-{code}-planned_actions"] = _(
                "Describe the actions you plan for this commitment."
            )
        if row.target_date is None:
            problems[f"c-{code}-target_date"] = _("Give a target date for this commitment.")
        elif row.target_date < today and row.implementation_status != ImplementationStatus.FULL:
            problems[f"c-{code}-target_date"] = _(
                "The target date has passed. Give a date in the future, or mark the commitment "
                "as fully implemented."
            )
    return problems


@transaction.atomic
def pledge_submit(*, user, pledge: Pledge, version: int | None) -> Pledge:
    """Sign and send the pledge to the AI Office for review."""
    _require_representative(user, pledge.organisation)
    pledge = _lock_pledge(pledge.pk)
    _require_status(
        pledge,
        (Pledge.Status.DRAFT, Pledge.Status.RETURNED),
        _("This pledge has already been submitted."),
    )
    _require_version(pledge.version, version)
    problems = pledge_problems(pledge)
    if problems:
        raise IncompleteError(problems)
    rows = list(pledge.commitments.select_related("commitment"))
    for row in rows:
        row.text = row.commitment.text_in(pledge.language)
    PledgeCommitment.objects.bulk_update(rows, ["text"])
    previous = pledge.status
    pledge.status = Pledge.Status.SUBMITTED
    pledge.submitted_at = timezone.now()
    pledge.submitted_by = user
    pledge.version += 1
    pledge.save()
    _record_status(pledge, actor=user, from_status=previous)
    audit_log(actor=user, action="pact.pledge.submitted", subject=pledge)
    _notify_representatives(pledge, "pact/email/pledge_submitted")
    staff_alert(
        queue="pact.pledges",
        summary=_("pledge of %(organisation)s") % {"organisation": pledge.organisation.name},
        url=reverse("pact_staff:pledge_detail", args=[pledge.pk]),
    )
    return pledge


@transaction.atomic
def pledge_withdraw(*, user, pledge: Pledge, reason: str) -> Pledge:
    _require_representative(user, pledge.organisation)
    pledge = _lock_pledge(pledge.pk)
    _require_status(
        pledge,
        (
            Pledge.Status.DRAFT,
            Pledge.Status.SUBMITTED,
            Pledge.Status.RETURNED,
            Pledge.Status.PUBLISHED,
        ),
        _("This pledge cannot be withdrawn: it is already closed."),
    )
    if not reason.strip():
        raise DomainError(_("Tell us why the organisation withdraws its pledge."), field="reason")
    previous = pledge.status
    pledge.status = Pledge.Status.WITHDRAWN
    pledge.withdrawn_at = timezone.now()
    pledge.withdrawal_reason = reason.strip()
    pledge.version += 1
    pledge.save()
    _record_status(pledge, actor=user, from_status=previous, comment=pledge.withdrawal_reason)
    audit_log(actor=user, action="pact.pledge.withdrawn", subject=pledge)
    _notify_representatives(pledge, "pact/email/pledge_withdrawn")
    return pledge


# --- pledges: staff review -----------------------------------------------------------------


def _review(*, user, pledge: Pledge, to_status: str, comment: str, action: str) -> Pledge:
    _require_reviewer(user)
    pledge = _lock_pledge(pledge.pk)
    _require_status(
        pledge,
        (Pledge.Status.SUBMITTED,),
        _("Only a submitted pledge can be reviewed; this one is %(status)s.")
        % {"status": pledge.get_status_display().lower()},
    )
    previous = pledge.status
    pledge.status = to_status
    pledge.review_comment = comment.strip()
    pledge.version += 1
    if to_status == Pledge.Status.PUBLISHED:
        pledge.published_at = timezone.now()
        pledge.next_report_due = add_months(
            timezone.localdate(pledge.published_at), REPORT_INTERVAL_MONTHS
        )
    pledge.save()
    _record_status(pledge, actor=user, from_status=previous, comment=pledge.review_comment)
    audit_log(actor=user, action=action, subject=pledge)
    return pledge


@transaction.atomic
def pledge_return(*, user, pledge: Pledge, comment: str) -> Pledge:
    if not comment.strip():
        raise DomainError(_("Explain what the organisation should change."), field="comment")
    pledge = _review(
        user=user,
        pledge=pledge,
        to_status=Pledge.Status.RETURNED,
        comment=comment,
        action="pact.pledge.returned",
    )
    _notify_representatives(pledge, "pact/email/pledge_returned")
    return pledge


@transaction.atomic
def pledge_publish(*, user, pledge: Pledge, comment: str = "") -> Pledge:
    pledge = _review(
        user=user,
        pledge=pledge,
        to_status=Pledge.Status.PUBLISHED,
        comment=comment,
        action="pact.pledge.published",
    )
    _notify_representatives(pledge, "pact/email/pledge_published")
    return pledge


@transaction.atomic
def pledge_reject(*, user, pledge: Pledge, comment: str) -> Pledge:
    if not comment.strip():
        raise DomainError(_("Explain why the pledge is rejected."), field="comment")
    pledge = _review(
        user=user,
        pledge=pledge,
        to_status=Pledge.Status.REJECTED,
        comment=comment,
        action="pact.pledge.rejected",
    )
    _notify_representatives(pledge, "pact/email/pledge_rejected")
    return pledge


# --- progress reports ----------------------------------------------------------------------


@transaction.atomic
def progress_report_start(*, user, pledge: Pledge, today: datetime.date | None = None):
    """Open the progress report that is due next, with the commitments' current statuses."""
    today = today or timezone.localdate()
    _require_representative(user, pledge.organisation)
    pledge = _lock_pledge(pledge.pk)
    _require_status(
        pledge,
        (Pledge.Status.PUBLISHED,),
        _("Progress is reported on published pledges only."),
    )
    due_on = pledge.next_report_due
    existing = ProgressReport.objects.filter(pledge=pledge, due_on=due_on).first()
    if existing:
        return existing
    opens_on = pledge.report_opens_on
    if today < opens_on:
        raise DomainError(
            _("The next progress report is due on %(due)s; you can write it from %(opens)s.")
            % {
                "due": date_format(due_on, "DATE_FORMAT"),
                "opens": date_format(opens_on, "DATE_FORMAT"),
            },
            code="too_early",
        )
    report = ProgressReport.objects.create(pledge=pledge, due_on=due_on, created_by=user)
    ProgressReportItem.objects.bulk_create(
        ProgressReportItem(
            report=report, pledge_commitment=row, implementation_status=row.implementation_status
        )
        for row in pledge.commitments.all()
    )
    audit_log(actor=user, action="pact.report.started", subject=pledge, data={"report": report.pk})
    return report


def _lock_report(report_id) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("pledge__organisation")
        .get(pk=report_id)
    )


@transaction.atomic
def progress_report_save(
    *,
    user,
    report: ProgressReport,
    version: int | None,
    difficulties: str,
    items: dict[int, tuple[str, str]],
    submit: bool = False,
) -> ProgressReport:
    """Save a progress report (`items` maps an item's id to its status and narrative) and,
    with `submit`, send it to the AI Office once complete."""
    _require_representative(user, report.pledge.organisation)
    report = _lock_report(report.pk)
    _require_status(
        report,
        (ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED),
        _("This progress report has already been submitted."),
    )
    _require_version(report.version, version)
    rows = {item.pk: item for item in report.items.all()}
    errors = {}
    for pk, (status, narrative) in items.items():
        if pk not in rows:
            continue
        if status not in ImplementationStatus.values:
            errors[f"item-{pk}-implementation_status"] = _("Choose a status from the list.")
        rows[pk].implementation_status = status
        rows[pk].narrative = narrative.strip()
    report.difficulties = difficulties.strip()
    if submit:
        for pk, row in rows.items():
            if not row.narrative:
                errors[f"item-{pk}-narrative"] = _("Describe what was done for this commitment.")
    if errors:
        raise IncompleteError(errors)
    ProgressReportItem.objects.bulk_update(rows.values(), ["implementation_status", "narrative"])
    report.version += 1
    if submit:
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
    report.save()
    audit_log(
        actor=user,
        action="pact.report.submitted" if submit else "pact.report.saved",
        subject=report.pledge,
        data={"report": report.pk},
    )
    if submit:
        _notify_representatives(report.pledge, "pact/email/report_submitted", {"report": report})
        staff_alert(
            queue="pact.reports",
            summary=_("progress report of %(organisation)s")
            % {"organisation": report.pledge.organisation.name},
            url=reverse("pact_staff:report_detail", args=[report.pk]),
        )
    return report


@transaction.atomic
def progress_report_review(
    *, user, report: ProgressReport, accept: bool, comment: str = ""
) -> ProgressReport:
    """Accept a submitted report (it is then published with the pledge) or return it."""
    _require_reviewer(user)
    report = _lock_report(report.pk)
    _require_status(
        report,
        (ProgressReport.Status.SUBMITTED,),
        _("Only a submitted progress report can be reviewed."),
    )
    if not accept and not comment.strip():
        raise DomainError(_("Explain what the organisation should change."), field="comment")
    report.review_comment = comment.strip()
    report.version += 1
    pledge = _lock_pledge(report.pledge_id)
    if accept:
        report.status = ProgressReport.Status.ACCEPTED
        report.accepted_at = timezone.now()
        figures_changed()
        rows = []
        for item in report.items.select_related("pledge_commitment"):
            item.pledge_commitment.implementation_status = item.implementation_status
            rows.append(item.pledge_commitment)
        PledgeCommitment.objects.bulk_update(rows, ["implementation_status"])
        if pledge.next_report_due and pledge.next_report_due <= report.due_on:
            pledge.next_report_due = add_months(report.due_on, REPORT_INTERVAL_MONTHS)
            pledge.save(update_fields=["next_report_due", "updated_at"])
    else:
        report.status = ProgressReport.Status.RETURNED
    report.save()
    audit_log(
        actor=user,
        action="pact.report.accepted" if accept else "pact.report.returned",
        subject=pledge,
        data={"report": report.pk},
    )
    _notify_representatives(
        pledge,
        "pact/email/report_accepted" if accept else "pact/email/report_returned",
        {"report": report},
    )
    return report


def progress_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind representatives 30 days before a progress report is due, and once when it is
    overdue. Each reminder is sent once (a unique row per pledge, due date and kind)."""
    today = today or timezone.localdate()
    candidates = (
        Pledge.objects.filter(
            status=Pledge.Status.PUBLISHED,
            next_report_due__isnull=False,
            next_report_due__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .select_related("organisation")
        .order_by("pk")
    )
    sent = 0
    for pledge in candidates:
        handed_in = ProgressReport.objects.filter(
            pledge=pledge,
            due_on=pledge.next_report_due,
            status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED],
        ).exists()
        if handed_in:
            continue
        kind = (
            ReportReminder.Kind.OVERDUE
            if pledge.next_report_due < today
            else ReportReminder.Kind.DUE_SOON
        )
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(
                pledge=pledge, due_on=pledge.next_report_due, kind=kind
            )
            if not created:
                continue
            _notify_representatives(
                pledge,
                "pact/email/report_overdue" if kind == "overdue" else "pact/email/report_due",
                {"due_on": pledge.next_report_due},
            )
            audit_log(actor=None, action=f"pact.report.reminder_{kind}", subject=pledge)
            sent += 1
    return sent


# --- the catalogue -------------------------------------------------------------------------


def _require_catalogue_editor(user):
    if not (is_staff_user(user) and user.has_perm("pact.change_commitment")):
        raise DomainError(_("Only AI Office staff who keep the catalogue may do this."))


@transaction.atomic
def commitment_update(
    *,
    user,
    commitment: Commitment,
    text: str,
    translations: dict[str, dict[str, str]],
    ai_act_article: str = "",
    verified: bool = False,
    retire: bool = False,
) -> Commitment:
    """Change a commitment's wording. A commitment that a submitted pledge refers to keeps its
    row; the change makes a new catalogue version that later pledges take on."""
    _require_catalogue_editor(user)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment.is_current:
        raise DomainError(_("Only the current version of a commitment can be changed."))
    if not text.strip():
        raise DomainError(_("A commitment needs its English text."), field="text")
    translations = clean_translations(translations, fields=COMMITMENT_TRANSLATED_FIELDS)
    signed = (
        PledgeCommitment.objects.filter(commitment=commitment)
        .exclude(pledge__status__in=[Pledge.Status.DRAFT, Pledge.Status.RETURNED])
        .exists()
    )
    if signed:
        commitment.is_current = False
        commitment.save(update_fields=["is_current"])
        new = Commitment(
            code=commitment.code,
            version=commitment.version + 1,
            category=commitment.category,
            source=commitment.source,
            order=commitment.order,
        )
    else:
        new = commitment
    new.text = text.strip()
    new.translations = translations
    new.ai_act_article = ai_act_article.strip()
    new.verified = verified
    new.is_current = not retire
    full_clean_or_refuse(new)
    new.save()
    if new.pk != commitment.pk:
        # Pledges still being written move to the new wording; signed ones keep theirs.
        PledgeCommitment.objects.filter(
            commitment=commitment,
            pledge__status__in=[Pledge.Status.DRAFT, Pledge.Status.RETURNED],
        ).update(commitment=new)
    figures_changed()
    audit_log(
        actor=user,
        action="pact.commitment.changed",
        subject=new,
        data={"code": new.code, "version": new.version, "retired": retire},
    )
    return new


@transaction.atomic
def commitment_create(
    *,
    user,
    code: str,
    category: str,
    text: str,
    translations: dict[str, dict[str, str]],
    ai_act_article: str = "",
    verified: bool = False,
) -> Commitment:
    _require_catalogue_editor(user)
    code = code.strip().upper()
    if Commitment.objects.filter(code=code).exists():
        raise DomainError(_("A commitment with this code already exists."), field="code")
    last = Commitment.objects.order_by("-order").first()
    commitment = Commitment(
        code=code,
        category=category,
        text=text.strip(),
        translations=clean_translations(translations, fields=COMMITMENT_TRANSLATED_FIELDS),
        ai_act_article=ai_act_article.strip(),
        verified=verified,
        order=(last.order + 1) if last else 1,
    )
    full_clean_or_refuse(commitment)
    commitment.save()
    figures_changed()
    audit_log(actor=user, action="pact.commitment.created", subject=commitment)
    return commitment


# --- the AI Pact network (pillar I) ---------------------------------------------------------


@transaction.atomic
def network_join(
    *,
    user,
    organisation: Organisation,
    interests: list[str],
    contact_email: str,
    publish_name: bool = False,
) -> NetworkMembership:
    _require_representative(user, organisation)
    _lock_organisation(organisation.pk)
    if NetworkMembership.objects.filter(
        organisation=organisation, status=NetworkMembership.Status.INTERESTED
    ).exists():
        raise DomainError(_("Your organisation is already in the AI Pact network."))
    unknown = set(interests) - set(NetworkMembership.Interest.values)
    if unknown:
        raise DomainError(_("Choose interests from the list."), field="interests")
    membership = NetworkMembership(
        organisation=organisation,
        interests=list(interests),
        contact_email=contact_email,
        publish_name=publish_name,
        joined_by=user,
    )
    full_clean_or_refuse(membership, exclude=["joined_by"])
    membership.save()
    figures_changed()
    audit_log(actor=user, action="pact.network.joined", subject=organisation)
    return membership


@transaction.atomic
def network_leave(*, user, membership: NetworkMembership) -> NetworkMembership:
    _require_representative(user, membership.organisation)
    membership = NetworkMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != NetworkMembership.Status.INTERESTED:
        raise DomainError(_("Your organisation has already left the AI Pact network."))
    membership.status = NetworkMembership.Status.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])
    figures_changed()
    audit_log(actor=user, action="pact.network.left", subject=membership.organisation)
    return membership
