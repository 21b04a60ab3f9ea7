"""A form field that edits a record's texts in the 24 official languages, one group per language.

    texts = TranslationsField(texts=[
        TranslatedText("title", _("Title")),
        TranslatedText("text", _("Text"), multiline=True),
    ])

The field shows English first (the record's own fields, required), then every other language
under its own name, each group collapsible (`<details>`, no script), and says which languages
still lack a text. It cleans to `{"en": {...}, "fr": {...}, ...}` without empty texts;
`split_source()` separates the English texts (for the record's fields) from the translations
(for its `translations` JSON field, see `core.translations`). docs/i18n.md shows a whole form.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .translations import SOURCE_LANGUAGE, clean_translations, official_languages


@dataclass(frozen=True)
class TranslatedText:
    """One translatable text of a record: its field name, label, and how it is typed."""

    name: str
    label: str | Promise
    multiline: bool = False
    max_length: int = 3000
    required: bool = True  # in English; translations are never required


def _input_name(name: str, code: str, text: str) -> str:
    return f"{name}-{code}-{text}"


def _missing(texts, value: dict, code: str) -> bool:
    source = value.get(SOURCE_LANGUAGE) or {}
    own = value.get(code) or {}
    if code == SOURCE_LANGUAGE:
        return any(t.required and not (own.get(t.name) or "").strip() for t in texts)
    # A text the original has (or must have) and this language lacks.
    return any(
        ((source.get(t.name) or "").strip() or t.required) and not (own.get(t.name) or "").strip()
        for t in texts
    )


class TranslationsWidget(forms.Widget):
    template_name = "core/widgets/translations.html"

    def __init__(self, texts, attrs=None):
        super().__init__(attrs)
        self.texts = list(texts)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.texts = list(self.texts)
        return copy

    def format_value(self, value):
        return value if isinstance(value, dict) else {}

    def _render(self, template_name, context, renderer=None):
        # The project's templates, not the form renderer's (which sees only django/forms).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308

    def value_from_datadict(self, data, files, name):
        return {
            code: {
                text.name: data.get(_input_name(name, code, text.name), "") for text in self.texts
            }
            for code, _language in official_languages()
        }

    def value_omitted_from_data(self, data, files, name):
        prefix = f"{name}-"
        return not any(key.startswith(prefix) for key in data)

    def id_for_label(self, id_):
        return f"{id_}-{SOURCE_LANGUAGE}-{self.texts[0].name}" if id_ and self.texts else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = self.format_value(value)
        base_id = (attrs or {}).get("id") or f"id_{name}"
        groups, missing = [], []
        for code, language in official_languages():
            texts = value.get(code) or {}
            is_missing = _missing(self.texts, value, code)
            if is_missing:
                missing.append({"code": code, "name": language})
            groups.append(
                {
                    "code": code,
                    "name": language,
                    "is_source": code == SOURCE_LANGUAGE,
                    "missing": is_missing,
                    # A text too long to keep: the group opens to show it.
                    "has_error": any(
                        len(texts.get(text.name) or "") > text.max_length for text in self.texts
                    ),
                    "inputs": [
                        {
                            "id": f"{base_id}-{code}-{text.name}",
                            "name": _input_name(name, code, text.name),
                            "label": text.label,
                            "value": texts.get(text.name) or "",
                            "multiline": text.multiline,
                            "max_length": text.max_length,
                            "required": code == SOURCE_LANGUAGE and text.required,
                        }
                        for text in self.texts
                    ],
                }
            )
        context["widget"].update(
            {
                "groups": groups,
                "source": groups[0],
                "others": groups[1:],
                "missing": missing,
                "missing_others": [m for m in missing if m["code"] != SOURCE_LANGUAGE],
                "describedby": (attrs or {}).get("aria-describedby", ""),
                "has_errors": any(group["has_error"] for group in groups),
            }
        )
        return context


class TranslationsField(forms.Field):
    default_error_messages = {
        "required": _("Give the %(text)s in English."),
        "too_long": _("%(language)s: the %(text)s has more than %(max)s characters."),
    }

    def __init__(self, *, texts, **kwargs):
        self.texts = list(texts)
        kwargs.setdefault("widget", TranslationsWidget(self.texts))
        kwargs.setdefault("required", any(text.required for text in self.texts))
        super().__init__(**kwargs)
        self.widget.texts = self.texts

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.texts = list(self.texts)
        return copy

    def to_python(self, value):
        if not isinstance(value, dict):
            return {}
        return {
            code: {
                text.name: str((value.get(code) or {}).get(text.name) or "").strip()
                for text in self.texts
            }
            for code, _language in official_languages()
        }

    def validate(self, value):
        names = dict(official_languages())
        errors = []
        if self.required:
            source = value.get(SOURCE_LANGUAGE) or {}
            for text in self.texts:
                if text.required and not source.get(text.name):
                    errors.append(
                        ValidationError(
                            self.error_messages["required"],
                            code="required",
                            params={"text": str(text.label).lower()},
                        )
                    )
        for code, texts in value.items():
            for text in self.texts:
                if len(texts.get(text.name) or "") > text.max_length:
                    errors.append(
                        ValidationError(
                            self.error_messages["too_long"],
                            code="too_long",
                            params={
                                "language": names.get(code, code),
                                "text": str(text.label).lower(),
                                "max": text.max_length,
                            },
                        )
                    )
        if errors:
            raise ValidationError(errors)

    def clean(self, value):
        value = super().clean(value)
        return clean_translations(value, fields=[text.name for text in self.texts])

    def has_changed(self, initial, data):
        names = [text.name for text in self.texts]
        return clean_translations(initial or {}, fields=names) != clean_translations(
            self.to_python(data), fields=names
        )


def translations_initial(obj, texts) -> dict:
    """A record's texts as the field shows them: its own fields as English, then its
    translations."""
    names = [text.name if isinstance(text, TranslatedText) else text for text in texts]
    value = {
        code: dict(fields)
        for code, fields in (getattr(obj, "translations", None) or {}).items()
        if code != SOURCE_LANGUAGE and isinstance(fields, dict)
    }
    value[SOURCE_LANGUAGE] = {name: getattr(obj, name, "") or "" for name in names}
    return value


def split_source(value: dict) -> tuple[dict, dict]:
    """(English texts, translations) of a cleaned value: the first for the record's own fields
    (a text left empty is absent: read it with `.get(name, "")`), the second for its
    `translations` field."""
    value = dict(value or {})
    source = value.pop(SOURCE_LANGUAGE, {})
    return source, value


class RecordTextsMixin:
    """For a form that edits a record's own texts (English) and their translations in one
    `texts` field: its initial value is built from the record's fields and `translations`,
    and cleaning puts them back as `cleaned_data[name]` and `cleaned_data["translations"]`,
    so that the service gets the same keywords as the record has. Set `record_texts` to the
    `TranslatedText`s and declare `texts = TranslationsField(texts=record_texts)`."""

    record_texts: tuple[TranslatedText, ...] = ()

    def _record_texts_initial(self):
        initial = self.initial
        if "texts" not in initial and any(t.name in initial for t in self.record_texts):
            initial["texts"] = {
                **{
                    code: dict(fields)
                    for code, fields in (initial.get("translations") or {}).items()
                    if code != SOURCE_LANGUAGE and isinstance(fields, dict)
                },
                SOURCE_LANGUAGE: {t.name: initial.get(t.name) or "" for t in self.record_texts},
            }

    def _record_texts_clean(self, data: dict) -> dict:
        english, translations = split_source(data.pop("texts", None) or {})
        for text in self.record_texts:
            data[text.name] = english.get(text.name, "")
        data["translations"] = translations
        return data
