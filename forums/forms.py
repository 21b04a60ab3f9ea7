from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Organisation

from .models import Registration


def _checkbox():
    # ECL hides `ecl-checkbox__input` (the ui tag's default) unless its own box markup follows;
    # a plain class keeps the native, visible checkbox that `.checkbox-label` styles.
    return forms.CheckboxInput(attrs={"class": "checkbox-input"})


class RegistrationForm(forms.Form):
    on_participant_list = forms.BooleanField(
        label=_("Show my name and organisation on the list of participants"),
        required=False,
        widget=_checkbox(),
    )
    photo_opt_out = forms.BooleanField(
        label=_("Do not photograph or record me"),
        required=False,
        widget=_checkbox(),
        help_text=_("We will seat you out of camera view and leave you out of published images."),
    )
    special_requirements = forms.CharField(
        label=_("Dietary or accessibility needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the events team and deleted 30 days after the event."),
    )
    special_requirements_consent = forms.BooleanField(
        label=_("I agree that the AI Office processes these needs to organise the event"),
        required=False,
        widget=_checkbox(),
    )

    def clean(self):
        data = super().clean()
        if data.get("special_requirements", "").strip() and not data.get(
            "special_requirements_consent"
        ):
            self.add_error(
                "special_requirements_consent",
                _("Please agree to the processing of your needs, or leave the field empty."),
            )
        return data


class ColleagueRegistrationForm(RegistrationForm):
    """A representative registers a colleague of their organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))

    field_order = ["organisation", "first_name", "last_name", "email"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["on_participant_list"].label = _(
            "My colleague agrees to appear on the list of participants"
        )
        self.fields["photo_opt_out"].label = _("Do not photograph or record my colleague")


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Mark the selected participants as"),
        choices=[
            (Registration.Attendance.ATTENDED, _("Attended")),
            (Registration.Attendance.NO_SHOW, _("Did not attend")),
            ("", _("Not recorded")),
        ],
        required=False,
    )
    registrations = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args, registration_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].choices = [(pk, pk) for pk in registration_ids]
        self.fields["registrations"].error_messages["required"] = _(
            "Select at least one participant."
        )
