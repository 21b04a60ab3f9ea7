from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import login_required, staff_required
from core.audit import audit_entries_for
from core.csv import csv_response
from core.errors import DomainError
from core.views_helpers import (
    form_add_domain_error,
    next_url,
    paginate,
    querystring_without_page,
)

from . import selectors, services
from .filters import OrganisationFilter, PersonFilter
from .forms import (
    AffiliationRequestForm,
    NoteForm,
    OrganisationBulkForm,
    OrganisationRegisterForm,
    ProfileForm,
    RefuseForm,
)
from .models import Tag
from .registry import panels

ORGANISATION_EXPORT_HEADER = [
    "id",
    "name",
    "acronym",
    "transparency_register_id",
    "country",
    "hq_region",
    "type",
    "size",
    "ai_role",
    "sectors",
    "website",
    "tags",
    "status",
    "people",
]

# --- /me/: the signed-in user's own pages -------------------------------------------------


@login_required
def me_dashboard(request):
    person = selectors.person_for_user(request.user)
    return render(
        request,
        "crm/me/dashboard.html",
        {
            "person": person,
            "affiliations": selectors.affiliations_for_user(user=request.user),
            "panels": panels.render_list("me", request, person),
        },
    )


@login_required
def me_profile(request):
    person = selectors.person_for_user(request.user)
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "preferred_language": request.LANGUAGE_CODE,
    }
    if person:
        initial.update(
            first_name=person.first_name,
            last_name=person.last_name,
            phone=person.phone,
            nationality=person.nationality.code if person.nationality else "",
            gender=person.gender,
            preferred_language=person.preferred_language,
        )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_profile(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("me:dashboard")
    return render(request, "crm/me/profile.html", {"form": form})


@login_required
def me_organisation_register(request):
    form = OrganisationRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_register(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The AI Office will confirm the organisation and your role; "
                    "you will then be able to act for it."
                ),
            )
            return redirect("me:dashboard")
    return render(request, "crm/me/organisation_register.html", {"form": form})


@login_required
def me_organisation_join(request):
    query = request.GET.get("q", "").strip()
    results = selectors.organisation_search_public(query=query)
    form = AffiliationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_request(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                position=form.cleaned_data["position"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, _("Your request has been sent. The AI Office will confirm your role.")
            )
            return redirect("me:dashboard")
    return render(
        request,
        "crm/me/organisation_join.html",
        {"form": form, "query": query, "results": results},
    )


# --- /crm/: the staff back office ----------------------------------------------------------


@staff_required()
def dashboard(request):
    return render(
        request,
        "crm/dashboard.html",
        {"pending_affiliations": selectors.affiliation_requests(user=request.user)[:10]},
    )


def _filtered_organisations(request):
    query = request.GET.get("q", "").strip()
    queryset = selectors.organisation_list(
        user=request.user, query=query, sort=request.GET.get("sort", "")
    )
    return query, OrganisationFilter(request.GET or None, queryset=queryset)


@staff_required("crm.view_organisation")
def organisation_list(request):
    query, filterset = _filtered_organisations(request)
    page = paginate(request, filterset.qs.prefetch_related("sectors"))
    return render(
        request,
        "crm/organisation_list.html",
        {
            "known_tags": Tag.objects.order_by("name")[:200],
            "filter": filterset,
            "page": page,
            "query": query,
            "querystring": querystring_without_page(request),
        },
    )


def _organisations_csv(queryset, filename: str):
    response, writer = csv_response(filename)
    writer.writerow(ORGANISATION_EXPORT_HEADER)
    for o in queryset.prefetch_related("sectors", "tags").iterator(chunk_size=2000):
        writer.writerow(
            [
                o.pk,
                o.name,
                o.acronym,
                o.transparency_register_id or "",
                o.country.code if o.country else "",
                o.get_hq_region_display(),
                o.get_type_display(),
                o.get_size_display(),
                o.get_ai_role_display(),
                "; ".join(s.name for s in o.sectors.all()),
                o.website,
                "; ".join(t.name for t in o.tags.all()),
                o.get_status_display(),
                o.people_count,
            ]
        )
    return response


@staff_required("crm.view_organisation")
def organisation_export(request):
    """Exactly the list on screen (search, filters, order), every page of it, as CSV."""
    _query, filterset = _filtered_organisations(request)
    return _organisations_csv(filterset.qs, "organisations.csv")


@require_POST
@staff_required("crm.view_organisation")
def organisation_bulk(request):
    """Act on the organisations ticked in the list: tag, untag or download them."""
    form = OrganisationBulkForm(request.POST)
    back = next_url(request, reverse("crm:organisation_list"), within="/crm/organisations/")
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    chosen = selectors.organisation_list(user=request.user).filter(
        pk__in=form.cleaned_data["organisations"]
    )
    action = form.cleaned_data["action"]
    if action == "export":
        return _organisations_csv(chosen, "organisations-selected.csv")
    try:
        changed = services.organisations_tag(
            user=request.user,
            organisations=chosen,
            tag_name=form.cleaned_data["tag"],
            remove=action == "untag",
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(n)d organisation changed.", "%(n)d organisations changed.", changed)
            % {"n": changed},
        )
    return redirect(back)


def _link_candidates(request, parameter: str, search) -> dict:
    """Records matching the search typed on a record page to link it to (ten at most)."""
    query = request.GET.get(parameter, "").strip()[:100]
    found = search(user=request.user, query=query)[:10] if query else []
    return {"link_query": query, "link_candidates": found}


@staff_required("crm.view_organisation")
def organisation_detail(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if organisation is None:
        raise Http404
    note_form = NoteForm(request.POST or None)
    if request.method == "POST" and note_form.is_valid():
        try:
            services.note_add(
                user=request.user, organisation=organisation, **note_form.cleaned_data
            )
        except DomainError as error:
            form_add_domain_error(note_form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect(organisation)
    return render(
        request,
        "crm/organisation_detail.html",
        {
            "organisation": organisation,
            "affiliations": organisation.affiliations.select_related("person").order_by(
                "-is_representative", "person__last_name"
            ),
            "notes": organisation.notes.select_related("author")[:50],
            "note_form": note_form,
            "history": audit_entries_for(organisation)[:50],
            "panels": panels.render_list("organisation", request, organisation),
            **_link_candidates(request, "person_q", selectors.person_list),
        },
    )


@staff_required("crm.view_person")
def person_list(request):
    query = request.GET.get("q", "").strip()
    queryset = selectors.person_list(
        user=request.user, query=query, sort=request.GET.get("sort", "")
    )
    filterset = PersonFilter(request.GET or None, queryset=queryset)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "crm/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "querystring": querystring_without_page(request),
        },
    )


@staff_required("crm.view_person")
def person_detail(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404
    note_form = NoteForm(request.POST or None)
    if request.method == "POST" and note_form.is_valid():
        services.note_add(user=request.user, person=person, **note_form.cleaned_data)
        messages.success(request, _("Note added."))
        return redirect(person)
    return render(
        request,
        "crm/person_detail.html",
        {
            "person": person,
            "affiliations": person.affiliations.select_related("organisation").order_by(
                "valid_to", "organisation__name"
            ),
            "consents": person.consents.all(),
            "notes": person.notes.select_related("author")[:50],
            "note_form": note_form,
            "history": audit_entries_for(person)[:50],
            "panels": panels.render_list("person", request, person),
            **_link_candidates(request, "org_q", selectors.organisation_list),
        },
    )


@staff_required("crm.confirm_affiliation")
def affiliation_queue(request):
    page = paginate(request, selectors.affiliation_requests(user=request.user))
    return render(
        request, "crm/affiliation_queue.html", {"page": page, "refuse_form": RefuseForm()}
    )


@require_POST
@staff_required("crm.confirm_affiliation")
def affiliation_decide(request, pk, decision):
    if decision not in ("confirm", "refuse"):
        raise Http404
    affiliation = get_object_or_404(selectors.affiliation_requests(user=request.user), pk=pk)
    try:
        if decision == "confirm":
            services.affiliation_confirm(user=request.user, affiliation=affiliation)
            messages.success(
                request,
                _("%(organisation)s is now represented by %(person)s.")
                % {"person": affiliation.person, "organisation": affiliation.organisation.name},
            )
        else:
            form = RefuseForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.affiliation_refuse(user=request.user, affiliation=affiliation, reason=reason)
            messages.success(request, _("The request has been refused."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("crm:affiliation_queue")
