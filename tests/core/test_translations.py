"""core.translations (the shape, validator and accessor of translatable database texts) and
core.translation_fields (the per-language editor)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from core.translation_fields import (
    TranslatedText,
    TranslationsField,
    split_source,
    translations_initial,
)
from core.translations import (
    clean_translations,
    language_name,
    missing_languages,
    normalise_language,
    official_languages,
    translated,
    validate_translated_texts,
)


def _record(**kwargs):
    return SimpleNamespace(title="Webinar", text="About the AI Act", translations={}, **kwargs)


def test_official_languages_are_the_24_with_english_first():
    languages = official_languages()
    assert len(languages) == 24
    assert languages[0] == ("en", "English")
    assert [code for code, _name in languages[1:]] == sorted(code for code, _n in languages[1:])
    assert language_name("sv") == "svenska"
    assert language_name("el") == "ελληνικά"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("sv", "sv"), ("pt-br", "pt"), ("EN_gb", "en"), ("", "en"), ("xx", "en")],
)
def test_normalise_language(given, expected):
    assert normalise_language(given) == expected


def test_translated_reads_the_language_and_falls_back_to_english():
    record = _record()
    record.translations = {"fr": {"title": "Webinaire"}, "de": {"title": ""}}
    assert translated(record, "title", "fr") == "Webinaire"
    assert translated(record, "text", "fr") == "About the AI Act"  # not translated: English
    assert translated(record, "title", "de") == "Webinar"  # empty: English
    assert translated(record, "title", "fr-be") == "Webinaire"
    with translation.override("fr"):
        assert translated(record, "title") == "Webinaire"


def test_missing_languages_lists_those_without_every_text():
    record = _record()
    record.translations = {
        code: {"title": "t", "text": "x"} for code, _name in official_languages() if code != "en"
    }
    assert missing_languages(record, ["title", "text"]) == []
    record.translations["sv"] = {"title": "Webbinarium"}
    del record.translations["mt"]
    assert missing_languages(record, ["title", "text"]) == ["mt", "sv"]
    record.text = ""
    assert "en" in missing_languages(record, ["title", "text"])


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"xx": {"title": "t"}},
        {"fr": "Webinaire"},
        {"fr": {"colour": "bleu"}},
        {"fr": {"title": 3}},
    ],
)
def test_the_validator_refuses_what_is_not_the_shape(value):
    with pytest.raises(ValidationError):
        validate_translated_texts(value, fields=("title", "text"))


def test_the_validator_accepts_the_shape():
    validate_translated_texts({"fr": {"title": "t"}, "ga": {"text": "x"}}, fields=("title", "text"))


def test_clean_translations_drops_empty_texts_and_languages():
    assert clean_translations(
        {"fr": {"title": " Webinaire ", "text": ""}, "de": {"title": "  "}, "it": {"x": "y"}},
        fields=["title", "text"],
    ) == {"fr": {"title": "Webinaire"}}


class EventForm(forms.Form):
    texts = TranslationsField(
        label="Title and description",
        texts=[
            TranslatedText("title", "Title", max_length=20),
            TranslatedText("text", "Description", multiline=True, required=False),
        ],
    )


def test_the_field_cleans_to_english_and_translations():
    form = EventForm(
        {
            "texts-en-title": " Webinar ",
            "texts-en-text": "About",
            "texts-sv-title": "Webbinarium",
            "texts-sv-text": "",
            "texts-el-title": "Σεμινάριο",
        }
    )
    assert form.is_valid(), form.errors
    english, translations = split_source(form.cleaned_data["texts"])
    assert english == {"title": "Webinar", "text": "About"}
    assert translations == {"sv": {"title": "Webbinarium"}, "el": {"title": "Σεμινάριο"}}


def test_the_field_needs_the_english_text_and_refuses_a_text_too_long():
    form = EventForm({"texts-en-title": "", "texts-fi-title": "x" * 21})
    assert not form.is_valid()
    errors = " ".join(form.errors["texts"])
    assert "Give the title in English." in errors
    assert "suomi: the title has more than 20 characters." in errors


def test_the_editor_shows_every_language_english_first_labelled_and_what_is_missing():
    record = _record()
    record.translations = {"sv": {"title": "Webbinarium", "text": "Om AI-förordningen"}}
    form = EventForm(initial={"texts": translations_initial(record, ["title", "text"])})
    html = Template("{% load ui %}{% field form.texts %}").render(Context({"form": form}))
    assert html.count("<textarea") == 24 and html.count('type="text"') == 24
    # English first, open, required; the others in their own name and language.
    assert html.index('name="texts-en-title"') < html.index('name="texts-bg-title"')
    assert 'value="Webinar"' in html and 'name="texts-en-title"' in html
    assert '<span lang="sv">svenska</span>' in html
    assert 'id="id_texts-sv-title"' in html and 'for="id_texts-sv-title"' in html
    assert 'lang="sv" maxlength="20"' in html
    assert "Missing in 22 languages" in html
    assert '<span lang="ga">Gaeilge</span>' in html
    # Swedish is complete: its group has no "missing" mark.
    swedish = html[html.index('<span lang="sv">svenska</span>') :][:200]
    assert "missing" not in swedish
    assert "<script" not in html and "style=" not in html  # nothing the CSP would block


def test_the_editor_keeps_what_was_typed_after_a_refusal():
    form = EventForm({"texts-en-title": "", "texts-da-title": "Webinar om AI"})
    assert not form.is_valid()
    html = Template("{% load ui %}{% field form.texts %}").render(Context({"form": form}))
    assert 'value="Webinar om AI"' in html
    assert 'role="alert"' in html and "Give the title in English." in html
