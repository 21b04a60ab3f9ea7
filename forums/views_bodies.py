"""Public pages of the expert bodies (/bodies/): the bodies, their members and their calls."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_required, public, staff_session_ok
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, paginate
from crm.selectors import organisations_acting_for

from . import selectors, services
from .forms import ApplicationForm


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


def _application_page(request, call, form, application=None, status=200):
    return render(
        request,
        "forums/application_form.html",
        {"call": call, "body": call.body, "form": form, "application": application},
        status=status,
    )


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
