from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField
from core.translation_fields import (
    TranslatedText,
    TranslationsField,
    split_source,
    translations_initial,
)

from .models import (
    COMMITMENT_TRANSLATED_FIELDS,
    AIRole,
    Commitment,
    ImplementationStatus,
    NetworkMembership,
)
from .services import CommitmentInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PledgeStartForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the organisations you represent.")},
    )
    ai_role = forms.ChoiceField(
        label=_("Your organisation's role with AI systems"),
        choices=[("", _("Choose a role"))] + list(AIRole.choices),
        help_text=_(
            "Providers develop AI systems or place them on the market; deployers use AI systems "
            "under their authority. The role decides which additional commitments you can take."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the pledge"),
        choices=settings.LANGUAGES,
        help_text=_("The signed pledge and its PDF are in this language."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PledgeForm(forms.Form):
    """The whole pledge on one page; one group of fields per commitment of the catalogue."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    ai_role = forms.ChoiceField(label=_("Role with AI systems"), choices=AIRole.choices)
    language = forms.ChoiceField(label=_("Language of the pledge"), choices=settings.LANGUAGES)
    best_effort = forms.BooleanField(
        label=_("We commit on a best-effort basis"),
        required=False,
        help_text=_(
            "Tick if the organisation will work towards its commitments as far as it can, "
            "without guaranteeing every target date."
        ),
    )
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=200, required=False)
    signatory_function = forms.CharField(
        label=_("Signatory's function"), max_length=200, required=False
    )
    authority_confirmed = forms.BooleanField(
        label=_("The signatory is authorised to sign this pledge for the organisation"),
        required=False,
    )
    publish_in_register = forms.BooleanField(
        label=_("Publish the pledge in the public register of the AI Pact"),
        required=False,
        help_text=_(
            "The organisation's name, country, sector, commitments and planned actions appear "
            "on the public register once the AI Office has reviewed the pledge."
        ),
    )

    def __init__(self, *args, pledge, catalogue: list[Commitment], **kwargs):
        rows = {row.commitment.code: row for row in pledge.commitments.all()}
        initial = {
            "version": pledge.version,
            "ai_role": pledge.ai_role,
            "language": pledge.language,
            "best_effort": pledge.best_effort,
            "signatory_name": pledge.signatory_name,
            "signatory_function": pledge.signatory_function,
            "authority_confirmed": pledge.authority_confirmed,
            "publish_in_register": pledge.publish_in_register,
        }
        commitments = {c.code: c for c in catalogue}
        for code, row in rows.items():
            commitments.setdefault(code, row.commitment)
        self.commitments = sorted(commitments.values(), key=lambda c: (c.order, c.code))
        for commitment in self.commitments:
            row = rows.get(commitment.code)
            prefix = f"c-{commitment.code}"
            initial[f"{prefix}-included"] = row is not None or commitment.is_core
            if row is not None:
                initial[f"{prefix}-planned_actions"] = row.planned_actions
                initial[f"{prefix}-target_date"] = row.target_date
                initial[f"{prefix}-implementation_status"] = row.implementation_status
        super().__init__(*args, initial=initial, **kwargs)
        self.pledge = pledge
        for commitment in self.commitments:
            prefix = f"c-{commitment.code}"
            self.fields[f"{prefix}-included"] = forms.BooleanField(
                label=_("Take on this commitment"),
                required=False,
                disabled=commitment.is_core,
                help_text=_("Core commitments are part of every pledge.")
                if commitment.is_core
                else "",
            )
            self.fields[f"{prefix}-planned_actions"] = forms.CharField(
                label=_("Planned actions"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("What the organisation will do, and how."),
            )
            self.fields[f"{prefix}-target_date"] = forms.DateField(
                label=_("Target date"),
                required=False,
                widget=DateInput,
                error_messages={"invalid": _("Enter a date such as 2026-12-31.")},
            )
            self.fields[f"{prefix}-implementation_status"] = forms.ChoiceField(
                label=_("Implementation status"),
                choices=ImplementationStatus.choices,
                initial=ImplementationStatus.PLANNED,
            )

    def commitment_groups(self):
        """[(category label, [(commitment, {field: bound field})])] for the template."""
        groups = {}
        for commitment in self.commitments:
            prefix = f"c-{commitment.code}"
            fields = {
                name: self[f"{prefix}-{name}"]
                for name in ("included", "planned_actions", "target_date", "implementation_status")
            }
            groups.setdefault(commitment.category, []).append((commitment, fields))
        labels = {
            "core": _("Core commitments"),
            "provider": _("Additional commitments for providers"),
            "deployer": _("Additional commitments for deployers"),
        }
        return [
            (category, labels[category], groups[category])
            for category in ("core", "provider", "deployer")
            if category in groups
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        commitments = {}
        for commitment in self.commitments:
            prefix = f"c-{commitment.code}"
            commitments[commitment.code] = CommitmentInput(
                included=bool(data.get(f"{prefix}-included")) or commitment.is_core,
                planned_actions=data.get(f"{prefix}-planned_actions") or "",
                target_date=data.get(f"{prefix}-target_date"),
                implementation_status=data.get(f"{prefix}-implementation_status")
                or ImplementationStatus.PLANNED,
            )
        return {
            "version": data["version"],
            "ai_role": data["ai_role"],
            "language": data["language"],
            "best_effort": data["best_effort"],
            "signatory_name": data["signatory_name"],
            "signatory_function": data["signatory_function"],
            "authority_confirmed": data["authority_confirmed"],
            "publish_in_register": data["publish_in_register"],
            "commitments": commitments,
        }


class ProgressReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    difficulties = forms.CharField(
        label=_("What was hard?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Feedback for the AI Office: what made the commitments hard to implement, and what "
            "would help."
        ),
    )

    def __init__(self, *args, report, items, **kwargs):
        initial = {"version": report.version, "difficulties": report.difficulties}
        for item in items:
            initial[f"item-{item.pk}-implementation_status"] = item.implementation_status
            initial[f"item-{item.pk}-narrative"] = item.narrative
        super().__init__(*args, initial=initial, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item-{item.pk}-implementation_status"] = forms.ChoiceField(
                label=_("Implementation status"), choices=ImplementationStatus.choices
            )
            self.fields[f"item-{item.pk}-narrative"] = forms.CharField(
                label=_("What was done"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def item_fields(self):
        return [
            (
                item,
                self[f"item-{item.pk}-implementation_status"],
                self[f"item-{item.pk}-narrative"],
            )
            for item in self.items
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "difficulties": data["difficulties"],
            "items": {
                item.pk: (
                    data[f"item-{item.pk}-implementation_status"],
                    data.get(f"item-{item.pk}-narrative") or "",
                )
                for item in self.items
            },
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the organisation withdraw its pledge?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the organisation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return or reject; sent to the organisation's representatives."),
    )


class NetworkJoinForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the organisations you represent.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("What interests you"),
        choices=NetworkMembership.Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.EmailField(label=_("Contact email for the network"))
    publish_name = forms.BooleanField(
        label=_("The AI Office may name the organisation as a member of the AI Pact network"),
        required=False,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CommitmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Short and unique, e.g. DEPL-7."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Commitment.Category.choices)
    texts = TranslationsField(
        label=_("Text of the commitment"),
        help_text=_(
            "English is the original; give the text in every other official language, in the "
            "AI Act's terminology of that language."
        ),
        texts=[TranslatedText("text", _("Text"), multiline=True, max_length=3000)],
    )
    ai_act_article = forms.CharField(label=_("AI Act reference"), max_length=60, required=False)
    verified = forms.BooleanField(
        label=_("The English text is the verbatim wording of the pledge"),
        required=False,
    )
    retire = forms.BooleanField(
        label=_("Retire this commitment (new pledges no longer offer it)"),
        required=False,
    )

    def __init__(self, *args, commitment: Commitment | None = None, **kwargs):
        if commitment is not None:
            kwargs["initial"] = {
                "code": commitment.code,
                "category": commitment.category,
                "texts": translations_initial(commitment, COMMITMENT_TRANSLATED_FIELDS),
                "ai_act_article": commitment.ai_act_article,
                "verified": commitment.verified,
            }
        super().__init__(*args, **kwargs)
        if commitment is not None:
            self.fields["code"].disabled = True
            self.fields["category"].disabled = True
        else:
            del self.fields["retire"]

    def english_text(self) -> str:
        english, _translations = split_source(self.cleaned_data["texts"])
        return english.get("text", "")

    def translations(self) -> dict[str, dict[str, str]]:
        _english, translations = split_source(self.cleaned_data["texts"])
        return translations
