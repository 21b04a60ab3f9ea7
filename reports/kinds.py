"""The report kinds: each renders one document in a `core` job (Celery) and stores it."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.jobs import JobResult, job_kind
from pact import selectors as pact_selectors
from pact.models import Pledge, ProgressReport

from .pdf import render_pdf

PLEDGE_PDF = "reports.pledge_pdf"
PROGRESS_REPORT_PDF = "reports.progress_report_pdf"

KIND_LABELS = {
    PLEDGE_PDF: gettext_lazy("Signed AI Pact pledge"),
    PROGRESS_REPORT_PDF: gettext_lazy("AI Pact progress report"),
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
    content = render_pdf(
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
