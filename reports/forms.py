from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import SavedReport


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)


class SavedReportForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    schedule = forms.ChoiceField(
        label=_("Schedule"), choices=SavedReport.Schedule.choices, required=False
    )
    recipients = forms.CharField(
        label=_("Send to (staff email addresses)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line. Only staff who may read reports can receive them."),
    )
