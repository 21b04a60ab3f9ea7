"""Selection pages of the body secretariat (/crm/bodies/) and the evaluators' pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import DomainError
from core.views_helpers import paginate
from crm.roles import BODY_SECRETARIAT

from . import selectors, services
from .balance import SlateInfeasible
from .models import Application


class SlateForm(forms.Form):
    seats = forms.IntegerField(label=gettext_lazy("Seats to fill"), min_value=1, max_value=1000)


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for index, criterion in enumerate(criteria):
            self.fields[f"c{index}"] = forms.IntegerField(
                label=criterion, min_value=0, max_value=services.MAX_SCORE
            )
        self.criteria = criteria

    def scores(self) -> dict:
        return {c: self.cleaned_data[f"c{i}"] for i, c in enumerate(self.criteria)}


@staff_required("forums.view_application")
def call_list(request):
    return render(
        request,
        "forums/staff/bodies_call_list.html",
        {"page": paginate(request, selectors.calls_staff(user=request.user), per_page=50)},
    )


def _call_or_404(request, pk):
    call = selectors.call_get_staff(user=request.user, pk=pk)
    if call is None:
        raise Http404
    return call


def _selection_page(request, call, *, slate=None, slate_form=None, status=200):
    status_filter = request.GET.get("status", "")
    if status_filter not in Application.Status.values:
        status_filter = ""
    applications = selectors.applications_staff(user=request.user, call=call, status=status_filter)
    return render(
        request,
        "forums/staff/bodies_selection.html",
        {
            "call": call,
            "body": call.body,
            "page": paginate(request, applications, per_page=25),
            "querystring": f"status={status_filter}" if status_filter else "",
            "status_filter": status_filter,
            "statuses": Application.Status.choices,
            "balance": selectors.balance_panel(user=request.user, call=call),
            "slate": slate,
            "slate_form": slate_form or SlateForm(initial={"seats": call.seats}),
            "decisions": [("", _("No decision"))] + Application._meta.get_field("decision").choices,
        },
        status=status,
    )


@staff_required("forums.view_application")
def call_selection(request, pk):
    return _selection_page(request, _call_or_404(request, pk))


@require_POST
@staff_required("forums.change_application")
def slate_suggest(request, pk):
    call = _call_or_404(request, pk)
    form = SlateForm(request.POST)
    if not form.is_valid():
        return _selection_page(request, call, slate_form=form, status=400)
    try:
        ids = selectors.slate_suggestion(
            user=request.user, call=call, seats=form.cleaned_data["seats"]
        )
    except SlateInfeasible as error:
        messages.error(request, error.message)
        return _selection_page(request, call, slate_form=form, status=400)
    return _selection_page(request, call, slate=ids, slate_form=form)


@require_POST
@staff_required("forums.change_application")
def slate_accept(request, pk):
    call = _call_or_404(request, pk)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    try:
        count = services.slate_accept(user=request.user, call=call, application_ids=ids)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)d applicants are marked to appoint. Check the balance, then commit.")
            % {"count": count},
        )
    return redirect("forums_bodies_staff:call_selection", pk=call.pk)


@require_POST
@staff_required("forums.change_application")
def application_decision(request, pk):
    application = selectors.application_get_staff(user=request.user, pk=pk)
    if application is None:
        raise Http404
    try:
        services.decision_prepare(
            user=request.user, application=application, decision=request.POST.get("decision", "")
        )
    except DomainError as error:
        messages.error(request, str(error))
    url = reverse("forums_bodies_staff:call_selection", args=[application.call_id])
    return redirect(f"{url}?{request.POST.get('querystring', '')}#balance")


@require_POST
@staff_required("forums.change_application")
def evaluators_assign(request, pk):
    call = _call_or_404(request, pk)
    evaluators = list(
        get_user_model().objects.filter(
            groups__name=BODY_SECRETARIAT, is_staff=True, is_active=True
        )
    )
    try:
        count = services.evaluators_assign_balanced(
            user=request.user, call=call, evaluators=evaluators
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d evaluations assigned.") % {"count": count})
    return redirect("forums_bodies_staff:call_selection", pk=call.pk)


@require_POST
@staff_required("forums.change_application")
def decisions_commit(request, pk):
    call = _call_or_404(request, pk)
    try:
        count = services.decisions_commit(user=request.user, call=call)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)d decisions committed; the applicants are being emailed.")
            % {"count": count},
        )
    return redirect("forums_bodies_staff:call_selection", pk=call.pk)


@staff_required("forums.view_application")
def evaluation_list(request):
    evaluations = selectors.evaluations_of_user(user=request.user)
    return render(
        request,
        "forums/staff/bodies_evaluation_list.html",
        {"page": paginate(request, evaluations, per_page=50)},
    )


@staff_required("forums.view_application")
def evaluation_detail(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    if evaluation is None:
        raise Http404
    criteria = evaluation.application.call.criteria
    form = None
    is_evaluator = evaluation.evaluator_id == request.user.pk
    if not is_evaluator:
        # Another member of the secretariat sees the state of the evaluation, not the form.
        return render(
            request,
            "forums/staff/bodies_evaluation.html",
            {"evaluation": evaluation, "application": evaluation.application, "observer": True},
        )
    if request.method == "POST" and "conflict" in request.POST:
        try:
            services.evaluation_declare(
                user=request.user,
                evaluation=evaluation,
                has_conflict=request.POST["conflict"] == "yes",
            )
        except DomainError as error:
            messages.error(request, str(error))
        return redirect("forums_bodies_staff:evaluation_detail", pk=evaluation.pk)
    if evaluation.has_conflict is False:
        form = ScoreForm(request.POST or None, criteria=criteria)
        if request.method == "POST" and form.is_valid():
            try:
                services.evaluation_score(
                    user=request.user,
                    evaluation=evaluation,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your evaluation is recorded."))
                return redirect("forums_bodies_staff:evaluation_list")
    return render(
        request,
        "forums/staff/bodies_evaluation.html",
        {"evaluation": evaluation, "application": evaluation.application, "form": form},
        status=400 if request.method == "POST" else 200,
    )
