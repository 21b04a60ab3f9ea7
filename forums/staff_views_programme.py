"""Back-office pages of an event's agenda and materials (/crm/events/<id>/programme/)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import staff_required
from core.errors import DomainError
from core.views_helpers import form_add_domain_error

from . import selectors, services
from .forms_programme import AgendaItemForm, MaterialForm


def _event_or_404(request, pk):
    event = selectors.event_get_staff(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return event


def _programme_url(event, anchor=""):
    return reverse("forums_staff:event_programme", kwargs={"pk": event.pk}) + anchor


def _page(request, event, *, agenda_form=None, material_form=None, status=200):
    return render(
        request,
        "forums/staff/event_programme.html",
        {
            "event": event,
            "agenda": selectors.agenda_of(event=event),
            "materials": selectors.materials_staff(user=request.user, event=event),
            "agenda_form": agenda_form or AgendaItemForm(event=event),
            "material_form": material_form or MaterialForm(),
        },
        status=status,
    )


@staff_required("forums.view_event")
def event_programme(request, pk):
    return _page(request, _event_or_404(request, pk))


@require_POST
@staff_required("forums.view_event", "forums.change_event")
def agenda_item_add(request, pk):
    event = _event_or_404(request, pk)
    form = AgendaItemForm(request.POST, event=event)
    if form.is_valid():
        try:
            services.agenda_item_save(user=request.user, event=event, **form.service_fields())
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The session has been added to the agenda."))
            return redirect(_programme_url(event, "#agenda"))
    return _page(request, event, agenda_form=form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required("forums.view_event", "forums.change_event")
def agenda_item_edit(request, pk, item_pk):
    event = _event_or_404(request, pk)
    item = selectors.agenda_item_get_staff(user=request.user, event=event, pk=item_pk)
    if item is None:
        raise Http404
    form = AgendaItemForm(
        request.POST or None, event=event, initial=AgendaItemForm.initial_for(item, event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_save(
                user=request.user, event=event, item=item, **form.service_fields()
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(_programme_url(event, "#agenda"))
    return render(
        request,
        "forums/staff/agenda_item_form.html",
        {"event": event, "item": item, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required("forums.view_event", "forums.change_event")
def agenda_item_delete(request, pk, item_pk):
    event = _event_or_404(request, pk)
    item = selectors.agenda_item_get_staff(user=request.user, event=event, pk=item_pk)
    if item is None:
        raise Http404
    if request.method == "GET":
        return render(
            request,
            "forums/staff/confirm.html",
            {
                "event": event,
                "title": _("Remove this session from the agenda?"),
                "text": _("“%(title)s” will no longer appear on the event's page.")
                % {"title": item.title},
                "button": _("Remove the session"),
                "back": _programme_url(event, "#agenda"),
            },
        )
    services.agenda_item_delete(user=request.user, item=item)
    messages.success(request, _("The session has been removed from the agenda."))
    return redirect(_programme_url(event, "#agenda"))


@require_POST
@staff_required("forums.view_event", "forums.change_event")
def material_add(request, pk):
    event = _event_or_404(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(user=request.user, event=event, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The material has been added."))
            return redirect(_programme_url(event, "#materials"))
    return _page(request, event, material_form=form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required("forums.view_event", "forums.change_event")
def material_remove(request, pk, material_pk):
    event = _event_or_404(request, pk)
    material = selectors.material_get_staff(user=request.user, event=event, pk=material_pk)
    if material is None:
        raise Http404
    if request.method == "GET":
        return render(
            request,
            "forums/staff/confirm.html",
            {
                "event": event,
                "title": _("Remove this material?"),
                "text": _(
                    "“%(title)s” will no longer be offered on the event's page, and its file "
                    "will be deleted."
                )
                % {"title": material.title},
                "button": _("Remove the material"),
                "back": _programme_url(event, "#materials"),
            },
        )
    services.material_remove(user=request.user, material=material)
    messages.success(request, _("The material has been removed."))
    return redirect(_programme_url(event, "#materials"))
