"""Writes of the reports app: asking for a report, retrying it, saved definitions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError
from core.jobs import job_enqueue
from core.models import Job

from .filters import filterset_for
from .kinds import REPORT_PERMISSION, STAFF_REPORT
from .models import ReportKind, ReportRequest, SavedReport

MAX_RECIPIENTS = 20


def _checked_parameters(kind: str, parameters: dict) -> dict:
    if kind not in ReportKind.values:
        raise DomainError(_("This kind of report does not exist."))
    filterset = filterset_for(kind, parameters)
    if not filterset.is_valid():
        raise DomainError(_("The filters of this report are not valid."))
    return {key: str(value) for key, value in parameters.items() if value not in (None, "")}


def _enqueue(report_request: ReportRequest, *, user, email_to=()) -> Job:
    params = {"request": report_request.pk}
    if email_to:
        params["email_to"] = list(email_to)
    job = job_enqueue(
        kind=STAFF_REPORT,
        user=user,
        params=params,
        subject=report_request,
        language=report_request.language,
    )
    report_request.job = job
    report_request.save(update_fields=["job"])
    return job


def report_request_create(
    *, user, kind: str, parameters: dict, language: str, saved_report=None, email_to=()
) -> ReportRequest:
    """Record what was asked for and start the job that renders it."""
    require_staff(user, REPORT_PERMISSION)
    parameters = _checked_parameters(kind, parameters)
    with transaction.atomic():
        report_request = ReportRequest.objects.create(
            kind=kind,
            parameters=parameters,
            language=language,
            requested_by=user,
            saved_report=saved_report,
        )
        _enqueue(report_request, user=user, email_to=email_to)
        audit_log(
            actor=user,
            action="reports.request.created",
            subject=report_request,
            data={"kind": kind, "parameters": parameters, "language": language},
        )
    return report_request


def report_request_retry(*, user, report_request: ReportRequest) -> ReportRequest:
    """Render a failed report again, as a new attempt of the same request."""
    require_staff(user, REPORT_PERMISSION)
    with transaction.atomic():
        report_request = ReportRequest.objects.select_for_update().get(pk=report_request.pk)
        job = report_request.job
        if job is not None and job.status != Job.Status.FAILED:
            raise DomainError(_("Only a report that failed can be tried again."))
        # The new job runs as the person retrying: the requester may have left.
        report_request.requested_by = user
        report_request.save(update_fields=["requested_by"])
        _enqueue(report_request, user=user, email_to=(job.params.get("email_to") if job else ()))
        audit_log(actor=user, action="reports.request.retried", subject=report_request)
    return report_request


def clean_recipients(text: str) -> list[str]:
    """Addresses of staff who may read reports, one per line or separated by commas."""
    addresses = []
    for part in text.replace(",", "\n").replace(";", "\n").splitlines():
        address = part.strip().lower()
        if not address or address in addresses:
            continue
        try:
            validate_email(address)
        except ValidationError as error:
            raise DomainError(
                _("“%(address)s” is not an email address.") % {"address": address}
            ) from error
        addresses.append(address)
    if len(addresses) > MAX_RECIPIENTS:
        raise DomainError(_("At most %(n)d recipients.") % {"n": MAX_RECIPIENTS})
    staff = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(
            email__in=addresses, is_active=True, is_staff=True
        )
    }
    for address in addresses:
        user = staff.get(address)
        if user is None or not user.has_perm(REPORT_PERMISSION):
            raise DomainError(
                _("%(address)s is not a member of staff who may read reports.")
                % {"address": address}
            )
    return addresses


def saved_report_create(
    *, user, report_request: ReportRequest, name: str, schedule: str, recipients: str
) -> SavedReport:
    require_staff(user, REPORT_PERMISSION)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the saved report a name."))
    if schedule not in SavedReport.Schedule.values:
        raise DomainError(_("Choose how often the report is sent."))
    addresses = clean_recipients(recipients)
    if schedule == SavedReport.Schedule.MONTHLY and not addresses:
        raise DomainError(_("A monthly report needs at least one recipient."))
    with transaction.atomic():
        saved = SavedReport.objects.create(
            name=name[:150],
            kind=report_request.kind,
            parameters=report_request.parameters,
            language=report_request.language,
            schedule=schedule,
            recipients=addresses,
            created_by=user,
        )
        audit_log(
            actor=user,
            action="reports.saved.created",
            subject=saved,
            data={"schedule": schedule, "recipients": addresses},
        )
    return saved


def saved_report_run(*, user, saved: SavedReport) -> ReportRequest:
    return report_request_create(
        user=user,
        kind=saved.kind,
        parameters=saved.parameters,
        language=saved.language,
        saved_report=saved,
    )


def saved_report_delete(*, user, saved: SavedReport) -> None:
    require_staff(user, REPORT_PERMISSION)
    with transaction.atomic():
        audit_log(
            actor=user, action="reports.saved.deleted", subject=saved, data={"name": saved.name}
        )
        saved.delete()


def scheduled_reports_send(*, today=None) -> dict:
    """Monthly definitions not yet sent this month: each renders a new report, whose link is
    emailed to its recipients when the file is ready. Runs as the definition's author."""
    today = today or timezone.localdate()
    counts = {"sent": 0, "skipped": 0}
    due = SavedReport.objects.filter(schedule=SavedReport.Schedule.MONTHLY).select_related(
        "created_by"
    )
    for saved in due:
        if saved.last_sent_on and (saved.last_sent_on.year, saved.last_sent_on.month) == (
            today.year,
            today.month,
        ):
            continue
        author = saved.created_by
        with transaction.atomic():
            locked = SavedReport.objects.select_for_update().filter(pk=saved.pk).first()
            if locked is None or (
                locked.last_sent_on
                and (locked.last_sent_on.year, locked.last_sent_on.month)
                == (today.year, today.month)
            ):
                continue
            if author is None or not author.is_active or not author.has_perm(REPORT_PERMISSION):
                counts["skipped"] += 1
                continue
            recipients = [
                address
                for address in locked.recipients
                if get_user_model()
                .objects.filter(email__iexact=address, is_active=True, is_staff=True)
                .exists()
            ]
            report_request = ReportRequest.objects.create(
                kind=locked.kind,
                parameters=locked.parameters,
                language=locked.language,
                requested_by=author,
                saved_report=locked,
            )
            _enqueue(report_request, user=author, email_to=recipients)
            locked.last_sent_on = today
            locked.save(update_fields=["last_sent_on"])
            audit_log(
                actor=None,
                action="reports.saved.sent",
                subject=locked,
                data={"recipients": recipients, "request": report_request.pk},
            )
            counts["sent"] += 1
    return counts
