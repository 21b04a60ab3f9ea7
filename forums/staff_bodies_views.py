"""Selection pages of the body secretariat (/crm/bodies/) and the evaluators' pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import DomainError
from core.views_helpers import form_add_domain_error, paginate
from crm.roles import BODY_SECRETARIAT

from . import selectors, services
from .balance import SlateInfeasible
from .forms_bodies import AssessmentForm, EligibilityForm, EvaluatorForm
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
                label=criterion,
                min_value=0,
                max_value=services.MAX_SCORE,
                help_text=gettext_lazy("From 0 to %(max)d.") % {"max": services.MAX_SCORE},
            )
        self.criteria = criteria
        self.order_fields([f"c{index}" for index in range(len(criteria))] + ["comment"])

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
            "blinded": selectors.blinded_application_ids(user=request.user, call=call),
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
    application = evaluation.application
    criteria = application.call.criteria
    form = None
    is_evaluator = evaluation.evaluator_id == request.user.pk
    blinded = selectors.is_blinded(user=request.user, application=application)
    context = {
        "evaluation": evaluation,
        "application": application,
        "blinded": blinded,
        "declaration": selectors.declaration_status_of_application(
            user=request.user, application=application, blinded=blinded
        ),
    }
    if not is_evaluator:
        # Another member of the secretariat sees the state of the evaluation, not the form.
        return render(request, "forums/staff/bodies_evaluation.html", context | {"observer": True})
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
        context | {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _application_or_404(request, pk):
    application = selectors.application_detail_staff(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


def _application_page(request, application, *, eligibility_form=None, evaluator_form=None):
    blinded = selectors.is_blinded(user=request.user, application=application)
    call = application.call
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "forums/staff/bodies_application.html",
        {
            "application": application,
            "call": call,
            "body": call.body,
            "blinded": blinded,
            "declaration": selectors.declaration_status_of_application(
                user=request.user, application=application, blinded=blinded
            ),
            "eligibility_form": eligibility_form
            or EligibilityForm(
                criteria=call.eligibility_questions,
                findings=application.eligibility_findings.all(),
            ),
            "evaluator_form": evaluator_form
            or EvaluatorForm(evaluators=selectors.evaluators_available(user=request.user)),
            "can_change": request.user.has_perm("forums.change_application"),
            "eligibility_open": request.user.has_perm("forums.change_application")
            and application.notified_at is None
            and application.status in (Application.Status.SUBMITTED, Application.Status.INELIGIBLE),
        },
        status=status,
    )


@staff_required("forums.view_application")
def application_detail(request, pk):
    """The secretariat's page of one application: eligibility, evaluators, decision state."""
    return _application_page(request, _application_or_404(request, pk))


@require_POST
@staff_required("forums.change_application")
def application_eligibility(request, pk):
    application = _application_or_404(request, pk)
    form = EligibilityForm(request.POST, criteria=application.call.eligibility_questions)
    if form.is_valid():
        try:
            application = services.eligibility_record(
                user=request.user, application=application, findings=form.findings()
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            if application.status == Application.Status.INELIGIBLE:
                messages.success(
                    request,
                    _(
                        "The application is not eligible. The applicant will be told why when "
                        "the decisions are committed."
                    ),
                )
            else:
                messages.success(request, _("The application is eligible."))
            return redirect("forums_bodies_staff:application_detail", pk=application.pk)
    return _application_page(request, application, eligibility_form=form)


@require_POST
@staff_required("forums.change_application")
def evaluator_add(request, pk):
    application = _application_or_404(request, pk)
    form = EvaluatorForm(request.POST, evaluators=selectors.evaluators_available(user=request.user))
    if form.is_valid():
        try:
            services.evaluator_assign(
                user=request.user,
                application=application,
                evaluator=form.cleaned_data["evaluator"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The evaluator is assigned."))
            return redirect("forums_bodies_staff:application_detail", pk=application.pk)
    return _application_page(request, application, evaluator_form=form)


@require_POST
@staff_required("forums.change_application")
def evaluator_remove(request, pk):
    evaluation = selectors.evaluation_get_staff(user=request.user, pk=pk)
    if evaluation is None:
        raise Http404
    try:
        services.evaluator_unassign(user=request.user, evaluation=evaluation)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The evaluator is unassigned."))
    return redirect("forums_bodies_staff:application_detail", pk=evaluation.application_id)


@staff_required("forums.view_declaration")
def declaration_queue(request):
    """Declarations to assess, and members whose yearly declaration is overdue."""
    return render(
        request,
        "forums/staff/declaration_queue.html",
        {
            "page": paginate(
                request, selectors.declarations_to_assess(user=request.user), per_page=50
            ),
            "overdue": selectors.memberships_declaration_overdue(user=request.user)[:200],
        },
    )


@staff_required("forums.view_declaration")
def declaration_detail(request, pk):
    declaration = selectors.declaration_get_staff(user=request.user, pk=pk)
    if declaration is None:
        raise Http404
    form = None
    if request.user.has_perm("forums.change_declaration"):
        form = AssessmentForm(
            request.POST or None,
            initial={
                "assessment": declaration.assessment if declaration.is_assessed else None,
                "reason": declaration.assessment_reason,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.declaration_assess(
                    user=request.user,
                    declaration=declaration,
                    assessment=form.cleaned_data["assessment"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, _("The assessment is recorded."))
                return redirect("forums_bodies_staff:declaration_detail", pk=declaration.pk)
    return render(
        request,
        "forums/staff/declaration_detail.html",
        {
            "declaration": declaration,
            "form": form,
            "applications": declaration.applications.select_related("call__body"),
            "versions": selectors.declarations_of_person(
                user=request.user, person=declaration.person
            ),
        },
        status=400 if request.method == "POST" else 200,
    )
