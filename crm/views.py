import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import login_required, staff_required
from core.csv import csv_response
from core.errors import DomainError
from core.languages import language_remember_in_session
from core.models import AccessLogEntry
from core.privacy import log_access
from core.views_helpers import (
    form_add_domain_error,
    next_url,
    paginate,
    querystring_without_page,
)

from . import selectors, services
from .filters import OrganisationFilter, PersonFilter
from .forms import (
    AccessLogFilterForm,
    AffiliationRequestForm,
    ErasureRefuseForm,
    ErasureRequestFilterForm,
    ErasureRequestForm,
    NoteForm,
    OrganisationBulkForm,
    OrganisationRegisterForm,
    PersonBulkForm,
    ProfileForm,
    RefuseForm,
)
from .mailings.selectors import person_updates
from .models import Affiliation, Organisation, Tag
from .registry import bulk_actions, panels

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

PERSON_EXPORT_HEADER = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "nationality",
    "preferred_language",
    "organisations",
    "tags",
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
            person = services.person_update_profile(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            language_remember_in_session(request, person.preferred_language)
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


@login_required
def me_data(request):
    erasure_form = ErasureRequestForm()
    return render(
        request,
        "crm/me/data.html",
        {
            "consents": selectors.consents_for_user(user=request.user),
            "erasure_requests": selectors.erasure_requests_for_user(user=request.user),
            "erasure_form": erasure_form,
        },
    )


@login_required
def me_data_download(request):
    data = services.person_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def me_consent_withdraw(request, pk):
    consent = get_object_or_404(selectors.consents_for_user(user=request.user), pk=pk)
    try:
        consent = services.consent_withdraw_own(user=request.user, consent_id=consent.pk)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You have withdrawn your consent to: %(purpose)s.")
            % {"purpose": consent.get_purpose_display()},
        )
    return redirect("me:data")


@login_required
def me_erasure_request(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request_create(user=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request has been received. The data-protection coordinator will "
                    "answer within one month."
                ),
            )
            return redirect("me:data")
    return render(request, "crm/me/erasure_request.html", {"form": form})


# --- /crm/: the staff back office ----------------------------------------------------------


@staff_required()
def dashboard(request):
    return render(
        request,
        "crm/dashboard.html",
        {
            "pending_affiliations": selectors.affiliation_requests_oldest(user=request.user),
            "waiting": selectors.work_waiting(user=request.user),
            "sections": panels.render_list("dashboard", request, None),
        },
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


def _choice_labels(model, *names) -> dict[str, dict]:
    """Each field's labels, translated once: `get_FOO_display()` translates every choice on
    every call, which dominated the time of a 10,000-row export."""
    return {
        name: {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        for name in names
    }


def _organisations_csv(queryset, filename: str):
    response, writer = csv_response(filename)
    writer.writerow(ORGANISATION_EXPORT_HEADER)
    labels = _choice_labels(Organisation, "hq_region", "type", "size", "ai_role", "status")
    for o in queryset.prefetch_related("sectors", "tags").iterator(chunk_size=2000):
        writer.writerow(
            [
                o.pk,
                o.name,
                o.acronym,
                o.transparency_register_id or "",
                o.country.code if o.country else "",
                labels["hq_region"].get(o.hq_region, o.hq_region),
                labels["type"].get(o.type, o.type),
                labels["size"].get(o.size, o.size),
                labels["ai_role"].get(o.ai_role, o.ai_role),
                "; ".join(s.name for s in o.sectors.all()),
                o.website,
                "; ".join(t.name for t in o.tags.all()),
                labels["status"].get(o.status, o.status),
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
    if form.cleaned_data["everyone"]:
        filters = QueryDict(request.POST.get("filters", ""))
        query = filters.get("q", "").strip()
        queryset = selectors.organisation_list(user=request.user, query=query)
        chosen = OrganisationFilter(filters or None, queryset=queryset).qs
    else:
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
    affiliations = list(
        organisation.affiliations.select_related("person").order_by(
            "-is_representative", "person__last_name"
        )
    )
    log_access(
        request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="crm.organisation",
        subject_id=organisation.pk,
        person_ids=[a.person_id for a in affiliations],
        description=organisation.name,
    )
    return render(
        request,
        "crm/organisation_detail.html",
        {
            "organisation": organisation,
            "affiliations": affiliations,
            "notes": organisation.notes.select_related("author")[:50],
            "note_form": note_form,
            "history": selectors.record_history(organisation)[:50],
            "panels": panels.render_list("organisation", request, organisation),
            **_link_candidates(request, "person_q", selectors.person_list),
        },
    )


def _filtered_people(request, params):
    query = params.get("q", "").strip()
    queryset = selectors.person_list(user=request.user, query=query, sort=params.get("sort", ""))
    return query, PersonFilter(params or None, queryset=queryset)


@staff_required("crm.view_person")
def person_list(request):
    query, filterset = _filtered_people(request, request.GET)
    page = paginate(request, filterset.qs)
    page.object_list = list(page.object_list)
    log_access(
        request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="crm.person",
        person_ids=[person.pk for person in page.object_list],
        description=_("People list, page %(number)s") % {"number": page.number},
    )
    return render(
        request,
        "crm/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "querystring": querystring_without_page(request),
            "known_tags": Tag.objects.order_by("name")[:200],
            "bulk_actions": [
                {"action": action, "targets": action.targets(request.user)}
                for action in bulk_actions.for_user("person", request.user)
            ],
        },
    )


def _people_csv(request, queryset, filename: str):
    people = list(queryset.prefetch_related("tags").only(*PERSON_EXPORT_HEADER[:7], "pk"))
    organisations = {}
    links = (
        Affiliation.objects.current()
        .exclude(status=Affiliation.Status.REFUSED)
        .filter(person__in=[p.pk for p in people])
        .values_list("person_id", "organisation__name")
        .order_by("organisation__name")
    )
    for person_id, name in links:
        organisations.setdefault(person_id, []).append(name)
    log_access(
        request,
        action=AccessLogEntry.Action.EXPORT,
        subject_type="crm.person",
        person_ids=[p.pk for p in people],
        description=_("People list as CSV (%(n)d people)") % {"n": len(people)},
    )
    response, writer = csv_response(filename)
    writer.writerow(PERSON_EXPORT_HEADER)
    for p in people:
        writer.writerow(
            [
                p.pk,
                p.first_name,
                p.last_name,
                p.email,
                p.phone,
                p.nationality.code if p.nationality else "",
                p.preferred_language,
                "; ".join(organisations.get(p.pk, [])),
                "; ".join(t.name for t in p.tags.all()),
            ]
        )
    return response


@staff_required("crm.view_person")
def person_export(request):
    """Exactly the list on screen (search, filters, order), every page of it, as CSV."""
    _query, filterset = _filtered_people(request, request.GET)
    return _people_csv(request, filterset.qs, "people.csv")


@require_POST
@staff_required("crm.view_person")
def person_bulk(request):
    """Act on the ticked people, or on every person the list's filters select (the filters
    come back in `filters`, the list's query string): tag, untag, download, or an action
    another app registered (invite to an event)."""
    form = PersonBulkForm(request.POST)
    back = next_url(request, reverse("crm:person_list"), within="/crm/people/")
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    if form.cleaned_data["everyone"]:
        _query, filterset = _filtered_people(request, QueryDict(request.POST.get("filters", "")))
        chosen = filterset.qs
    else:
        chosen = selectors.person_list(user=request.user).filter(pk__in=form.cleaned_data["people"])
    action = form.cleaned_data["action"]
    try:
        if action == "export":
            return _people_csv(request, chosen, "people-selected.csv")
        if action in ("tag", "untag"):
            changed = services.people_tag(
                user=request.user,
                people=chosen,
                tag_name=form.cleaned_data["tag"],
                remove=action == "untag",
            )
            message = ngettext("%(n)d person changed.", "%(n)d people changed.", changed) % {
                "n": changed
            }
        else:
            registered = bulk_actions.get("person", action)
            if registered is None or not request.user.has_perm(registered.perm):
                raise Http404
            message = registered.run(
                user=request.user, target=form.cleaned_data["target"], records=list(chosen)
            )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(back)


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
    log_access(
        request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="crm.person",
        subject_id=person.pk,
        person_ids=[person.pk],
    )
    return render(
        request,
        "crm/person_detail.html",
        {
            "person": person,
            "affiliations": person.affiliations.select_related("organisation").order_by(
                "valid_to", "organisation__name"
            ),
            "consents": person.consents.all(),
            "updates": person_updates(person),
            "notes": person.notes.select_related("author")[:50],
            "note_form": note_form,
            "history": selectors.record_history(person)[:50],
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


# --- /crm/privacy/: the data-protection coordinator ----------------------------------------


@staff_required("crm.handle_erasure_request")
def erasure_request_list(request):
    form = ErasureRequestFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = paginate(request, selectors.erasure_request_list(user=request.user, status=status))
    return render(
        request,
        "crm/privacy/erasure_request_list.html",
        {"form": form, "page": page, "querystring": querystring_without_page(request)},
    )


@staff_required("crm.handle_erasure_request")
def erasure_request_detail(request, pk):
    erasure_request = selectors.erasure_request_get(user=request.user, pk=pk)
    if erasure_request is None:
        raise Http404
    refuse_form = ErasureRefuseForm(request.POST or None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "carry_out":
                services.erasure_request_carry_out(
                    user=request.user, erasure_request=erasure_request
                )
                messages.success(request, _("The person's data has been erased."))
                return redirect("crm:erasure_request_detail", pk=pk)
            if decision == "refuse" and refuse_form.is_valid():
                services.erasure_request_refuse(
                    user=request.user,
                    erasure_request=erasure_request,
                    grounds=refuse_form.cleaned_data["grounds"],
                )
                messages.success(request, _("The request has been refused."))
                return redirect("crm:erasure_request_detail", pk=pk)
            if decision not in ("carry_out", "refuse"):
                messages.error(request, _("Choose to carry out or to refuse the request."))
        except DomainError as error:
            form_add_domain_error(refuse_form, error)
    else:
        log_access(
            request,
            action=AccessLogEntry.Action.VIEW,
            subject_type="crm.erasurerequest",
            subject_id=erasure_request.pk,
            person_ids=[erasure_request.person_id],
        )
    return render(
        request,
        "crm/privacy/erasure_request_detail.html",
        {"erasure_request": erasure_request, "refuse_form": refuse_form},
    )


@staff_required("core.view_accesslogentry")
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    person_id = form.cleaned_data["person"] if form.is_valid() else None
    person = selectors.person_get(user=request.user, pk=person_id) if person_id else None
    page = paginate(request, selectors.access_log_list(user=request.user, person_id=person_id))
    return render(
        request,
        "crm/privacy/access_log.html",
        {
            "form": form,
            "person": person,
            "person_id": person_id,
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )
