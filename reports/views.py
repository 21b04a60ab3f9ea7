from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import login_required, staff_required
from core.jobs import job_enqueue
from core.models import Job
from core.views_helpers import paginate, querystring_without_page
from pact import selectors as pact_selectors

from .kinds import KIND_LABELS, PLEDGE_PDF, PROGRESS_REPORT_PDF


def _earlier_documents(*, user, kind: str, subject):
    """Documents already rendered for this subject: all of them for staff, one's own otherwise."""
    documents = Job.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        status=Job.Status.DONE,
    ).select_related("created_by")
    if not user.has_perm("pact.view_pledge"):
        documents = documents.filter(created_by=user)
    return documents.order_by("-created_at")[:10]


def _request_document(request, *, kind: str, subject, params: dict, language: str, title: str):
    if request.method == "POST":
        job = job_enqueue(
            kind=kind, user=request.user, params=params, subject=subject, language=language
        )
        return redirect(job)
    return render(
        request,
        "reports/request.html",
        {
            "title": title,
            "subject": subject,
            "documents": _earlier_documents(user=request.user, kind=kind, subject=subject),
        },
    )


@login_required
def pledge_pdf(request, pk):
    pledge = pact_selectors.pledge_visible(user=request.user, pk=pk)
    if pledge is None:
        raise Http404
    if pledge.status == pledge.Status.DRAFT:
        messages.error(request, _("A draft pledge has not been signed yet; submit it first."))
        return redirect(pledge)
    return _request_document(
        request,
        kind=PLEDGE_PDF,
        subject=pledge,
        params={"pledge": pledge.pk},
        language=pledge.language,
        title=_("Signed pledge of %(organisation)s") % {"organisation": pledge.organisation.name},
    )


@login_required
def progress_report_pdf(request, pk):
    report = pact_selectors.report_visible(user=request.user, pk=pk)
    if report is None:
        raise Http404
    if report.is_editable:
        messages.error(request, _("This progress report has not been submitted yet."))
        return redirect(report)
    return _request_document(
        request,
        kind=PROGRESS_REPORT_PDF,
        subject=report,
        params={"report": report.pk},
        language=report.pledge.language,
        title=_("Progress report of %(organisation)s")
        % {"organisation": report.pledge.organisation.name},
    )


@staff_required("pact.view_pledge")
def document_list(request):
    kind = request.GET.get("kind", "")
    documents = Job.objects.filter(kind__in=KIND_LABELS).select_related("created_by")
    if kind in KIND_LABELS:
        documents = documents.filter(kind=kind)
    page = paginate(request, documents.order_by("-created_at"))
    return render(
        request,
        "reports/document_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": list(KIND_LABELS.items()),
            "kinds_map": KIND_LABELS,
            "querystring": querystring_without_page(request),
        },
    )
