from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ModelChoiceField, ModelMultipleChoiceField

from .models import Note, Organisation, Person, Sector
from .validators import normalize_transparency_register_id, validate_transparency_register_id


class OrganisationRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=255)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    transparency_register_id = forms.CharField(
        label=_("EU Transparency Register ID"),
        max_length=20,
        required=False,
        help_text=_("If registered: 8 to 13 digits, a hyphen and two digits, e.g. 86045688255-44."),
    )
    country = forms.ChoiceField(label=_("Country of headquarters"))
    type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose a type"))] + list(Organisation.Type.choices),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        choices=[("", _("Not applicable"))] + list(Organisation.Size.choices),
        required=False,
        help_text=Organisation._meta.get_field("size").help_text,
    )
    ai_role = forms.ChoiceField(
        label=_("Role with AI systems"), choices=Organisation.AIRole.choices
    )
    sectors = ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    position = forms.CharField(label=_("Your position in the organisation"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so that country names follow the language of the request.
        self.fields["country"].choices = [("", _("Choose a country")), *countries]

    def clean_transparency_register_id(self):
        value = normalize_transparency_register_id(self.cleaned_data["transparency_register_id"])
        if value:
            validate_transparency_register_id(value)
        return value or ""


class AffiliationRequestForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(status=Organisation.Status.ACTIVE),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose an organisation from the search results.")},
    )
    position = forms.CharField(label=_("Your position in the organisation"), max_length=150)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—")] + list(Person.Gender.choices),
        required=False,
        help_text=_("Optional. Used only for anonymous balance statistics."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—"), *countries]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Note.Kind.choices)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the person)"), max_length=500, required=False)
