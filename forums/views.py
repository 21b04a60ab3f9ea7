"""Public and participant pages of the events module (/events/)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import login_required, public
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, next_url, paginate
from crm.selectors import organisations_acting_for

from . import selectors, services
from .calendar import event_ics, ics_filename
from .forms import ColleagueRegistrationForm, RegistrationForm
from .models import Registration


@public
def event_list(request):
    show_past = request.GET.get("when") == "past"
    events = (
        selectors.events_past(user=request.user)
        if show_past
        else selectors.events_upcoming(user=request.user)
    )
    return render(
        request,
        "forums/event_list.html",
        {
            "page": paginate(request, events, per_page=20),
            "show_past": show_past,
            "querystring": "when=past" if show_past else "",
        },
    )


def _event_page(request, event, *, form=None, colleague_form=None, status=200):
    if not hasattr(event, "places_taken"):
        event = selectors.event_get(user=request.user, pk=event.pk)
    registration = selectors.registration_for(user=request.user, event=event)
    organisations = (
        organisations_acting_for(user=request.user) if request.user.is_authenticated else None
    )
    if form is None and registration is None:
        form = RegistrationForm(event=event)
    if colleague_form is None and organisations is not None and organisations.exists():
        colleague_form = ColleagueRegistrationForm(organisations=organisations, event=event)
    return render(
        request,
        "forums/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "colleague_form": colleague_form,
            "participants": selectors.participant_list(
                user=request.user, event=event, registration=registration
            )[:500],
            "agenda": selectors.agenda_of(event=event),
            "materials": selectors.materials_for(user=request.user, event=event),
        },
        status=status,
    )


@public
def event_detail(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return _event_page(request, event)


@require_POST
@login_required
def event_register(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, with_places=False)
    if event is None:
        raise Http404
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        try:
            services.registration_create(user=request.user, event=event, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            # The event page shows the outcome (confirmed, or the waiting-list position) in its
            # registration panel, so no flash message (and no session write) is needed.
            return redirect(event)
    return _event_page(
        request, selectors.event_get(user=request.user, pk=pk), form=form, status=400
    )


@require_POST
@login_required
def event_register_colleague(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, with_places=False)
    if event is None:
        raise Http404
    organisations = organisations_acting_for(user=request.user)
    form = ColleagueRegistrationForm(request.POST, organisations=organisations, event=event)
    if form.is_valid():
        try:
            registration = services.registration_create_for_colleague(
                user=request.user, event=event, **form.cleaned_data
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered (%(status)s).")
                % {
                    "name": " ".join(
                        (form.cleaned_data["first_name"], form.cleaned_data["last_name"])
                    ).strip(),
                    "status": registration.get_status_display(),
                },
            )
            return redirect(event)
    return _event_page(request, event, colleague_form=form, status=400)


@public
def event_calendar(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404
    registration = selectors.registration_for(user=request.user, event=event)
    response = HttpResponse(
        event_ics(event, registration=registration), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(event)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def registration_cancel(request, pk):
    """Cancel one's registration, or leave the waiting list, after a confirmation page that
    says what it means (a place at a full event may not come back)."""
    registration = selectors.registration_get_own(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    event = registration.event
    back = next_url(request, event.get_absolute_url())
    if request.method == "GET":
        if not registration.is_active:
            messages.info(request, _("This registration is already cancelled."))
            return redirect(back)
        if event.ends_at <= timezone.now():
            messages.info(
                request,
                _("This event is over; the registration can no longer be cancelled."),
            )
            return redirect(back)
        registration.waitlist_position = selectors.waitlist_position(registration)
        return render(
            request,
            "forums/registration_cancel.html",
            {
                "registration": registration,
                "event": selectors.event_get(user=request.user, pk=event.pk) or event,
                "back": back,
            },
        )
    was_waiting = registration.status == Registration.Status.WAITLISTED
    try:
        services.registration_cancel(user=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if was_waiting:
            messages.success(
                request,
                _(
                    "You have left the waiting list for %(title)s. We have emailed you a "
                    "confirmation."
                )
                % {"title": event.local_title},
            )
        else:
            messages.success(
                request,
                _(
                    "Your registration for %(title)s is cancelled: your place is free for someone "
                    "else. We have emailed you a confirmation."
                )
                % {"title": event.local_title},
            )
    return redirect(back)


@require_POST
@login_required
def registration_accept(request, pk):
    registration = selectors.registration_get_own(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    try:
        services.registration_accept_offer(user=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your place is confirmed. See you there."))
    return redirect(next_url(request, registration.event.get_absolute_url()))


@public
def material_download(request, pk, material_pk):
    """An uploaded material, for whoever may see it: everyone, or the event's confirmed
    participants only, once it is published (the events team at any time)."""
    material = selectors.material_get_for_download(user=request.user, event_pk=pk, pk=material_pk)
    if material is None:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=material.content_type,
        as_attachment=True,
        filename=material.file_name or f"material-{material.pk}.{material.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if material.audience != material.Audience.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response
