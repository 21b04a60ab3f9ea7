from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from core.forms import ModelChoiceField
from core.translation_fields import (
    RecordTextsMixin,
    TranslatedText,
    TranslationsField,
    translations_initial,
)
from crm.models import Organisation, Person

from .models import Body, Event, Registration


def _mode_choice_label(label, capacity, left, waitlist_enabled) -> str:
    if capacity is None:
        return label
    if left == 0:
        return (
            _("%(mode)s (full: waiting list)") % {"mode": label}
            if waitlist_enabled
            else (_("%(mode)s (full)") % {"mode": label})
        )
    if left is None:
        return label
    return ngettext("%(mode)s (%(count)d place left)", "%(mode)s (%(count)d places left)", left) % {
        "mode": label,
        "count": left,
    }


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How will you attend?"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will attend in person or online.")},
    )
    on_participant_list = forms.BooleanField(
        label=_("Show my name and organisation on the list of participants"),
        required=False,
    )
    photo_opt_out = forms.BooleanField(
        label=_("Do not photograph or record me"),
        required=False,
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
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is None or not event.is_hybrid:
            # One way of attending: nothing to choose.
            del self.fields["mode"]
        else:
            self.fields["mode"].choices = [
                (mode, _mode_choice_label(label, capacity, left, event.waitlist_enabled))
                for mode, label, capacity, left in event.mode_places
            ]

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

    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))

    field_order = ["organisation", "first_name", "last_name", "email", "mode"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "mode" in self.fields:
            self.fields["mode"].label = _("How will your colleague attend?")
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


def _time_zones():
    import zoneinfo

    common = ["Europe/Brussels", "Europe/Luxembourg", "UTC"]
    others = sorted(z for z in zoneinfo.available_timezones() if z.startswith("Europe/"))
    return [(z, z) for z in common + [z for z in others if z not in common]]


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventForm(RecordTextsMixin, forms.Form):
    """An event as the events team edits it. Dates and times are read in the event's time zone."""

    record_texts = (
        TranslatedText("title", _("Title"), max_length=200),
        TranslatedText("description", _("Description"), multiline=True, required=False),
    )
    texts = TranslationsField(
        label=_("Title and description"),
        help_text=_("English is the original; add the other languages the event is offered in."),
        texts=record_texts,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    programme = forms.ChoiceField(label=_("Programme"), choices=Event.Programme.choices)
    body = ModelChoiceField(
        label=_("Expert body"),
        queryset=Body.objects.order_by("order", "name"),
        required=False,
        help_text=_("For the expert bodies' programme: whose meeting this is."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=_LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_LocalDateTimeInput())
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    stream_url = forms.URLField(
        label=_("Stream link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to confirmed participants who attend online."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Empty for no limit. For a hybrid event: the places in the room."),
    )
    online_capacity = forms.IntegerField(
        label=_("Online places (hybrid events)"),
        min_value=1,
        required=False,
        help_text=_(
            "For a hybrid event, participants choose to come in person or online; each way has "
            "its places and its waiting list. Empty for no limit."
        ),
    )
    waitlist_enabled = forms.BooleanField(label=_("Waiting list when full"), required=False)
    waitlist_offer_hours = forms.IntegerField(
        label=_("Hours to accept a freed place"),
        min_value=1,
        max_value=168,
        required=False,
        help_text=_("Empty: the first person waiting is confirmed at once."),
    )
    max_per_organisation = forms.IntegerField(
        label=_("Places per organisation"),
        min_value=1,
        required=False,
        help_text=_("Empty for no limit."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    registration_opens_at = forms.DateTimeField(
        label=_("Registration opens"), widget=_LocalDateTimeInput(), required=False
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"),
        widget=_LocalDateTimeInput(),
        required=False,
        help_text=_("Empty: registration closes when the event starts."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    privacy_notice = forms.CharField(label=_("Privacy notice"), max_length=100)
    privacy_notice_version = forms.CharField(label=_("Privacy notice version"), max_length=20)
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)
    notify_registrants = forms.BooleanField(
        label=_("Email the registrants what changed"),
        required=False,
        initial=True,
        help_text=_(
            "If you change the date, time, format, venue or link, or cancel the event, each "
            "person registered or waiting is emailed the old and new details, with an updated "
            "calendar file."
        ),
    )

    DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        import zoneinfo

        tz = zoneinfo.ZoneInfo(event.time_zone)
        initial = {
            name: getattr(event, name)
            for name in cls.base_fields
            if name not in ("notify_registrants", "texts")
        }
        initial["texts"] = translations_initial(event, cls.record_texts)
        initial["notify_registrants"] = True
        for name in cls.DATETIME_FIELDS:
            value = initial[name]
            initial[name] = value.astimezone(tz).replace(tzinfo=None) if value else None
        return initial

    def clean(self):
        import zoneinfo

        data = super().clean()
        tz_name = data.get("time_zone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            for name in self.DATETIME_FIELDS:
                value = data.get(name)
                if value:
                    data[name] = value.replace(tzinfo=None).replace(tzinfo=tz)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("An event cannot end before it starts."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error(
                "registration_closes_at", _("Registration cannot close before it opens.")
            )
        return self._record_texts_clean(data)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Person (email)"), required=False)
    organisation = forms.CharField(
        label=_("Organisation (exact name or Transparency Register ID)"),
        max_length=255,
        required=False,
    )
    body = ModelChoiceField(
        label=_("Or the members of an expert body"),
        queryset=Body.objects.order_by("order", "name"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        email, name = data.get("email", ""), data.get("organisation", "").strip()
        if [bool(email), bool(name), data.get("body") is not None].count(True) != 1:
            raise forms.ValidationError(
                _("Give either a person's email, an organisation or an expert body.")
            )
        data["person"] = data["organisation_obj"] = None
        if data.get("body") is not None:
            return data
        if email:
            data["person"] = Person.objects.filter(email__iexact=email).first()
            if data["person"] is None:
                self.add_error("email", _("Nobody with this email is in the CRM."))
        else:
            data["organisation_obj"] = Organisation.objects.filter(
                Q(transparency_register_id=name.upper().removeprefix("REG").strip())
                | Q(name__iexact=name)
            ).first()
            if data["organisation_obj"] is None:
                self.add_error("organisation", _("No organisation has this name or ID."))
        return data


class ApplicationForm(forms.Form):
    """An application to a call, as a draft or for submission."""

    organisation = ModelChoiceField(
        label=_("Apply for"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself, in a personal capacity"),
        help_text=_("Organisations you represent can apply through you."),
    )
    role = forms.ChoiceField(label=_("Role sought"))
    expertise = forms.CharField(
        label=_("Areas of expertise"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    motivation = forms.CharField(
        label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=6000
    )
    nationality = CountryField(blank=True).formfield(label=_("Nationality"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("—"))] + list(Person.Gender.choices),
        required=False,
        help_text=_("Used only for the body's gender-balance statistics; never published."),
    )
    cv = forms.FileField(
        label=_("CV (PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    field_order = ["organisation", "role", "expertise", "motivation", "nationality", "gender", "cv"]

    def __init__(self, *args, call, organisations=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (code, label) for code, label in call.ROLES if code in call.roles
        ]
        if call.applicants == call.Applicants.INDIVIDUALS or editing or organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            if call.applicants == call.Applicants.ORGANISATIONS:
                self.fields["organisation"].required = True
                self.fields["organisation"].empty_label = None
        for name in ("expertise", "motivation"):
            # Drafts may be incomplete; the service says what is missing on submission.
            self.fields[name].required = False
