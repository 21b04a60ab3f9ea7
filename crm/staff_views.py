"""Back-office pages that change CRM records: organisations, people and the links between
them. Each view parses a form and calls one service; the services check who asks."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.converters import parse_id
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, next_url

from . import selectors, services
from .forms import AffiliationAddForm, StaffOrganisationForm, StaffPersonForm
from .models import Affiliation, ApiToken, StaffAlertSetting
from .registry import work_queues


def _save_record(request, *, form, save, template: str, context: dict, done: str):
    """Show the form, or save through `save(**cleaned_data)` and go to the record."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(**form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(record)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


@staff_required("crm.view_organisation", "crm.add_organisation")
def organisation_create(request):
    form = StaffOrganisationForm(request.POST or None)
    return _save_record(
        request,
        form=form,
        save=lambda **values: services.organisation_create(user=request.user, **values),
        template="crm/organisation_form.html",
        context={"title": _("Add an organisation")},
        done=_("The organisation has been added."),
    )


@staff_required("crm.view_organisation", "crm.change_organisation")
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if organisation is None:
        raise Http404
    form = StaffOrganisationForm(request.POST or None, instance=organisation)
    return _save_record(
        request,
        form=form,
        save=lambda **values: services.organisation_update(
            user=request.user, organisation=organisation, **values
        ),
        template="crm/organisation_form.html",
        context={"title": _("Edit %(name)s") % {"name": organisation.name}, "record": organisation},
        done=_("Your changes have been saved."),
    )


@staff_required("crm.view_person", "crm.add_person")
def person_create(request):
    # Adding a person from an organisation's page links them to it in the same step.
    organisation = None
    if organisation_id := parse_id(request.GET.get("organisation")):
        organisation = selectors.organisation_get(user=request.user, pk=organisation_id)
    form = StaffPersonForm(request.POST or None)

    def save(**values):
        person = services.person_create(user=request.user, **values)
        if organisation is not None:
            services.affiliation_add(
                user=request.user,
                person=person,
                organisation=organisation,
                position=request.POST.get("position", "")[:150],
            )
        return person

    return _save_record(
        request,
        form=form,
        save=save,
        template="crm/person_form.html",
        context={"title": _("Add a person"), "organisation": organisation},
        done=_("The person has been added."),
    )


@staff_required("crm.view_person", "crm.change_person")
def person_edit(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404
    form = StaffPersonForm(request.POST or None, instance=person)
    return _save_record(
        request,
        form=form,
        save=lambda **values: services.person_update(user=request.user, person=person, **values),
        template="crm/person_form.html",
        context={"title": _("Edit %(name)s") % {"name": person.full_name}, "record": person},
        done=_("Your changes have been saved."),
    )


@require_POST
@staff_required("crm.view_person", "crm.view_organisation", "crm.add_affiliation")
def affiliation_add(request):
    form = AffiliationAddForm(request.POST)
    back = next_url(request, reverse("crm:dashboard"), within="/crm/")
    if (
        not form.is_valid()
        or not form.cleaned_data["person"]
        or not form.cleaned_data["organisation"]
    ):
        messages.error(request, _("Choose both a person and an organisation to link."))
        return redirect(back)
    try:
        services.affiliation_add(user=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s is now linked to %(organisation)s.")
            % {
                "person": form.cleaned_data["person"].full_name,
                "organisation": form.cleaned_data["organisation"].name,
            },
        )
    return redirect(back)


@staff_required("crm.view_person", "crm.change_affiliation")
def affiliation_end(request, pk):
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"), pk=pk
    )
    if selectors.person_get(user=request.user, pk=affiliation.person_id) is None:
        raise Http404
    back = affiliation.person.get_absolute_url()
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.affiliation_end(user=request.user, affiliation=affiliation)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The link has been ended."))
        return redirect(
            request.POST.get("next") if request.POST.get("next", "").startswith("/crm/") else back
        )
    consequence = _("The link stays in the history with its end date.")
    if affiliation.is_representative:
        consequence = _(
            "They will no longer be able to act for the organisation (sign or change its "
            "pledge, register colleagues). The link stays in the history with its end date."
        )
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("End the link between %(person)s and %(organisation)s?")
            % {
                "person": affiliation.person.full_name,
                "organisation": affiliation.organisation.name,
            },
            "consequence": consequence,
            "action": request.path,
            "fields": {"next": request.GET.get("next", back)},
            "confirm_label": _("Yes, end it"),
            "cancel_url": back,
        },
    )


class AlertsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Emails about work waiting for you"),
        choices=StaffAlertSetting.Frequency.choices,
        widget=forms.RadioSelect,
    )


@staff_required()
def alert_settings(request):
    current = StaffAlertSetting.objects.filter(user=request.user).first()
    form = AlertsForm(
        request.POST or None,
        initial={"frequency": current.frequency if current else StaffAlertSetting.Frequency.DAILY},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_alerts_set(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your alert settings have been saved."))
            return redirect("crm:dashboard")
    queues = work_queues.for_user(request.user)
    return render(request, "crm/alert_settings.html", {"form": form, "queues": queues})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the key is for"),
        max_length=100,
        help_text=gettext_lazy("For example: the reporting dashboard of unit A.2."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=730, initial=365
    )


@staff_required()
def api_tokens(request):
    """A staff member's keys for the JSON API: make one (shown once), see, revoke."""
    form = ApiTokenForm(request.POST or None if "revoke" not in request.POST else None)
    secret = None
    if request.method == "POST" and "revoke" in request.POST:
        revoke = parse_id(request.POST["revoke"])
        token = ApiToken.objects.filter(user=request.user, pk=revoke).first() if revoke else None
        if token is None:
            raise Http404
        services.api_token_revoke(user=request.user, token=token)
        messages.success(request, _("The key has been revoked; it no longer works."))
        return redirect("crm:api_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.api_token_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "crm/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )
