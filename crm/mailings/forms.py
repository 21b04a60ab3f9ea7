from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ModelMultipleChoiceField
from core.translation_fields import RecordTextsMixin, TranslatedText, TranslationsField

from .models import Mailing, Topic


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class TopicChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, topic):
        return topic.translated_name


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        error_messages={"required": _("Choose at least one topic.")},
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    agree = forms.BooleanField(
        label=_("I agree that the AI Office sends me these updates and keeps my address for it."),
        error_messages={"required": _("Tick the box to agree, or we cannot send you updates.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)


class PreferencesForm(forms.Form):
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=_("Untick every topic to receive no more updates."),
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)


class MailingForm(RecordTextsMixin, forms.Form):
    record_texts = (
        TranslatedText("subject", _("Subject"), max_length=200),
        TranslatedText("body", _("Text"), multiline=True, max_length=20000),
    )
    name = forms.CharField(
        label=_("Internal name"),
        max_length=200,
        help_text=_("For the back office only, e.g. “Overdue reports, December”."),
    )
    audience = forms.ChoiceField(label=_("Audience"))
    purpose = forms.ChoiceField(
        label=_("Why you write to them"),
        choices=[
            (Mailing.Purpose.PARTICIPATION, Mailing.Purpose.PARTICIPATION.label),
            (Mailing.Purpose.PACT_NETWORK, Mailing.Purpose.PACT_NETWORK.label),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "For a group of the CRM only (a topic's subscribers get updates). AI Pact network "
            "news reaches only the people who agreed to it."
        ),
    )
    texts = TranslationsField(
        label=_("Subject and text"),
        help_text=_(
            "English is the original; each person gets their language when it is given here, "
            "English otherwise. Formatting: an empty line between paragraphs, “## ” for a "
            "heading, “- ” for a list, **bold**, *italic*, [a link](https://…)."
        ),
        texts=record_texts,
    )

    def __init__(self, *args, audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._record_texts_initial()
        self.fields["audience"].choices = [("", "—"), *audiences]

    def clean(self):
        return self._record_texts_clean(super().clean())


class ScheduleForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Now")), ("later", _("At a time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=_LocalDateTimeInput(),
        required=False,
        help_text=_("In the time zone of Brussels."),
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Give the date and time to send it."))
            elif send_at <= timezone.now():
                self.add_error("send_at", _("Choose a time in the future, or send now."))
        else:
            data["send_at"] = None
        return data


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class TopicForm(RecordTextsMixin, forms.Form):
    record_texts = (
        TranslatedText("name", _("Name"), max_length=120),
        TranslatedText("description", _("Description"), max_length=300, required=False),
    )
    texts = TranslationsField(label=_("Name and description"), texts=record_texts)
    code = forms.SlugField(label=_("Code"), max_length=50)
    is_active = forms.BooleanField(label=_("Open to subscribers"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order in lists"), min_value=0, max_value=32767, initial=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._record_texts_initial()

    def clean(self):
        return self._record_texts_clean(super().clean())


class RecipientFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import MailingRecipient

        statuses = [
            (value, label)
            for value, label in MailingRecipient.Status.choices
            if value != MailingRecipient.Status.HANDING_OVER
        ]
        self.fields["status"].choices = [("", _("All")), *statuses]
