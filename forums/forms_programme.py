"""Forms of an event's agenda and materials, as the events team fills them."""

import zoneinfo

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from crm.models import Person

from .models import MATERIAL_MAX_BYTES, MATERIAL_TYPES, AgendaItem, Material


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class AgendaItemForm(forms.Form):
    """A session of the agenda; times are read and shown in the event's time zone."""

    starts_at = forms.DateTimeField(label=_("Starts"), widget=_LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_LocalDateTimeInput(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    speaker_emails = forms.CharField(
        label=_("Speakers from the CRM (email addresses)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One email address per line, as recorded in the CRM."),
    )
    other_speakers = forms.CharField(
        label=_("Other speakers"),
        max_length=500,
        required=False,
        help_text=_("Speakers who are not in the CRM, e.g. “Ana Silva (University of Porto)”."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.zone = zoneinfo.ZoneInfo(event.time_zone)

    @classmethod
    def initial_for(cls, item: AgendaItem, event) -> dict:
        zone = zoneinfo.ZoneInfo(event.time_zone)
        return {
            "starts_at": item.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": item.ends_at.astimezone(zone).replace(tzinfo=None) if item.ends_at else None,
            "title": item.title,
            "description": item.description,
            "speaker_emails": "\n".join(p.email for p in item.speakers.all()),
            "other_speakers": item.other_speakers,
        }

    def clean_speaker_emails(self):
        emails = [line.strip() for line in self.cleaned_data["speaker_emails"].splitlines()]
        emails = [e for e in emails if e]
        if len(emails) > 20:
            raise forms.ValidationError(_("Name at most 20 speakers per session."))
        people, unknown = [], []
        for email in emails:
            person = Person.objects.filter(email__iexact=email).first()
            if person is None:
                unknown.append(email)
            elif person not in people:
                people.append(person)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Nobody with these emails is in the CRM: %(emails)s. Add them as other "
                    "speakers, or record them in the CRM first."
                )
                % {"emails": ", ".join(unknown)}
            )
        return people

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = data[name].replace(tzinfo=None).replace(tzinfo=self.zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("A session cannot end before it starts."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
            "title": data["title"],
            "description": data.get("description", ""),
            "speakers": data.get("speaker_emails") or [],
            "other_speakers": data.get("other_speakers", ""),
        }


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=format_lazy(
            _("{types}; at most {size} MB."),
            types=", ".join(f".{t}" for t in sorted(MATERIAL_TYPES)),
            size=MATERIAL_MAX_BYTES // (1024 * 1024),
        ),
    )
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("For example the recording on the video platform."),
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Material.Audience.choices,
        widget=forms.RadioSelect,
        initial=Material.Audience.PUBLIC,
    )
    release = forms.ChoiceField(
        label=_("Published"),
        choices=Material.Release.choices,
        widget=forms.RadioSelect,
        initial=Material.Release.AFTER_EVENT,
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Upload a file or give a link, not both."))
        return data
