"""The body secretariat's pages on the bodies themselves (/crm/bodies/bodies/): members with
their attendance and declarations, terms ending soon; creating and changing bodies (with their
balance rules) and calls."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import staff_required
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, paginate

from . import selectors, services
from .forms_bodies import BodyForm, CallForm, RuleForm, RuleFormSet, rules_of


def _body_or_404(request, pk):
    body = selectors.body_get_staff(user=request.user, pk=pk)
    if body is None:
        raise Http404
    return body


@staff_required("forums.view_body")
def body_list(request):
    return render(
        request,
        "forums/staff/body_list.html",
        {"page": paginate(request, selectors.bodies_staff(user=request.user), per_page=50)},
    )


@staff_required("forums.view_body", "forums.view_membership")
def body_detail(request, pk):
    body = _body_or_404(request, pk)
    return render(
        request,
        "forums/staff/body_detail.html",
        {
            "body": body,
            "rules": selectors.body_rules(body=body),
            "members": selectors.body_members_staff(user=request.user, body=body),
            "ending": selectors.terms_ending_soon(user=request.user, body=body),
            "calls": selectors.calls_of_body_staff(user=request.user, body=body),
            "meetings": selectors.body_past_meetings(user=request.user, body=body)[:10],
            "can_see_declarations": selectors.can_see_declarations(request.user),
        },
    )


def _date_or_refuse(value: str, field: str):
    """A date typed as YYYY-MM-DD (the date input's value), None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise DomainError(_("Enter a valid date."), field=field) from error


@staff_required("forums.view_body", "forums.change_membership")
def membership_change(request, pk):
    """Renew an active member's term, or end the membership (ended, resigned, suspended) with
    the reason; each on its own form after the facts it changes."""
    membership = selectors.membership_get_staff(user=request.user, pk=pk)
    if membership is None:
        raise Http404
    back = reverse("forums_bodies_staff:body_detail", args=[membership.body_id]) + "#members"
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "renew":
                services.membership_renew(user=request.user, membership=membership)
            elif action == "role":
                services.membership_role_set(
                    user=request.user,
                    membership=membership,
                    role=request.POST.get("role", ""),
                    since=_date_or_refuse(request.POST.get("role_since", ""), "role_since"),
                    until=_date_or_refuse(request.POST.get("role_until", ""), "role_until"),
                )
            elif action == "end":
                services.membership_end(
                    user=request.user,
                    membership=membership,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
            else:
                raise DomainError(_("Choose ended, resigned or suspended."))
        except DomainError as error:
            messages.error(request, str(error))
            status = 400
        else:
            if action == "role":
                messages.success(request, _("Role in the body recorded"))
            elif action == "renew":
                membership.refresh_from_db()
                messages.success(
                    request,
                    _("The term is renewed until %(date)s.")
                    % {"date": date_format(membership.term_end, "DATE_FORMAT")},
                )
            else:
                messages.success(request, _("The membership has ended."))
            return redirect(back)
    return render(
        request,
        "forums/staff/membership_change.html",
        {
            "membership": membership,
            "renewed_end": services.renewed_term_end(membership),
            "roles": membership.Role.choices,
            "end_choices": [
                (value, label)
                for value, label in membership.Status.choices
                if value != membership.Status.ACTIVE
            ],
            "back": back,
        },
        status=status,
    )


def _body_form_page(request, form, formset, body=None, status=200):
    return render(
        request,
        "forums/staff/body_form.html",
        {"form": form, "formset": formset, "body": body},
        status=status,
    )


def _save_body(request, form, formset, body=None):
    data = dict(form.cleaned_data)
    try:
        return services.body_save(user=request.user, body=body, rules=rules_of(formset), **data)
    except DomainError as error:
        if error.field == "rules":
            formset._non_form_errors = formset.error_class([str(error)])
        else:
            form_add_domain_error(form, error)
        return None


@staff_required("forums.add_body", "forums.add_balancerule")
def body_create(request):
    form = BodyForm(request.POST or None)
    formset = RuleFormSet(request.POST or None, prefix="rule")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        body = _save_body(request, form, formset)
        if body is not None:
            messages.success(request, _("The body is created."))
            return redirect("forums_bodies_staff:body_detail", pk=body.pk)
    return _body_form_page(request, form, formset, status=400 if request.method == "POST" else 200)


@staff_required("forums.change_body", "forums.change_balancerule")
def body_edit(request, pk):
    body = _body_or_404(request, pk)
    initial = {name: getattr(body, name) for name in services.BODY_FIELDS}
    form = BodyForm(request.POST or None, body=body, initial=initial)
    formset = RuleFormSet(
        request.POST or None,
        prefix="rule",
        initial=[RuleForm.initial_for(rule) for rule in selectors.body_rules(body=body)],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _save_body(request, form, formset, body)
        if saved is not None:
            messages.success(request, _("The body is saved."))
            return redirect("forums_bodies_staff:body_detail", pk=saved.pk)
    return _body_form_page(
        request, form, formset, body, status=400 if request.method == "POST" else 200
    )


def _call_form_page(request, form, body, call=None, status=200):
    return render(
        request,
        "forums/staff/call_form.html",
        {"form": form, "body": body, "call": call},
        status=status,
    )


@staff_required("forums.add_call", "forums.view_body")
def call_create(request, pk):
    body = _body_or_404(request, pk)
    form = CallForm(
        request.POST or None,
        initial={
            "time_zone": "Europe/Brussels",
            "roles": ["member"],
            "one_per_organisation": True,
            "register_id_required": True,
            "declaration_required": True,
            "status": "draft",
            "seats": body.max_members,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_save(user=request.user, body=body, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The call is created."))
            return redirect("forums_bodies_staff:call_selection", pk=call.pk)
    return _call_form_page(request, form, body, status=400 if request.method == "POST" else 200)


@staff_required("forums.change_call", "forums.view_application")
def call_edit(request, pk):
    call = selectors.call_get_staff(user=request.user, pk=pk)
    if call is None:
        raise Http404
    form = CallForm(request.POST or None, initial=CallForm.initial_for(call))
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_save(
                user=request.user, body=call.body, call=call, **form.cleaned_data
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("forums_bodies_staff:call_selection", pk=call.pk)
    return _call_form_page(
        request, form, call.body, call, status=400 if request.method == "POST" else 200
    )
