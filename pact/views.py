"""Public register (/pact/) and the representative's pages (/pact/pledges/)."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from core.access import login_required, public
from core.converters import parse_id
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, paginate, querystring_without_page
from crm.countries import HQRegion
from crm.models import Organisation
from crm.selectors import organisations_acting_for

from . import figures, selectors, services
from .figures import OPEN_DATA_FIELDS, RegisterEntry
from .filters import RegisterFilter
from .forms import (
    NetworkJoinForm,
    PledgeForm,
    PledgeStartForm,
    ProgressReportForm,
    WithdrawForm,
)
from .models import AIRole, Pledge
from .services import IncompleteError

SIGNATORIES_SOURCE = "https://digital-strategy.ec.europa.eu/en/policies/ai-pact"


def _add_errors(form, error: DomainError):
    if isinstance(error, IncompleteError):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        form.add_error(None, str(error))
    else:
        form_add_domain_error(form, error)


# --- the public register -------------------------------------------------------------------


def _dimension_labels():
    return {
        "hq_region": dict(HQRegion.choices),
        "country": dict(countries),
        "ai_role": dict(AIRole.choices),
        "type": dict(Organisation.Type.choices),
        "size": dict(Organisation.Size.choices),
    }


def _register_filters(request) -> tuple[RegisterFilter, dict]:
    """The register's filter form, and the values of the fields that are valid (a bad value
    is reported next to its field and ignored)."""
    filterset = RegisterFilter(request.GET or None, queryset=Pledge.objects.none())
    if not filterset.is_bound:
        return filterset, {}
    filterset.is_valid()
    return filterset, dict(getattr(filterset.form, "cleaned_data", {}))


def _counts_for_display(rows: dict[str, list[tuple]]) -> list[dict]:
    labels = _dimension_labels()
    titles = {
        "hq_region": _("Headquarters"),
        "ai_role": _("AI role"),
        "type": _("Type of organisation"),
        "size": _("Size"),
        "sector": _("Sector"),
        "country": _("Country"),
        "commitment": _("Commitment"),
    }
    counts = []
    for dimension, values in rows.items():
        names = labels.get(dimension, {})
        counts.append(
            {
                "name": dimension,
                "title": titles[dimension],
                "rows": [
                    (str(names.get(value, value)) if value else _("Not stated"), n)
                    for value, n in values
                ],
            }
        )
    return counts


def _register_page(request, data: figures.Figures) -> dict:
    filterset, filters = _register_filters(request)
    if any(filters.values()):
        rows = figures.rows_matching(data.pledges, filters)
        counts = _counts_for_display(figures.counts(rows, data.sector_names))
    else:
        rows = list(data.pledges)
        key = ("register_counts", translation.get_language())
        if key not in data.memo:
            data.memo[key] = _counts_for_display(data.total_counts)
        counts = data.memo[key]
    page = paginate(request, rows, per_page=20)
    page.object_list = [RegisterEntry(row, data.sector_names) for row in page.object_list]
    return {
        "filter": filterset,
        "page": page,
        "counts": counts,
        "total": page.paginator.count,
        "withdrawn": [
            RegisterEntry(row, data.sector_names)
            for row in figures.rows_matching(data.withdrawn, filters)[:50]
        ],
    }


# The register's parameters that may be part of a cached page's key (a free-text search is not).
_CACHED_PARAMETERS = ("country", "hq_region", "sector", "ai_role", "commitment", "type", "size")


@public
def register(request):
    """The register. Its content depends only on the published data, the filters and the
    language, so it is cached as HTML per generation of the figures (except for a free-text
    search): a request usually reads two cache keys and runs no SQL. What the page shows is
    computed lazily, only when the cached HTML is missing."""
    data = figures.figures_get()
    computed = SimpleLazyObject(lambda: _register_page(request, data))
    page_cache_key = None
    if not request.GET.get("q") and set(request.GET) <= {*_CACHED_PARAMETERS, "page"}:
        page_cache_key = f"{data.generation}:{request.GET.urlencode()}"
    # The filter form's selects (every country...) take most of a page's rendering: cached
    # apart from the search box, so that a search reuses them too.
    choices = request.GET.copy()
    for name in ("q", "page"):
        choices.pop(name, None)
    return render(
        request,
        "pact/register.html",
        {
            "filter": SimpleLazyObject(lambda: computed["filter"]),
            "page": SimpleLazyObject(lambda: computed["page"]),
            "counts": SimpleLazyObject(lambda: computed["counts"]),
            "total": SimpleLazyObject(lambda: computed["total"]),
            "withdrawn": SimpleLazyObject(lambda: computed["withdrawn"]),
            "catalogue": SimpleLazyObject(selectors.current_catalogue),
            "querystring": querystring_without_page(request),
            "source_url": SIGNATORIES_SOURCE,
            "figures_as_of": data.built_at,
            "page_cache_key": page_cache_key,
            "choices_cache_key": f"{data.generation}:{choices.urlencode()}",
        },
    )


@public
def public_pledge(request, pk):
    pledge = selectors.public_pledge_get(pk=pk)
    if pledge is None:
        raise Http404
    return render(
        request,
        "pact/public_pledge.html",
        {"pledge": pledge, "reports": selectors.public_reports(pledge) if pledge.is_public else []},
    )


def _refused_filters(filterset) -> JsonResponse | None:
    """An open-data file asked for with a filter value that does not exist: a 400 that says
    which parameter and why, rather than the whole register as if nothing had been asked."""
    if not filterset.is_bound or filterset.is_valid():
        return None
    return JsonResponse(
        {
            "error": _("Some filter values are not valid."),
            "parameters": {
                name: [str(message) for message in messages]
                for name, messages in filterset.errors.items()
            },
            "documentation": reverse("pact:open_data"),
        },
        status=400,
    )


def _open_data_file(request, kind: str):
    filterset, filters = _register_filters(request)
    if refused := _refused_filters(filterset):
        return None, refused
    data = figures.figures_get()
    rows = figures.rows_matching(data.pledges, filters) if any(filters.values()) else None
    body = figures.open_data_file(
        kind,
        data,
        rows,
        base_url=request.build_absolute_uri("/")[:-1],
        documentation_url=request.build_absolute_uri(reverse("pact:open_data")),
    )
    return body, None


@public
def signatories_csv(request):
    body, refused = _open_data_file(request, "csv")
    if refused:
        return refused
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ai-pact-signatories.csv"'
    return response


@public
def signatories_json(request):
    body, refused = _open_data_file(request, "json")
    if refused:
        return refused
    return HttpResponse(body, content_type="application/json")


@public
def figures_public(request):
    """The AI Pact in figures: the register's headline figures and charts."""
    data = figures.figures_get()
    return render(
        request,
        "pact/figures.html",
        {"figures": figures.figures_page(data), "figures_as_of": data.built_at},
    )


@public
def open_data(request):
    return render(request, "pact/open_data.html", {"fields": OPEN_DATA_FIELDS})


# --- the representative's pages ------------------------------------------------------------


@login_required
def pledge_list(request):
    organisations = selectors.organisations_without_pledge(user=request.user)
    acting = organisations_acting_for(user=request.user)
    start_form = PledgeStartForm(
        organisations=organisations, initial={"language": request.LANGUAGE_CODE}
    )
    network_form = NetworkJoinForm(
        organisations=acting.exclude(pact_network__status="interested"),
        initial={"contact_email": request.user.email},
    )
    return render(
        request,
        "pact/pledge_list.html",
        {
            "pledges": selectors.pledges_for_user(user=request.user),
            "acting": acting,
            "start_form": start_form if organisations.exists() else None,
            "network_form": network_form if network_form.fields["organisation"].queryset else None,
            "memberships": selectors.network_memberships_for_user(user=request.user),
        },
    )


@login_required
def pledge_start(request):
    organisations = selectors.organisations_without_pledge(user=request.user)
    form = PledgeStartForm(
        request.POST or None,
        organisations=organisations,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_start(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your draft pledge is ready. Fill it in at your pace: it is saved each time."),
            )
            return redirect("pact:pledge_edit", pk=pledge.pk)
    organisation_id = parse_id(request.POST.get("organisation", ""))
    if request.method == "POST" and organisation_id:
        existing = selectors.pledges_for_user(user=request.user).filter(
            organisation_id=organisation_id,
            status__in=["draft", "returned", "submitted", "published"],
        )
        if existing.exists():
            # A second click or a second tab: the pledge exists, show it.
            messages.info(request, _("Your organisation already has a pledge: here it is."))
            return redirect(existing.first())
    return render(
        request,
        "pact/pledge_start.html",
        {"form": form, "has_organisations": organisations_acting_for(user=request.user).exists()},
    )


def _pledge_or_404(request, pk) -> Pledge:
    pledge = selectors.pledge_for_representative(user=request.user, pk=pk)
    if pledge is None:
        raise Http404
    return pledge


@login_required
def pledge_detail(request, pk):
    pledge = _pledge_or_404(request, pk)
    return render(
        request,
        "pact/pledge_detail.html",
        {
            "pledge": pledge,
            "history": pledge.history.select_related("actor"),
            "reports": pledge.reports.all(),
            "withdraw_form": WithdrawForm(),
            "can_report": pledge.status == Pledge.Status.PUBLISHED
            and pledge.report_opens_on is not None
            and pledge.report_opens_on <= timezone.localdate(),
        },
    )


@login_required
def pledge_edit(request, pk):
    pledge = _pledge_or_404(request, pk)
    if not pledge.is_editable:
        messages.info(request, _("This pledge has been submitted and can no longer be edited."))
        return redirect(pledge)
    catalogue = selectors.current_catalogue()
    form = PledgeForm(request.POST or None, pledge=pledge, catalogue=catalogue)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = None
        try:
            saved = services.pledge_save(user=request.user, pledge=pledge, **form.service_kwargs())
            if submit:
                services.pledge_submit(user=request.user, pledge=saved, version=saved.version)
        except DomainError as error:
            if saved is not None:
                # The draft is saved; the form now carries the saved version.
                data = request.POST.copy()
                data["version"] = saved.version
                pledge = selectors.pledge_for_representative(user=request.user, pk=pk)
                form = PledgeForm(data, pledge=pledge, catalogue=catalogue)
                form.is_valid()
                messages.info(request, _("Your changes are saved as a draft."))
            _add_errors(form, error)
        else:
            if submit:
                messages.success(
                    request,
                    _(
                        "Thank you: your pledge has been signed and sent to the AI Office. "
                        "We will write to you once it has been reviewed."
                    ),
                )
                return redirect(pledge)
            messages.success(request, _("Your draft has been saved."))
            return redirect("pact:pledge_edit", pk=pledge.pk)
    return render(request, "pact/pledge_edit.html", {"pledge": pledge, "form": form})


@login_required
def pledge_withdraw(request, pk):
    pledge = _pledge_or_404(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_withdraw(user=request.user, pledge=pledge, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The pledge has been withdrawn."))
            return redirect(pledge)
    return render(request, "pact/pledge_withdraw.html", {"pledge": pledge, "form": form})


@require_POST
@login_required
def report_start(request, pk):
    pledge = _pledge_or_404(request, pk)
    try:
        report = services.progress_report_start(user=request.user, pledge=pledge)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(pledge)
    return redirect("pact:report_edit", pk=report.pk)


def _report_or_404(request, pk):
    report = selectors.report_for_representative(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request, pk):
    report = _report_or_404(request, pk)
    return render(
        request,
        "pact/report_detail.html",
        {"report": report, "pledge": report.pledge, "items": selectors.report_items(report)},
    )


@login_required
def report_edit(request, pk):
    report = _report_or_404(request, pk)
    if not report.is_editable:
        messages.info(request, _("This progress report has been submitted."))
        return redirect(report)
    items = selectors.report_items(report)
    form = ProgressReportForm(request.POST or None, report=report, items=items)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.progress_report_save(
                user=request.user, report=report, submit=submit, **form.service_kwargs()
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            if submit:
                messages.success(request, _("Thank you: your progress report has been sent."))
                return redirect(report)
            messages.success(request, _("Your draft has been saved."))
            return redirect("pact:report_edit", pk=report.pk)
    return render(
        request, "pact/report_edit.html", {"report": report, "pledge": report.pledge, "form": form}
    )


@require_POST
@login_required
def network_join(request):
    form = NetworkJoinForm(
        request.POST,
        organisations=organisations_acting_for(user=request.user),
    )
    if form.is_valid():
        try:
            services.network_join(user=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome to the AI Pact network."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("pact:pledge_list")


@require_POST
@login_required
def network_leave(request, pk):
    membership = selectors.network_memberships_for_user(user=request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    try:
        services.network_leave(user=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your organisation has left the AI Pact network."))
    return redirect("pact:pledge_list")
