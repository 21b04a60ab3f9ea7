"""Duplicates: the pairs a scan found, the side-by-side review with the merge, the merges
made (each can be undone), and refreshes from the EU Transparency Register."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import DomainError
from core.jobs import job_enqueue
from core.views_helpers import form_add_domain_error, paginate, querystring_without_page

from . import dedupe, merge, register_refresh, selectors
from .models import MergeRecord, Organisation, Person
from .registry import merge_handlers

KIND_LABELS = {
    "organisation": gettext_lazy("Organisations"),
    "person": gettext_lazy("People"),
}


@staff_required("crm.change_person")
def duplicates(request):
    kinds = selectors.merge_kinds_for(request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or kinds[0]
    if kind not in KIND_LABELS:
        raise Http404
    if kind not in kinds:
        raise PermissionDenied
    if request.method == "POST":
        dedupe.duplicate_scan_start(user=request.user, kind=kind)
        messages.success(request, _("The scan has started; its pairs appear here when it ends."))
        return redirect(f"{reverse('crm:duplicates')}?kind={kind}")
    scan = selectors.latest_duplicate_scan(user=request.user, kind=kind)
    page = None
    if scan is not None and scan.status == scan.Status.DONE:
        page = Paginator(scan.result_data.get("pairs", []), 25).get_page(request.GET.get("page"))
        page.object_list = selectors.duplicate_pairs(
            user=request.user, kind=kind, pairs=list(page.object_list)
        )
    return render(
        request,
        "crm/duplicates.html",
        {
            "kind": kind,
            "kinds": [(k, KIND_LABELS[k]) for k in kinds],
            "scan": scan,
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        label=gettext_lazy("Keep this record"), coerce=int, widget=forms.RadioSelect
    )


def _merge_review(request, kind: str, a: int, b: int):
    model = Organisation if kind == "organisation" else Person
    get = selectors.organisation_get if kind == "organisation" else selectors.person_get
    first, second = get(user=request.user, pk=a), get(user=request.user, pk=b)
    if first is None or second is None:
        raise Http404
    form = MergeForm(request.POST or None)
    form.fields["survivor"].choices = [(first.pk, str(first)), (second.pk, str(second))]
    if not form.is_bound:
        form.initial["survivor"] = first.pk
    if request.method == "POST" and form.is_valid():
        survivor_id = form.cleaned_data["survivor"]
        loser_id = second.pk if survivor_id == first.pk else first.pk
        try:
            record = merge.records_merge(
                user=request.user, kind=kind, survivor_id=survivor_id, loser_id=loser_id
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Merged. Everything of “%(loser)s” is now on “%(survivor)s”; you can undo it.")
                % {"loser": record.loser_label, "survivor": record.survivor_label},
            )
            return redirect(record)
    previews = {
        record.pk: merge.merge_preview(
            user=request.user,
            kind=kind,
            survivor=second if record is first else first,
            loser=record,
        )
        for record in (first, second)
    }
    fields = [
        model._meta.get_field(name)
        for name in (merge.ORGANISATION_COMPARE if kind == "organisation" else merge.PERSON_COMPARE)
    ]
    rows = [
        {
            "label": field.verbose_name,
            "values": [_display(record, field) for record in (first, second)],
        }
        for field in fields
    ]
    return render(
        request,
        "crm/merge_review.html",
        {
            "kind": kind,
            "records": [first, second],
            "rows": rows,
            "previews": [(first, previews[first.pk]), (second, previews[second.pk])],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _display(record, field) -> str:
    display = getattr(record, f"get_{field.name}_display", None)
    if display is not None:
        return str(display())
    value = getattr(record, field.name)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "name") and hasattr(value, "code"):
        return str(value.name)
    return "" if value is None else str(value)


@staff_required("crm.view_organisation", "crm.change_organisation")
def merge_organisations(request, a, b):
    return _merge_review(request, "organisation", a, b)


@staff_required("crm.view_person", "crm.change_person")
def merge_people(request, a, b):
    return _merge_review(request, "person", a, b)


@staff_required("crm.change_person")
def merge_list(request):
    page = paginate(request, selectors.merge_list(user=request.user))
    return render(request, "crm/merge_list.html", {"page": page})


def _moved_lines(record: MergeRecord) -> list[dict]:
    lines = []
    for name, count in record.counts.items():
        handler = merge_handlers.get(record.kind, name)
        lines.append({"label": handler.label if handler else name, "count": count})
    return lines


@staff_required("crm.change_person")
def merge_detail(request, pk):
    record = selectors.merge_get(user=request.user, pk=pk)
    if record is None:
        raise Http404
    model = Organisation if record.kind == "organisation" else Person
    return render(
        request,
        "crm/merge_detail.html",
        {
            "record": record,
            "moved": _moved_lines(record),
            "filled": [
                (model._meta.get_field(name).verbose_name, value)
                for name, value in record.filled.items()
            ],
            "survivor": model.objects.filter(pk=record.survivor_id).first(),
            "loser": model.objects.filter(pk=record.loser_id).first(),
        },
    )


@require_POST
@staff_required("crm.change_person")
def merge_undo(request, pk):
    record = selectors.merge_get(user=request.user, pk=pk)
    if record is None:
        raise Http404
    try:
        restored = merge.merge_undo(user=request.user, merge=record)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(record)
    messages.success(
        request, _("The merge has been undone: “%(name)s” is back.") % {"name": restored}
    )
    return redirect(restored)


# --- Transparency Register refresh -------------------------------------------------------------

SESSION_KEY = "crm_register_refresh"
PREVIEW_ROWS = 500


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Transparency Register export"),
        help_text=gettext_lazy(
            "The register's XML export, or its spreadsheet saved as CSV. Columns are "
            "recognised by their names, as they were spelt in any version of the export."
        ),
    )
    full_export = forms.BooleanField(
        label=gettext_lazy(
            "This is the whole register: flag the organisations whose ID is not in it"
        ),
        required=False,
    )


@staff_required("crm.view_organisation", "crm.change_organisation")
def register_refresh_start(request):
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            path = register_refresh.store_export(form.cleaned_data["file"])
            register_refresh.load_plan(path, full_export=form.cleaned_data["full_export"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            request.session[SESSION_KEY] = {
                "path": path,
                "name": form.cleaned_data["file"].name[:120],
                "full_export": form.cleaned_data["full_export"],
            }
            return redirect("crm:register_refresh_preview")
    page = paginate(request, selectors.register_refresh_list(user=request.user), per_page=10)
    return render(
        request,
        "crm/register_refresh_start.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@staff_required("crm.view_organisation", "crm.change_organisation")
def register_refresh_preview(request):
    upload = request.session.get(SESSION_KEY)
    if not upload:
        messages.info(request, _("Choose a register export first."))
        return redirect("crm:register_refresh_start")
    try:
        plan = register_refresh.load_plan(upload["path"], full_export=upload["full_export"])
    except (DomainError, OSError):
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("crm:register_refresh_start")
    if request.method == "POST" and request.POST.get("go") == "apply":
        job = job_enqueue(kind=register_refresh.REFRESH_JOB, user=request.user, params=upload)
        request.session.pop(SESSION_KEY, None)
        return redirect(job)
    return render(
        request,
        "crm/register_refresh_preview.html",
        {
            "upload": upload,
            "plan": plan,
            "counts": plan.counts(),
            "changed": [
                {"row": row, "name": plan.names.get(row.organisation_id, "")}
                for row in plan.changed[:PREVIEW_ROWS]
            ],
            "refused": plan.refused[:PREVIEW_ROWS],
            "left": [(pk, plan.names.get(pk, "")) for pk in plan.left[:PREVIEW_ROWS]],
        },
    )


@staff_required("crm.view_organisation", "crm.change_organisation")
def register_refresh_detail(request, pk):
    refresh = selectors.register_refresh_list(user=request.user).filter(pk=pk).first()
    if refresh is None:
        raise Http404
    return render(request, "crm/register_refresh_detail.html", {"refresh": refresh})
