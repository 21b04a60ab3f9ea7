"""The report kinds: each renders one document in a `core` job (Celery) and stores it."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import is_staff_user
from core.email import email_enqueue
from core.errors import DomainError
from core.jobs import JobResult, job_kind
from pact import selectors as pact_selectors
from pact.models import Pledge, ProgressReport

from .figures import report_csv, report_figures
from .filters import filterset_for
from .models import ReportRequest
from .pdf import html_to_pdf, render_pdf

PLEDGE_PDF = "reports.pledge_pdf"
PROGRESS_REPORT_PDF = "reports.progress_report_pdf"
STAFF_REPORT = "reports.staff_report"
REPORT_PERMISSION = "reports.run_report"

KIND_LABELS = {
    PLEDGE_PDF: gettext_lazy("Signed AI Pact pledge"),
    PROGRESS_REPORT_PDF: gettext_lazy("AI Pact progress report"),
    STAFF_REPORT: gettext_lazy("Staff report"),
}


def _can_view_pledge(user, job) -> bool:
    return pact_selectors.pledge_visible(user=user, pk=job.params.get("pledge")) is not None


def _can_view_report(user, job) -> bool:
    return pact_selectors.report_visible(user=user, pk=job.params.get("report")) is not None


def _pdf_name(prefix: str, organisation, day) -> str:
    return f"{prefix}-{slugify(organisation.name)[:60] or organisation.pk}-{day:%Y-%m-%d}.pdf"


@job_kind(PLEDGE_PDF, can_view=_can_view_pledge)
def pledge_pdf(job, progress):
    progress(10, _("Collecting the pledge"))
    pledge = (
        Pledge.objects.select_related("organisation", "submitted_by")
        .prefetch_related("commitments__commitment", "organisation__sectors")
        .filter(pk=job.params.get("pledge"))
        .first()
    )
    if pledge is None:
        raise DomainError(_("This pledge no longer exists."))
    if pledge.status == Pledge.Status.DRAFT:
        raise DomainError(_("A draft pledge has not been signed yet; submit it first."))
    progress(40, _("Laying out the pages"))
    # The signed pledge is kept for the record: PDF/A-3a, the archival variant that is also
    # tagged for assistive technology.
    content = render_pdf(
        pdf_variant="pdf/a-3a",
        template="reports/pdf/pledge.html",
        context={
            "pledge": pledge,
            "organisation": pledge.organisation,
            "commitments": list(pledge.commitments.all()),
            "generated_at": timezone.now(),
            "job": job,
        },
    )
    progress(90, _("Storing the file"))
    day = pledge.submitted_at or timezone.now()
    return JobResult(
        filename=_pdf_name("ai-pact-pledge", pledge.organisation, day),
        content=content,
        content_type="application/pdf",
    )


@job_kind(PROGRESS_REPORT_PDF, can_view=_can_view_report)
def progress_report_pdf(job, progress):
    progress(10, _("Collecting the progress report"))
    report = (
        ProgressReport.objects.select_related("pledge__organisation")
        .filter(pk=job.params.get("report"))
        .first()
    )
    if report is None:
        raise DomainError(_("This progress report no longer exists."))
    if report.is_editable:
        raise DomainError(_("This progress report has not been submitted yet."))
    progress(40, _("Laying out the pages"))
    content = render_pdf(
        template="reports/pdf/progress_report.html",
        context={
            "report": report,
            "pledge": report.pledge,
            "organisation": report.pledge.organisation,
            "items": list(pact_selectors.report_items(report)),
            "generated_at": timezone.now(),
            "job": job,
        },
    )
    progress(90, _("Storing the file"))
    return JobResult(
        filename=_pdf_name("ai-pact-progress-report", report.pledge.organisation, report.due_on),
        content=content,
        content_type="application/pdf",
    )


def can_see_staff_reports(user) -> bool:
    """Staff acting with the second factor who hold the report permission; asked again at
    every download, also of the person who asked for the report."""
    return bool(is_staff_user(user) and user.has_perm(REPORT_PERMISSION))


def _can_view_staff_report(user, job) -> bool:
    return can_see_staff_reports(user)


def report_file_stem(report_request: ReportRequest) -> str:
    kind = report_request.kind.replace("_", "-")
    return f"{kind}-{report_request.created:%Y-%m-%d}-{report_request.pk}"


def render_report_html(report, report_request: ReportRequest, generated_at) -> str:
    return render_to_string(
        "reports/pdf/staff_report.html",
        {"report": report, "request": report_request, "generated_at": generated_at},
    )


@job_kind(STAFF_REPORT, can_view=_can_view_staff_report, restricted=True)
def staff_report(job, progress):
    progress(5, _("Checking the filters"))
    report_request = (
        ReportRequest.objects.select_related("requested_by", "saved_report")
        .filter(pk=job.params.get("request"))
        .first()
    )
    if report_request is None:
        raise DomainError(_("This report request no longer exists."))
    requester = report_request.requested_by
    if requester is None or not requester.is_active or not requester.has_perm(REPORT_PERMISSION):
        raise DomainError(_("The person who asked for this report may no longer run reports."))
    filterset = filterset_for(report_request.kind, report_request.parameters)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[name].label}: {' '.join(errors)}"
            if name in filterset.form.fields
            else " ".join(errors)
            for name, errors in filterset.form.errors.items()
        )
        raise DomainError(_("The filters of this report are no longer valid (%s).") % problems)
    progress(15, _("Counting"))
    report = report_figures(report_request.kind, filterset)
    progress(45, _("Laying out the pages"))
    generated_at = timezone.now()
    content_csv = report_csv(report)
    stem = report_file_stem(report_request)
    html = render_report_html(report, report_request, generated_at)
    content = html_to_pdf(
        html, attachments=[(f"{stem}.csv", content_csv, _("The figures of this report as CSV"))]
    )
    progress(90, _("Storing the files"))
    report_request.title = str(report.title)[:255]
    report_request.csv_name = f"{stem}.csv"
    report_request.csv_file.save(report_request.csv_name, ContentFile(content_csv), save=False)
    report_request.save(update_fields=["title", "csv_name", "csv_file"])
    recipients = job.params.get("email_to") or []
    if recipients:
        from django.conf import settings

        email_enqueue(
            to=recipients,
            template="reports/email/scheduled_report",
            context={
                "title": report.title,
                "name": report_request.saved_report.name if report_request.saved_report else "",
                "url": settings.SITE_URL.rstrip("/")
                + reverse("reports:request_detail", kwargs={"pk": report_request.pk}),
            },
            language=report_request.language,
        )
    return JobResult(filename=f"{stem}.pdf", content=content, content_type="application/pdf")
