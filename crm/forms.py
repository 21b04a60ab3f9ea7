from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.converters import parse_id
from core.forms import ModelChoiceField, ModelMultipleChoiceField, formfield

from .models import ErasureRequest, Note, Organisation, Person, Sector
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


def _label_empty_choice(form, *names):
    """The empty choice of optional selects reads "Not stated" (not Django's dashes): leaving
    it says that nobody told us, which the record then shows."""
    for name in names:
        field = form.fields[name]
        choices = [(value, label) for value, label in field.choices if value != ""]
        field.choices = [("", _("Not stated")), *choices]


class StaffOrganisationForm(forms.ModelForm):
    """Staff create or correct an organisation. The service checks and saves."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        formfield_callback = formfield
        fields = [
            "name",
            "acronym",
            "transparency_register_id",
            "country",
            "type",
            "size",
            "ai_role",
            "sectors",
            "website",
            "tags",
            "status",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Uniqueness is the service's to check, with a message that names the other record.
        self.fields["transparency_register_id"].validators = []
        _label_empty_choice(self, "country", "type", "size", "ai_role")

    def clean_transparency_register_id(self):
        value = normalize_transparency_register_id(self.cleaned_data["transparency_register_id"])
        if value:
            validate_transparency_register_id(value)
        return value

    def validate_unique(self):
        """The service refuses duplicates, with a message that says what to do."""


class StaffPersonForm(forms.ModelForm):
    class Meta:
        model = Person
        formfield_callback = formfield
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "nationality",
            "gender",
            "preferred_language",
            "tags",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_empty_choice(self, "nationality", "gender")

    def validate_unique(self):
        """The service refuses a second person with the same email, whatever its case."""


class AffiliationAddForm(forms.Form):
    """Link a person and an organisation; the page that shows it knows one of the two."""

    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": _("Choose an organisation from the search results.")},
    )
    person = ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.all(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": _("Choose a person from the search results.")},
    )
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    is_representative = forms.BooleanField(
        label=_("May act for the organisation (representative)"), required=False
    )


class OrganisationBulkForm(forms.Form):
    """The organisations ticked in the list, and what to do with them."""

    ACTIONS = [
        ("tag", _("Add the tag")),
        ("untag", _("Remove the tag")),
        ("export", _("Download as CSV")),
    ]

    organisations = forms.TypedMultipleChoiceField(coerce=int, required=False)
    everyone = forms.BooleanField(required=False)
    action = forms.ChoiceField(choices=ACTIONS)
    tag = forms.CharField(label=_("Tag"), max_length=60, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("organisations") and not data.get("everyone"):
            raise forms.ValidationError(_("Tick at least one organisation."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the selector keeps only those the user may see.
        ids = self.data.getlist("organisations") if hasattr(self.data, "getlist") else []
        self.fields["organisations"].choices = [(value, value) for value in ids if parse_id(value)]


class PersonBulkForm(forms.Form):
    """The people ticked in the list (or every person the list's filters select), and what to
    do with them: tag, untag, download, or an action another app offers (invite to an event)."""

    people = forms.TypedMultipleChoiceField(coerce=int, required=False)
    everyone = forms.BooleanField(required=False)
    action = forms.CharField(max_length=40)
    tag = forms.CharField(label=_("Tag"), max_length=60, required=False)
    target = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = self.data.getlist("people") if hasattr(self.data, "getlist") else []
        self.fields["people"].choices = [(value, value) for value in ids if parse_id(value)]

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("everyone"):
            raise forms.ValidationError(_("Tick at least one person."))
        return data


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything we should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my personal data anonymised "
            "in every part of the service."
        )
    )


class ErasureRefuseForm(forms.Form):
    grounds = forms.CharField(
        label=_("Legal grounds for refusing (sent to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ErasureRequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(ErasureRequest.Status.choices),
        required=False,
    )


class AccessLogFilterForm(forms.Form):
    person = forms.IntegerField(
        label=_("Person (record number)"), min_value=1, max_value=2**53, required=False
    )
