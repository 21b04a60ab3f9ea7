"""Forms of the expert bodies: declarations of interest, nominations, eligibility, evaluators,
and the secretariat's forms for bodies (with their balance rules) and calls."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ModelChoiceField
from core.translation_fields import (
    RecordTextsMixin,
    TranslatedText,
    TranslationsField,
    translations_initial,
)
from crm.models import Person

from .balance import group_label
from .forms import _LocalDateTimeInput, _time_zones
from .models import BalanceRule, Body, Call, Declaration, DeclaredInterest, Nomination


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class InterestForm(forms.Form):
    """One declared interest; a row left empty is ignored."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", "—")] + list(DeclaredInterest.Category.choices),
        required=False,
    )
    organisation = forms.CharField(
        label=_("Organisation or entity"), max_length=255, required=False
    )
    description = forms.CharField(
        label=_("What the interest is"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    started_on = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    ended_on = forms.DateField(
        label=_("Until"), required=False, widget=_DateInput(), help_text=_("Empty if current.")
    )
    amount = forms.ChoiceField(
        label=_("Amount"), choices=DeclaredInterest.Amount.choices, required=False
    )

    def clean(self):
        data = super().clean()
        if not self.is_empty_row():
            for name, message in (
                ("category", _("Choose the category.")),
                ("organisation", _("Name the organisation or entity.")),
                ("description", _("Describe the interest.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("An interest cannot end before it starts."))
        return data

    def is_empty_row(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("category", "organisation", "description"))


InterestFormSet = forms.formset_factory(InterestForm, extra=3, max_num=40, validate_max=True)


class DeclarationForm(forms.Form):
    no_interests = forms.BooleanField(
        label=_("I have no interests to declare"),
        required=False,
        help_text=_(
            "Tick this only if none of the categories below applies to you, now or in the "
            "last five years."
        ),
    )
    signed_name = forms.CharField(
        label=_("Signature: type your full name"), max_length=200, required=True
    )
    confirm = forms.BooleanField(
        label=_(
            "I declare on my honour that this information is true and complete, and that I "
            "will declare any change without delay."
        ),
        required=True,
    )


def interests_of(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k in InterestForm.base_fields}
        for form in formset.forms
        if form.cleaned_data and not form.is_empty_row()
    ]


def interest_initial(declaration: Declaration | None) -> list[dict]:
    """The rows of the last declaration, to renew it without typing it again."""
    if declaration is None:
        return []
    return [
        {name: getattr(i, name) for name in InterestForm.base_fields}
        for i in declaration.interests.all()
    ]


class AssessmentForm(forms.Form):
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=[c for c in Declaration.Assessment.choices if c[0] != "pending"],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a managed conflict: how it is managed (e.g. not taking part in …)."),
    )


class EligibilityForm(forms.Form):
    """For each eligibility criterion of the call: met or not, and why."""

    def __init__(self, *args, criteria, findings=(), **kwargs):
        initial = {}
        for finding in findings:
            initial[f"met_{finding.position}"] = "yes" if finding.met else "no"
            initial[f"reason_{finding.position}"] = finding.reason
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for index, criterion in enumerate(criteria):
            self.fields[f"met_{index}"] = forms.ChoiceField(
                label=criterion,
                choices=[("yes", _("Met")), ("no", _("Not met"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{index}"] = forms.CharField(
                label=_("Reason"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def findings(self) -> list[tuple[bool, str]]:
        return [
            (self.cleaned_data[f"met_{i}"] == "yes", self.cleaned_data[f"reason_{i}"])
            for i in range(len(self.criteria))
        ]


class EvaluatorForm(forms.Form):
    evaluator = ModelChoiceField(
        label=_("Evaluator"), queryset=None, empty_label=_("Choose an evaluator")
    )

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators
        self.fields["evaluator"].label_from_instance = lambda u: u.get_full_name() or u.email


class NominationForm(forms.Form):
    person = ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("Choose a person")
    )
    seat = forms.ChoiceField(label=_("As"), choices=Nomination.Seat.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.full_name


def _group_choices():
    choices = [("", "—")]
    for dimension, label in BalanceRule.Dimension.choices:
        options = [(f"{dimension}:", group_label(dimension, ""))]
        values = BalanceRule.VALUES.get(dimension, ())
        if dimension == BalanceRule.Dimension.STAKEHOLDER:
            values = BalanceRule.Stakeholder.values
        if dimension == BalanceRule.Dimension.GENDER:
            values = ("female", "male", "non_binary")
        options += [(f"{dimension}:{v}", group_label(dimension, v)) for v in sorted(values)]
        choices.append((label, options))
    return choices


class RuleForm(forms.Form):
    """One balance rule: the group counted (in words), the operator and the threshold."""

    group = forms.ChoiceField(label=_("Counts"), choices=_group_choices, required=False)
    country = forms.ChoiceField(
        label=_("Country (for a rule on one country)"),
        choices=lambda: [("", "—")] + list(countries),
        required=False,
    )
    operator = forms.ChoiceField(
        label=_("Rule"), choices=[("", "—")] + BalanceRule.Operator.choices, required=False
    )
    threshold = forms.DecimalField(
        label=_("Threshold"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("A percentage for shares, a number of members for counts."),
    )
    description = forms.CharField(
        label=_("In words (optional)"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the rule is written out from its figures."),
    )

    @classmethod
    def initial_for(cls, rule: BalanceRule) -> dict:
        initial = {
            "group": f"{rule.dimension}:{rule.value}",
            "operator": rule.operator,
            "threshold": rule.threshold,
            "description": rule.description,
        }
        if rule.dimension == BalanceRule.Dimension.COUNTRY and rule.value:
            initial.update(group="country:", country=rule.value.upper())
        return initial

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        data["rule"] = None
        if not (data.get("group") or data.get("operator") or data.get("threshold") is not None):
            return data  # an empty row
        for name, message in (
            ("group", _("Choose what the rule counts.")),
            ("operator", _("Choose at least or at most.")),
            ("threshold", _("Give the threshold.")),
        ):
            if data.get(name) in (None, ""):
                self.add_error(name, message)
        if self.errors:
            return data
        dimension, value = data["group"].split(":", 1)
        if dimension == BalanceRule.Dimension.COUNTRY and data.get("country"):
            value = data["country"]
        elif data.get("country"):
            self.add_error("country", _("A country goes only with a rule on countries."))
        if (
            data.get("operator") != BalanceRule.Operator.MIN_COUNT
            and data.get("threshold") is not None
            and data["threshold"] > 100
        ):
            self.add_error("threshold", _("A share is at most 100 %."))
        data["rule"] = {
            "dimension": dimension,
            "value": value,
            "operator": data.get("operator"),
            "threshold": data.get("threshold"),
            "description": data.get("description", "").strip(),
        }
        return data


RuleFormSet = forms.formset_factory(RuleForm, extra=2, can_delete=True, max_num=40)


def rules_of(formset) -> list[dict]:
    return [
        form.cleaned_data["rule"]
        for form in formset.forms
        if form.has_changed()
        and form.cleaned_data.get("rule")
        and not form.cleaned_data.get("DELETE")
    ]


class BodyForm(RecordTextsMixin, forms.Form):
    record_texts = (
        TranslatedText("name", _("Name"), max_length=200),
        TranslatedText("description", _("Mandate"), multiline=True, required=False),
    )
    texts = TranslationsField(
        label=_("Name and mandate"),
        help_text=_("English is the original; give the other official languages too."),
        texts=record_texts,
    )
    slug = forms.SlugField(
        label=_("Web address"), max_length=80, help_text=_("The last part of /bodies/…/")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)
    parent = ModelChoiceField(
        label=_("Part of"), queryset=Body.objects.none(), required=False, empty_label="—"
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False)
    max_members = forms.IntegerField(
        label=_("Maximum members"), min_value=1, required=False, help_text=_("Empty for no limit.")
    )
    term_months = forms.IntegerField(
        label=_("Term length (months)"), min_value=1, max_value=120, required=False
    )
    max_service_months = forms.IntegerField(
        label=_("Maximum total service (months)"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Empty when terms may be renewed without limit."),
    )
    nominees_per_organisation = forms.IntegerField(
        label=_("Nominees per organisation"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_("e.g. 2 for a member and an alternate."),
    )
    declarations_public = forms.BooleanField(
        label=_("Members' declarations of interest are public"), required=False
    )
    is_public = forms.BooleanField(
        label=_("Shown on the public site"), required=False, initial=True
    )
    order = forms.IntegerField(label=_("Order in lists"), min_value=0, max_value=32767, initial=100)

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._record_texts_initial()
        parents = Body.objects.order_by("order", "name")
        if body is not None:
            parents = parents.exclude(pk=body.pk)
        self.fields["parent"].queryset = parents

    def clean(self):
        data = self._record_texts_clean(super().clean())
        term, service = data.get("term_months"), data.get("max_service_months")
        if term and service and service < term:
            self.add_error(
                "max_service_months", _("The maximum total service must be at least one term.")
            )
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CallForm(RecordTextsMixin, forms.Form):
    """A call as the secretariat edits it; dates and times are read in the call's time zone."""

    record_texts = (
        TranslatedText("title", _("Title"), max_length=200),
        TranslatedText("text", _("Text"), multiline=True, required=False),
    )
    texts = TranslationsField(
        label=_("Title and text"),
        help_text=_("English is the original; give the other official languages too."),
        texts=record_texts,
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_LocalDateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_LocalDateTimeInput())
    applicants = forms.ChoiceField(label=_("Who may apply"), choices=Call.Applicants.choices)
    roles = forms.MultipleChoiceField(
        label=_("Roles that can be sought"),
        choices=Call.ROLES,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria = forms.CharField(
        label=_("Selection criteria (one a line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Evaluators score each from 0 to 10."),
    )
    eligibility_questions = forms.CharField(
        label=_("Eligibility criteria (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, required=False)
    one_per_organisation = forms.BooleanField(
        label=_("One application per organisation"), required=False
    )
    register_id_required = forms.BooleanField(
        label=_("Organisations must be in the EU Transparency Register"), required=False
    )
    declaration_required = forms.BooleanField(
        label=_("Applicants in a personal capacity file a declaration of interests"),
        required=False,
        initial=True,
    )
    blind_review = forms.BooleanField(
        label=_("Blind review"),
        required=False,
        help_text=_(
            "Evaluators do not see the applicant's name, organisation, nationality or gender "
            "(nor the CV, which names them) until they have scored."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Call.Status.choices)

    DATETIME_FIELDS = ("opens_at", "closes_at")

    @classmethod
    def initial_for(cls, call: Call) -> dict:
        initial = {name: getattr(call, name) for name in cls.base_fields if name != "texts"}
        initial["texts"] = translations_initial(call, cls.record_texts)
        for name in cls.DATETIME_FIELDS:
            initial[name] = initial[name].astimezone(call.tz).replace(tzinfo=None)
        initial["criteria"] = "\n".join(call.criteria)
        initial["eligibility_questions"] = "\n".join(call.eligibility_questions)
        return initial

    def clean(self):
        data = super().clean()
        if data.get("time_zone"):
            tz = zoneinfo.ZoneInfo(data["time_zone"])
            for name in self.DATETIME_FIELDS:
                if data.get(name):
                    data[name] = data[name].replace(tzinfo=None).replace(tzinfo=tz)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A call must close after it opens."))
        for name in ("criteria", "eligibility_questions"):
            if data.get(name) is None:
                continue
            data[name] = _lines(data[name])
            if any(len(line) > 500 for line in data[name]):
                self.add_error(name, _("Keep each line under 500 characters."))
        if data.get("criteria") == []:
            self.add_error("criteria", _("Give at least one selection criterion."))
        return self._record_texts_clean(data)
