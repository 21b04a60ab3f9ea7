"""Back-office pages of the events module (/crm/events/)."""

import zoneinfo

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import staff_required
from core.converters import parse_id
from core.csv import csv_response
from core.datetimes import format_time
from core.errors import DomainError
from core.views_helpers import (
    form_add_domain_error,
    next_url,
    paginate,
    querystring_without_page,
)

from . import selectors, services
from .filters import RegistrationFilter
from .forms import AttendanceForm, EventForm, InvitationForm
from .models import Event, Registration, current_privacy_notice_version


def _event_or_404(request, pk):
    event = selectors.event_get_staff(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return event


@staff_required("forums.view_event")
def event_list(request):
    page = paginate(request, selectors.events_staff(user=request.user), per_page=25)
    for event in page:
        event.attendance_rate = selectors.attendance_rate(event)
    return render(request, "forums/staff/event_list.html", {"page": page})


def _filtered_registrations(request, event):
    query = request.GET.get("q", "").strip()
    queryset = selectors.registrations_staff(user=request.user, event=event, query=query)
    return RegistrationFilter(request.GET or None, queryset=queryset), query


@staff_required("forums.view_event", "forums.view_registration")
def event_detail(request, pk):
    event = _event_or_404(request, pk)
    filterset, query = _filtered_registrations(request, event)
    page = paginate(request, filterset.qs, per_page=50)
    return render(
        request,
        "forums/staff/event_detail.html",
        {
            "event": event,
            "filter": filterset,
            "query": query,
            "page": page,
            "querystring": querystring_without_page(request),
            "show_special_requirements": selectors.can_see_special_requirements(request.user),
            "attendance_form": AttendanceForm(),
            "now": timezone.now(),
            "invitations": selectors.invitations_staff(user=request.user, event=event)[:200]
            if event.audience == Event.Audience.INVITED
            else None,
            "invitation_form": InvitationForm(),
        },
    )


@staff_required("forums.view_event", "forums.view_registration")
def event_registrations_csv(request, pk):
    event = _event_or_404(request, pk)
    filterset, _query = _filtered_registrations(request, event)
    special = selectors.can_see_special_requirements(request.user)
    response, writer = csv_response(f"event-{event.pk}-registrations.csv")
    header = [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Organisation"),
        _("Status"),
        _("Attends"),
        _("Registered"),
        _("Checked in"),
        _("Attendance"),
        _("On the participant list"),
        _("No photos or recordings"),
    ]
    if special:
        header.append(_("Special requirements"))
    writer.writerow(header)
    zone = zoneinfo.ZoneInfo(event.time_zone)

    def moment(value):
        # ISO 8601 in the event's time zone, with its offset: what spreadsheets and scripts read.
        return value.astimezone(zone).isoformat(timespec="minutes") if value else ""

    for r in filterset.qs.iterator(chunk_size=500):
        row = [
            r.person.first_name,
            r.person.last_name,
            r.person.email,
            r.organisation.name if r.organisation else "",
            r.get_status_display(),
            r.get_mode_display(),
            moment(r.created_at),
            moment(r.checked_in_at),
            r.get_attendance_display() if r.attendance else "",
            _("yes") if r.on_participant_list else _("no"),
            _("yes") if r.photo_opt_out else _("no"),
        ]
        if special:
            row.append(r.special_requirements)
        writer.writerow(row)
    return response


@require_POST
@staff_required("forums.view_event", "forums.check_in")
def event_attendance(request, pk):
    event = _event_or_404(request, pk)
    ids = [parse_id(v) for v in request.POST.getlist("registrations")]
    form = AttendanceForm(request.POST, registration_ids=[pk for pk in ids if pk])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("forums_staff:event_detail", pk=event.pk)
    try:
        count = services.attendance_mark(
            user=request.user,
            event=event,
            registration_ids=form.cleaned_data["registrations"],
            attendance=form.cleaned_data["attendance"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Attendance recorded for %(count)d people.") % {"count": count})
    return redirect(_back(request, event))


@require_POST
@staff_required("forums.view_event", "forums.check_in")
def event_no_shows(request, pk):
    event = _event_or_404(request, pk)
    try:
        count = services.attendance_mark_no_shows(user=request.user, event=event)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d people marked as no-shows.") % {"count": count})
    return redirect("forums_staff:event_detail", pk=event.pk)


def _back(request, event):
    default = reverse("forums_staff:event_detail", kwargs={"pk": event.pk})
    return next_url(request, default, within=default)


@require_http_methods(["GET", "POST"])
@staff_required("forums.view_event", "forums.change_registration")
def registration_cancel(request, pk):
    """Cancel someone's registration after a confirmation page; they are emailed."""
    registration = selectors.registration_get_staff(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    back = _back(request, registration.event)
    if request.method == "GET":
        if not registration.is_active:
            messages.info(request, _("This registration is already cancelled."))
            return redirect(back)
        return render(
            request,
            "forums/staff/registration_cancel.html",
            {"registration": registration, "event": registration.event, "back": back},
        )
    try:
        services.registration_cancel(user=request.user, registration=registration, by_staff=True)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The registration of %(name)s has been cancelled; they have been emailed.")
            % {"name": registration.person.full_name},
        )
    return redirect(back)


@staff_required("forums.view_event", "forums.check_in")
def check_in(request, pk):
    event = _event_or_404(request, pk)
    query = request.GET.get("q", "").strip()
    mode = request.GET.get("mode", "")
    mode = mode if event.is_hybrid and mode in Registration.Mode.values else ""
    registrations = selectors.check_in_list(user=request.user, event=event, query=query, mode=mode)
    page = paginate(request, registrations, per_page=30)
    return render(
        request,
        "forums/staff/check_in.html",
        {
            "event": event,
            "page": page,
            "query": query,
            "mode": mode,
            "modes": Registration.Mode.choices,
            "querystring": querystring_without_page(request),
        },
    )


@require_POST
@staff_required("forums.view_event", "forums.check_in")
def check_in_toggle(request, pk, registration_pk):
    """Check a participant in, or undo it. Answers JSON to the page's script, else redirects."""
    registration = selectors.check_in_get(user=request.user, event_id=pk, pk=registration_pk)
    if registration is None:
        raise Http404
    undo = request.POST.get("action") == "undo"
    try:
        if undo:
            registration = services.registration_check_in_undo(
                user=request.user, registration=registration
            )
        else:
            registration = services.registration_check_in(
                user=request.user, registration=registration
            )
    except DomainError as error:
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
    else:
        if request.headers.get("Accept") == "application/json":
            checked_in = registration.checked_in_at is not None
            time = (
                format_time(registration.checked_in_at, registration.event.time_zone)
                if checked_in
                else ""
            )
            return JsonResponse(
                {
                    "checked_in": checked_in,
                    "label": _("in at %(time)s") % {"time": time} if time else "",
                }
            )
    params = {k: request.POST.get(k, "") for k in ("q", "mode") if request.POST.get(k)}
    url = reverse("forums_staff:check_in", kwargs={"pk": pk})
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@staff_required("forums.view_event", "forums.add_event")
def event_create(request):
    form = EventForm(
        request.POST or None,
        initial={
            "privacy_notice": Event._meta.get_field("privacy_notice").default,
            "privacy_notice_version": current_privacy_notice_version(),
            "time_zone": "Europe/Brussels",
            "waitlist_enabled": True,
            "status": Event.Status.DRAFT,
            "languages": ["en"],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(user=request.user, **_event_fields(form))
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The event has been created."))
            return redirect("forums_staff:event_detail", pk=event.pk)
    return render(request, "forums/staff/event_form.html", {"form": form, "event": None})


@staff_required("forums.view_event", "forums.change_event")
def event_edit(request, pk):
    event = _event_or_404(request, pk)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    registrants = event.registered_count + event.offered_count + event.waitlisted_count
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(
                user=request.user,
                event=event,
                notify_registrants=form.cleaned_data["notify_registrants"],
                **_event_fields(form),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("forums_staff:event_detail", pk=event.pk)
    return render(
        request,
        "forums/staff/event_form.html",
        {"form": form, "event": event, "registrants": registrants},
    )


def _event_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.EVENT_FIELDS}


@require_POST
@staff_required("forums.view_event", "forums.add_eventinvitation")
def invitation_add(request, pk):
    event = _event_or_404(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_add(
                user=request.user,
                event=event,
                person=form.cleaned_data["person"],
                organisation=form.cleaned_data["organisation_obj"],
                body=form.cleaned_data["body"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Invitation added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("forums_staff:event_detail", kwargs={"pk": event.pk}) + "#invitations")


@require_POST
@staff_required("forums.view_event", "forums.delete_eventinvitation")
def invitation_remove(request, pk, invitation_pk):
    event = _event_or_404(request, pk)
    invitation = (
        selectors.invitations_staff(user=request.user, event=event).filter(pk=invitation_pk).first()
    )
    if invitation is None:
        raise Http404
    services.invitation_remove(user=request.user, invitation=invitation)
    messages.success(request, _("Invitation removed."))
    return redirect(reverse("forums_staff:event_detail", kwargs={"pk": event.pk}) + "#invitations")
