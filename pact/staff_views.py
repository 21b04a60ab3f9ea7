"""The AI Office's pages for the AI Pact (/crm/pact/): review queue, catalogue, network."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.audit import audit_entries_for
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, paginate, querystring_without_page

from . import selectors, services
from .forms import CommitmentForm, ReviewForm
from .models import NetworkMembership, Pledge, ProgressReport


@staff_required("pact.view_pledge")
def pledge_queue(request):
    report_overdue = request.GET.get("report") == "overdue"
    status = request.GET.get(
        "status", Pledge.Status.PUBLISHED if report_overdue else Pledge.Status.SUBMITTED
    )
    if status not in Pledge.Status.values and status != "all":
        status = Pledge.Status.SUBMITTED
    query = request.GET.get("q", "").strip()
    queryset = selectors.staff_pledge_list(
        user=request.user,
        status="" if status == "all" else status,
        query=query,
        report_overdue=report_overdue,
    )
    return render(
        request,
        "pact/staff/pledge_queue.html",
        {
            "page": paginate(request, queryset),
            "status": status,
            "statuses": Pledge.Status.choices,
            "counts": selectors.staff_pledge_counts(user=request.user),
            "query": query,
            "report_overdue": report_overdue,
            "querystring": querystring_without_page(request),
            "reports_waiting": selectors.staff_report_list(
                user=request.user, status=ProgressReport.Status.SUBMITTED
            ).count(),
        },
    )


@staff_required("pact.view_pledge")
def pledge_detail(request, pk):
    pledge = selectors.pledge_visible(user=request.user, pk=pk)
    if pledge is None:
        raise Http404
    return render(
        request,
        "pact/staff/pledge_detail.html",
        {
            "pledge": pledge,
            "history": pledge.history.select_related("actor"),
            "audit": audit_entries_for(pledge)[:50],
            "reports": pledge.reports.all(),
            "review_form": ReviewForm(),
        },
    )


REVIEW_ACTIONS = {
    "return": (services.pledge_return, gettext_lazy("The pledge has been returned for changes.")),
    "publish": (services.pledge_publish, gettext_lazy("The pledge has been published.")),
    "reject": (services.pledge_reject, gettext_lazy("The pledge has been rejected.")),
}


# Decisions that cannot be taken back are confirmed on a page of their own first.
CONFIRMATIONS = {
    "publish": (
        gettext_lazy("Publish the pledge of %(name)s?"),
        gettext_lazy(
            "It appears in the public register at once and its representatives are told by "
            "email. A published pledge can only be withdrawn by the organisation."
        ),
        gettext_lazy("Yes, publish it"),
    ),
    "reject": (
        gettext_lazy("Reject the pledge of %(name)s?"),
        gettext_lazy(
            "Its representatives are told by email, with your comment. A rejected pledge "
            "cannot be reopened; the organisation may sign a new one."
        ),
        gettext_lazy("Yes, reject it"),
    ),
}


class _DryRun(Exception):
    pass


def _refusal_of(action, **kwargs) -> DomainError | None:
    """What the service would say to this decision, without taking it: it runs in a savepoint
    that is rolled back, with its emails (sent on commit) and audit entry."""
    try:
        with transaction.atomic():
            action(**kwargs)
            raise _DryRun
    except _DryRun:
        return None
    except DomainError as error:
        return error


@require_POST
@staff_required("pact.review_pledge")
def pledge_review(request, pk, decision):
    if decision not in REVIEW_ACTIONS:
        raise Http404
    pledge = selectors.pledge_visible(user=request.user, pk=pk)
    if pledge is None:
        raise Http404
    form = ReviewForm(request.POST)
    action, success = REVIEW_ACTIONS[decision]
    if form.is_valid() and decision in CONFIRMATIONS and request.POST.get("confirmed") != "yes":
        comment = form.cleaned_data["comment"]
        refusal = _refusal_of(action, user=request.user, pledge=pledge, comment=comment)
        if refusal is None:
            question, consequence, confirm_label = CONFIRMATIONS[decision]
            return render(
                request,
                "core/confirm.html",
                {
                    "title": str(question) % {"name": pledge.organisation.name},
                    "consequence": consequence,
                    "action": request.path,
                    "fields": {"comment": comment},
                    "confirm_label": confirm_label,
                    "cancel_url": reverse("pact_staff:pledge_detail", args=[pledge.pk]),
                },
            )
    if form.is_valid():
        try:
            action(user=request.user, pledge=pledge, comment=form.cleaned_data["comment"])
        except DomainError as error:
            if error.field not in form.fields:
                messages.error(request, str(error))
                return redirect("pact_staff:pledge_detail", pk=pledge.pk)
            form_add_domain_error(form, error)
        else:
            messages.success(request, str(success))
            return redirect("pact_staff:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pact/staff/pledge_detail.html",
        {
            "pledge": pledge,
            "history": pledge.history.select_related("actor"),
            "audit": audit_entries_for(pledge)[:50],
            "reports": pledge.reports.all(),
            "review_form": form,
        },
        status=400,
    )


@staff_required("pact.view_pledge")
def report_queue(request):
    status = request.GET.get("status", ProgressReport.Status.SUBMITTED)
    if status not in ProgressReport.Status.values and status != "all":
        status = ProgressReport.Status.SUBMITTED
    queryset = selectors.staff_report_list(
        user=request.user, status="" if status == "all" else status
    )
    return render(
        request,
        "pact/staff/report_queue.html",
        {
            "page": paginate(request, queryset),
            "status": status,
            "statuses": ProgressReport.Status.choices,
            "querystring": querystring_without_page(request),
        },
    )


@staff_required("pact.view_pledge")
def report_detail(request, pk):
    report = selectors.report_visible(user=request.user, pk=pk)
    if report is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("pact.review_pledge"):
            raise Http404
        decision = request.POST.get("decision")
        if form.is_valid() and decision in ("accept", "return"):
            try:
                services.progress_report_review(
                    user=request.user,
                    report=report,
                    accept=decision == "accept",
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("The progress report has been accepted and published with the pledge.")
                    if decision == "accept"
                    else _("The progress report has been returned for changes."),
                )
                return redirect("pact_staff:report_detail", pk=report.pk)
    return render(
        request,
        "pact/staff/report_detail.html",
        {
            "report": report,
            "pledge": report.pledge,
            "items": selectors.report_items(report),
            "review_form": form,
        },
    )


@staff_required("pact.view_commitment")
def catalogue(request):
    return render(
        request,
        "pact/staff/catalogue.html",
        {"commitments": selectors.catalogue_list(user=request.user)},
    )


@staff_required("pact.change_commitment")
def commitment_edit(request, pk=None):
    commitment = None
    if pk is not None:
        commitment = get_object_or_404(
            selectors.catalogue_list(user=request.user), pk=pk, is_current=True
        )
    form = CommitmentForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if commitment is None:
                saved = services.commitment_create(
                    user=request.user,
                    code=data["code"],
                    category=data["category"],
                    text=form.english_text(),
                    translations=form.translations(),
                    ai_act_article=data["ai_act_article"],
                    verified=data["verified"],
                )
            else:
                saved = services.commitment_update(
                    user=request.user,
                    commitment=commitment,
                    text=form.english_text(),
                    translations=form.translations(),
                    ai_act_article=data["ai_act_article"],
                    verified=data["verified"],
                    retire=data["retire"],
                )
        except DomainError as error:
            if error.field in ("text", "translations"):
                error.field = "texts"
            form_add_domain_error(form, error)
        else:
            if commitment is not None and saved.pk != commitment.pk:
                messages.success(
                    request,
                    _(
                        "Signed pledges refer to this commitment, so the change is version "
                        "%(version)s of it; signed pledges keep the wording they signed."
                    )
                    % {"version": saved.version},
                )
            else:
                messages.success(request, _("The catalogue has been saved."))
            return redirect("pact_staff:catalogue")
    return render(
        request, "pact/staff/commitment_edit.html", {"form": form, "commitment": commitment}
    )


@staff_required("pact.view_networkmembership")
def network(request):
    status = request.GET.get("status", NetworkMembership.Status.INTERESTED)
    if status not in NetworkMembership.Status.values:
        status = NetworkMembership.Status.INTERESTED
    return render(
        request,
        "pact/staff/network.html",
        {
            "page": paginate(
                request, selectors.staff_network_list(user=request.user, status=status)
            ),
            "status": status,
            "statuses": NetworkMembership.Status.choices,
            "querystring": querystring_without_page(request),
        },
    )
