"""Content in the database in the 24 official languages of the European Union.

A translatable record keeps its English texts in its own fields (`title`, `text`, ...) and the
other languages in one JSON field, `translations`, shaped as

    {"fr": {"title": "…", "text": "…"}, "de": {"title": "…"}}

This module is the one place that knows that shape: the validator the JSON field uses, the
accessor that reads a text in a language (falling back to English), and which languages a
record still lacks. The per-language form field that edits such a field is in
`core.translation_fields`; docs/i18n.md says how a model and its form adopt both.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The language of the records' own fields: the original every translation is made from.
SOURCE_LANGUAGE = "en"


def official_languages() -> list[tuple[str, str]]:
    """(code, name in that language) of the 24 official EU languages, English first and the
    others in the order of their codes, as the editor shows them."""
    languages = list(settings.LANGUAGES)
    return sorted(languages, key=lambda item: (item[0] != SOURCE_LANGUAGE, item[0]))


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language's name in that language ("svenska"), or the code if it is not official."""
    return dict(settings.LANGUAGES).get(code, code)


def normalise_language(code: str | None) -> str:
    """An official language code for a code as browsers and Django write it ("pt-br" -> "pt");
    English for anything else."""
    codes = language_codes()
    code = (code or "").strip().lower().replace("_", "-")
    if code in codes:
        return code
    base = code.split("-", 1)[0]
    return base if base in codes else SOURCE_LANGUAGE


def validate_translated_texts(value, *, fields: Iterable[str], message=None) -> None:
    """Check a `translations` value: official language codes mapping to the given text fields.

    `message` replaces the refusal for a field that is not among `fields` (models say in words
    which texts they translate)."""
    fields = set(fields)
    codes = set(language_codes())
    if not isinstance(value, dict):
        raise ValidationError(
            _("Translations must map a language code to translated texts."), code="invalid"
        )
    for code, texts in value.items():
        if code not in codes or not isinstance(texts, dict):
            raise ValidationError(
                _("Unknown language in translations: %(code)s"),
                code="unknown_language",
                params={"code": str(code)[:10]},
            )
        if set(texts) - fields:
            raise ValidationError(
                message or _("A translation has only the texts of the original."),
                code="unknown_field",
            )
        if not all(isinstance(text, str) for text in texts.values()):
            raise ValidationError(_("Each translated text must be text."), code="not_text")


def translated(obj, field: str, language: str | None = None) -> str:
    """`obj`'s `field` in `language` (default: the active language), else its English text."""
    code = normalise_language(language or get_language())
    translations = getattr(obj, "translations", None) or {}
    if code != SOURCE_LANGUAGE:
        text = (translations.get(code) or {}).get(field)
        if text:
            return text
    return getattr(obj, field) or ""


def missing_languages(obj, fields: Iterable[str]) -> list[str]:
    """The official languages in which `obj` lacks one of `fields` (that it has in English),
    in the editor's order. English is missing when one of its own fields is empty."""
    fields = [field for field in fields]
    originals = {field: getattr(obj, field, "") for field in fields}
    translations = getattr(obj, "translations", None) or {}
    missing = []
    for code, _name in official_languages():
        if code == SOURCE_LANGUAGE:
            if not all(originals.values()):
                missing.append(code)
            continue
        texts = translations.get(code) or {}
        if any(originals[field] and not texts.get(field) for field in fields):
            missing.append(code)
    return missing


def clean_translations(value: dict, *, fields: Iterable[str]) -> dict:
    """The translations without empty texts and languages with nothing left, texts stripped:
    what a record stores."""
    fields = set(fields)
    cleaned = {}
    for code, texts in (value or {}).items():
        kept = {
            field: text.strip()
            for field, text in (texts or {}).items()
            if field in fields and isinstance(text, str) and text.strip()
        }
        if kept:
            cleaned[code] = kept
    return cleaned
