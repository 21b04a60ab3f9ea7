"""Public pages of the expert bodies (/bodies/): the bodies, their members and their calls."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_required, public, staff_session_ok
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, next_url, paginate
from crm.selectors import organisations_acting_for

from . import selectors, services
from .forms import ApplicationForm
from .forms_bodies import (
    DeclarationForm,
    InterestFormSet,
    NominationForm,
    interest_initial,
    interests_of,
)


@public
def body_list(request):
    return render(
        request,
        "forums/body_list.html",
        {
            "bodies": selectors.bodies_public(user=request.user),
            "calls": selectors.calls_open(user=request.user)[:50],
        },
    )


@public
def body_detail(request, slug):
    body = selectors.body_get_public(user=request.user, slug=slug)
    if body is None:
        raise Http404
    members = selectors.body_members_public(user=request.user, body=body)
    return render(
        request,
        "forums/body_detail.html",
        {
            "body": body,
            "rules": selectors.body_rules(body=body),
            "chairs": selectors.body_chairs_public(user=request.user, body=body),
            "page": paginate(request, members, per_page=100),
            "calls": selectors.calls_of_body_public(user=request.user, body=body)[:20],
            "meetings": selectors.body_past_meetings(user=request.user, body=body)[:20],
        },
    )


@public
def call_detail(request, pk):
    call = selectors.call_get_public(user=request.user, pk=pk)
    if call is None:
        raise Http404
    return render(
        request,
        "forums/call_detail.html",
        {
            "call": call,
            "body": call.body,
            "application": selectors.application_for_call(user=request.user, call=call),
        },
    )


def _application_page(request, call, form, application=None, status=200, nomination_form=None):
    context = {"call": call, "body": call.body, "form": form, "application": application}
    if application is not None and application.pk:
        context["nominations"] = application.nominations.select_related("person")
        can_nominate = (
            application.is_draft
            and application.kind == application.Kind.ORGANISATION
            and call.body.nominees_per_organisation > 1
        )
        if can_nominate:
            context["nomination_form"] = nomination_form or NominationForm(
                people=selectors.nominee_candidates(user=request.user, application=application)
            )
        if application.kind == application.Kind.INDIVIDUAL and call.declaration_required:
            context["declaration"] = application.declaration or (
                selectors.declaration_latest_of_user(user=request.user)
                if application.person.user_id == request.user.pk
                else None
            )
            context["declaration_needed"] = True
    return render(request, "forums/application_form.html", context, status=status)


def _save_application(request, call, form, application=None):
    """One call to the application service; the button pressed says draft or submit."""
    data = dict(form.cleaned_data)
    cv = data.pop("cv", None) or None
    organisation = data.pop("organisation", None)
    try:
        application = services.application_save(
            user=request.user,
            call=call,
            application=application,
            organisation=organisation,
            cv=cv,
            submit="submit" in request.POST,
            **data,
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        return None
    if application.status == application.Status.SUBMITTED:
        messages.success(
            request, _("Your application is submitted. We will email you the outcome.")
        )
    else:
        messages.success(request, _("Your draft is saved. Submit it before the call closes."))
    return redirect(application)


@login_required
def call_apply(request, pk):
    call = selectors.call_get_public(user=request.user, pk=pk)
    if call is None:
        raise Http404
    existing = selectors.application_for_call(user=request.user, call=call)
    if existing is not None:
        return redirect(existing)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        organisations=organisations_acting_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        response = _save_application(request, call, form)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return _application_page(request, call, form, status=status)


@login_required
def application_detail(request, pk):
    application = selectors.application_get_own(user=request.user, pk=pk)
    if application is None:
        raise Http404
    call = application.call
    form = None
    if application.is_draft:
        form = ApplicationForm(
            request.POST or None,
            request.FILES or None,
            call=call,
            editing=True,
            initial={name: getattr(application, name) for name in services.APPLICATION_FIELDS},
        )
        if request.method == "POST" and form.is_valid():
            response = _save_application(request, call, form, application)
            if response is not None:
                return response
            return _application_page(request, call, form, application, status=400)
    elif request.method == "POST":
        messages.error(
            request, _("A submitted application cannot be changed; you may withdraw it.")
        )
    return _application_page(request, call, form, application)


@require_POST
@login_required
def application_withdraw(request, pk):
    application = selectors.application_get_own(user=request.user, pk=pk)
    if application is None:
        raise Http404
    try:
        services.application_withdraw(user=request.user, application=application)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application)


@login_required
def application_cv(request, pk):
    """The CV, for the applicant and the body secretariat only; never from a public URL."""
    application = selectors.application_get_cv(
        user=request.user, pk=pk, staff_session=staff_session_ok(request)
    )
    if application is None or not application.cv:
        raise Http404
    response = FileResponse(application.cv.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-{application.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def application_nominate(request, pk):
    """The organisation's representative nominates one of its people (draft only)."""
    application = selectors.application_get_own(user=request.user, pk=pk)
    if application is None:
        raise Http404
    form = NominationForm(
        request.POST,
        people=selectors.nominee_candidates(user=request.user, application=application),
    )
    if form.is_valid():
        try:
            services.nomination_add(
                user=request.user,
                application=application,
                person=form.cleaned_data["person"],
                seat=form.cleaned_data["seat"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The nomination is added."))
            return redirect(application)
    draft_form = ApplicationForm(
        call=application.call,
        editing=True,
        initial={name: getattr(application, name) for name in services.APPLICATION_FIELDS},
    )
    return _application_page(
        request, application.call, draft_form, application, status=400, nomination_form=form
    )


@require_POST
@login_required
def nomination_remove(request, pk):
    nomination = selectors.nomination_get_own(user=request.user, pk=pk)
    if nomination is None:
        raise Http404
    try:
        services.nomination_remove(user=request.user, nomination=nomination)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The nomination is removed."))
    return redirect(nomination.application)


@public
def body_declarations(request, slug):
    """The declarations of interest of the members of a body whose declarations are public."""
    body = selectors.body_get_public(user=request.user, slug=slug)
    if body is None or not body.declarations_public:
        raise Http404
    members = selectors.body_members_public(user=request.user, body=body).filter(
        person__isnull=False
    )
    page = paginate(request, members, per_page=100)
    declarations = selectors.declarations_public(
        user=request.user, body=body, memberships=page.object_list
    )
    return render(
        request,
        "forums/body_declarations.html",
        {
            "body": body,
            "page": page,
            "rows": [(m, declarations.get(m.person_id)) for m in page.object_list],
        },
    )


@login_required
def declaration_list(request):
    declarations = selectors.declarations_of_user(user=request.user)
    return render(
        request,
        "forums/declaration_list.html",
        {"page": paginate(request, declarations, per_page=10)},
    )


@login_required
def declaration_new(request):
    """File a new version of one's declaration of interests (the last one's rows pre-filled)."""
    latest = selectors.declaration_latest_of_user(user=request.user)
    form = DeclarationForm(request.POST or None)
    formset = InterestFormSet(
        request.POST or None, prefix="interest", initial=interest_initial(latest)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.declaration_file(
                user=request.user,
                no_interests=form.cleaned_data["no_interests"],
                interests=interests_of(formset),
                signed_name=form.cleaned_data["signed_name"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your declaration of interests is filed."))
            return redirect(next_url(request, reverse("forums:declaration_list")))
    return render(
        request,
        "forums/declaration_form.html",
        {
            "form": form,
            "formset": formset,
            "latest": latest,
            "next": next_url(request, ""),
        },
        status=400 if request.method == "POST" else 200,
    )
