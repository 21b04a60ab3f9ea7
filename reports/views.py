from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_required, staff_required
from core.errors import DomainError
from core.jobs import job_enqueue, job_lease_expired, jobs_reap_expired
from core.models import AccessLogEntry, Job
from core.privacy import log_access
from core.views_helpers import paginate, querystring_without_page
from pact import selectors as pact_selectors

from . import services
from .filters import filterset_for, parameters_of
from .forms import LanguageForm, SavedReportForm
from .kinds import KIND_LABELS, PLEDGE_PDF, PROGRESS_REPORT_PDF, REPORT_PERMISSION
from .models import ReportKind, ReportRequest, SavedReport


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


# --- staff reports -------------------------------------------------------------------------


@staff_required(REPORT_PERMISSION)
def index(request):
    return render(
        request,
        "reports/index.html",
        {
            "kinds": ReportKind.choices,
            "saved_reports": SavedReport.objects.select_related("created_by"),
            "recent": ReportRequest.objects.select_related("job", "requested_by")[:20],
            "can_see_documents": request.user.has_perm("pact.view_pledge"),
        },
    )


@staff_required(REPORT_PERMISSION)
def request_new(request, kind):
    if kind not in ReportKind.values:
        raise Http404
    data = request.POST if request.method == "POST" else None
    filterset = filterset_for(kind, data)
    language_form = LanguageForm(data, initial={"language": get_language()})
    if request.method == "POST":
        if filterset.is_valid() and language_form.is_valid():
            try:
                report_request = services.report_request_create(
                    user=request.user,
                    kind=kind,
                    parameters=parameters_of(filterset),
                    language=language_form.cleaned_data["language"],
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                return redirect(report_request)
        else:
            messages.error(request, _("Please correct the filters below."))
    return render(
        request,
        "reports/request_new.html",
        {
            "kind": kind,
            "kind_label": ReportKind(kind).label,
            "form": filterset.form,
            "language_form": language_form,
        },
    )


def _report_request(pk) -> ReportRequest:
    return get_object_or_404(ReportRequest.objects.select_related("job", "requested_by"), pk=pk)


@staff_required(REPORT_PERMISSION)
def request_detail(request, pk):
    report_request = _report_request(pk)
    job = report_request.job
    if job is not None and job_lease_expired(job):
        jobs_reap_expired(job_id=job.pk)
        job.refresh_from_db()
    filterset = filterset_for(report_request.kind, report_request.parameters)
    parameters = []
    if filterset.is_valid():
        from .filters import parameter_labels

        parameters = parameter_labels(filterset)
    return render(
        request,
        "reports/request_detail.html",
        {
            "report_request": report_request,
            "job": job,
            "parameters": parameters,
            "saved_form": SavedReportForm(initial={"name": report_request.title}),
        },
    )


@require_POST
@staff_required(REPORT_PERMISSION)
def request_retry(request, pk):
    report_request = _report_request(pk)
    try:
        services.report_request_retry(user=request.user, report_request=report_request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The report is being prepared again."))
    return redirect(report_request)


def _download(request, report_request, *, file, name, content_type):
    log_access(
        request,
        action=AccessLogEntry.Action.DOWNLOAD,
        subject_type="reports.reportrequest",
        subject_id=report_request.pk,
        description=f"{report_request.kind}: {name}",
    )
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


@staff_required(REPORT_PERMISSION)
def request_pdf(request, pk):
    report_request = _report_request(pk)
    job = report_request.job
    if job is None or job.status != Job.Status.DONE or not job.result_file:
        raise Http404(_("This file is not ready."))
    return _download(
        request,
        report_request,
        file=job.result_file,
        name=job.result_name,
        content_type="application/pdf",
    )


@staff_required(REPORT_PERMISSION)
def request_csv(request, pk):
    report_request = _report_request(pk)
    job = report_request.job
    if job is None or job.status != Job.Status.DONE or not report_request.csv_file:
        raise Http404(_("This file is not ready."))
    return _download(
        request,
        report_request,
        file=report_request.csv_file,
        name=report_request.csv_name,
        content_type="text/csv; charset=utf-8",
    )


@require_POST
@staff_required(REPORT_PERMISSION)
def saved_create(request, pk):
    report_request = _report_request(pk)
    form = SavedReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the saved report a name."))
        return redirect(report_request)
    try:
        services.saved_report_create(
            user=request.user,
            report_request=report_request,
            name=form.cleaned_data["name"],
            schedule=form.cleaned_data["schedule"] or "",
            recipients=form.cleaned_data["recipients"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(report_request)
    messages.success(request, _("The report definition is saved."))
    return redirect("reports:index")


@require_POST
@staff_required(REPORT_PERMISSION)
def saved_run(request, pk):
    saved = get_object_or_404(SavedReport, pk=pk)
    try:
        report_request = services.saved_report_run(user=request.user, saved=saved)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index")
    return redirect(report_request)


@require_POST
@staff_required(REPORT_PERMISSION)
def saved_delete(request, pk):
    saved = get_object_or_404(SavedReport, pk=pk)
    services.saved_report_delete(user=request.user, saved=saved)
    messages.success(request, _("The report definition is deleted."))
    return redirect("reports:index")
