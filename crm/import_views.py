"""Importing organisations or people from a CSV file: upload, map the columns and preview what
each row would do, then import everything at once in a background job."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import staff_required
from core.errors import DomainError
from core.jobs import job_enqueue
from core.views_helpers import form_add_domain_error

from . import imports

SESSION_KEY = "crm_import"
PREVIEW_ROWS = 200
ENCODING_CHOICES = [
    ("", gettext_lazy("Recognise it")),
    ("utf-8-sig", "UTF-8"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=imports.KINDS.items()
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "At most 10 MB. Columns separated by commas, semicolons or tabs; the first row "
            "names them. See the column guide for what each column may hold."
        ),
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding"), choices=ENCODING_CHOICES, required=False
    )


def _mapping_form(kind: str, header: list[str], data=None, initial=None):
    choices = [("", _("Not in the file"))] + [(column, column) for column in header]
    fields = {
        name: forms.ChoiceField(
            label=imports.LABELS[name],
            choices=choices,
            required=name in imports.REQUIRED[kind],
        )
        for name in imports.FIELDS[kind]
    }
    return type("MappingForm", (forms.Form,), fields)(data, initial=initial)


IMPORT_PERMISSIONS = {
    imports.ORGANISATIONS: ("crm.add_organisation", "crm.change_organisation"),
    imports.PEOPLE: ("crm.add_person", "crm.change_person"),
}


@staff_required("crm.view_organisation", "crm.view_person", "crm.add_person")
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        if not request.user.has_perms(IMPORT_PERMISSIONS[form.cleaned_data["kind"]]):
            form.add_error("kind", _("Your role may not add or change these records."))
    if request.method == "POST" and form.is_valid():
        try:
            path = imports.store_upload(form.cleaned_data["file"])
            _header, _rows, encoding = imports.load(path, form.cleaned_data["encoding"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            request.session[SESSION_KEY] = {
                "path": path,
                "kind": form.cleaned_data["kind"],
                "encoding": encoding,
                "name": form.cleaned_data["file"].name[:120],
            }
            return redirect("crm:import_map")
    return render(
        request, "crm/import_start.html", {"form": form}, status=400 if form.errors else 200
    )


@staff_required("crm.view_organisation", "crm.view_person", "crm.add_person")
def import_map(request):
    upload = request.session.get(SESSION_KEY)
    if not upload:
        messages.info(request, _("Choose a file to import first."))
        return redirect("crm:import_start")
    kind = upload["kind"]
    try:
        header, rows, _encoding = imports.load(upload["path"], upload["encoding"])
    except (DomainError, FileNotFoundError, OSError):
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("crm:import_start")
    mapping_form = _mapping_form(
        kind,
        header,
        data=request.POST or None,
        initial=imports.guess_mapping(kind, header),
    )
    plan = None
    if mapping_form.is_bound and mapping_form.is_valid():
        mapping = {name: column for name, column in mapping_form.cleaned_data.items() if column}
    elif not mapping_form.is_bound:
        mapping = imports.guess_mapping(kind, header)
    else:
        mapping = None
    if mapping is not None:
        try:
            plan = imports.plan_import(kind, header, rows, mapping)
        except DomainError as error:
            messages.error(request, str(error))
    if plan is not None and request.method == "POST" and request.POST.get("go") == "import":
        if plan.errors:
            messages.error(request, _("Correct the refused rows first; nothing was imported."))
        else:
            job = job_enqueue(
                kind=imports.IMPORT_JOB,
                user=request.user,
                params={**upload, "mapping": mapping},
            )
            request.session.pop(SESSION_KEY, None)
            return redirect(job)
    return render(
        request,
        "crm/import_map.html",
        {
            "upload": upload,
            "encoding_label": dict(ENCODING_CHOICES).get(upload["encoding"], upload["encoding"]),
            "kind_label": imports.KINDS[kind],
            "mapping_form": mapping_form,
            "plan": plan,
            "preview": plan.rows[:PREVIEW_ROWS] if plan else [],
            "errors": plan.errors[:500] if plan else [],
            "counts": {
                action: plan.count(action)
                for action in (imports.CREATE, imports.UPDATE, imports.UNCHANGED, imports.ERROR)
            }
            if plan
            else {},
            "labels": imports.LABELS,
        },
    )
