"""Every user-facing string is translated into every official language: the catalogues hold
every string the code marks, and none of the 23 translated languages lacks one, has a fuzzy one
or changes a placeholder. `manage.py catalogue` (docs/i18n.md) lists and fills what is missing."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from core import catalogues
from core.management.commands.catalogue import IGNORED

LANGUAGES = catalogues.translated_languages()


def test_there_is_a_catalogue_for_each_of_the_23_languages_besides_english():
    assert len(LANGUAGES) == 23
    for code in LANGUAGES:
        assert catalogues.catalogue_path(code).exists(), code


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_catalogue_is_complete(code):
    status = catalogues.status(code)
    assert status.plural_forms_ok, f"{code}: the Plural-Forms header is not the language's rule"
    assert not status.missing, f"{code}: {len(status.missing)} untranslated: {status.missing[:5]}"
    assert not status.fuzzy, f"{code}: {len(status.fuzzy)} fuzzy: {status.fuzzy[:5]}"
    assert not status.wrong_placeholders, (
        f"{code}: placeholders differ from the source: {status.wrong_placeholders[:5]}"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_string_the_code_marks(tmp_path, monkeypatch):
    """A string added to the code without `manage.py catalogue update` (and its translations)
    fails here: the strings collected afresh must all be in the catalogues."""
    # makemessages writes next to the nearest `locale` folder: collect from a tree of links
    # to the sources that has none, into a scratch catalogue.
    root = Path(settings.BASE_DIR)
    sources = tmp_path / "sources"
    sources.mkdir()
    for child in root.iterdir():
        if child.is_dir() and child.name not in {*IGNORED, "locale", "media", "private"}:
            if not child.name.startswith("."):
                (sources / child.name).symlink_to(child)
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[tmp_path / "out"]):
        call_command(
            "makemessages",
            locale=["sv"],
            ignore_patterns=IGNORED,
            symlinks=True,
            no_wrap=True,
            verbosity=0,
        )
    import polib

    def keys(path):
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}

    fresh = keys(tmp_path / "out" / "sv" / "LC_MESSAGES" / "django.po") - {(None, "")}
    stored = keys(catalogues.catalogue_path("sv"))
    assert len(fresh) > 2000
    missing = sorted(msgid for _ctx, msgid in fresh - stored)
    assert not missing, f"{len(missing)} strings not in the catalogues: {missing[:10]}"


def test_fill_refuses_a_changed_placeholder_and_keeps_the_rest(tmp_path, settings):
    source = catalogues.catalogue_path("sv").read_text(encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    target = catalogues.catalogue_path("sv")
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    entries = [e for e in catalogues.load("sv") if "%(" in e.msgid and not e.msgid_plural]
    good, bad = entries[0], entries[1]
    result = catalogues.fill(
        "sv",
        {
            catalogues.entry_key(good): good.msgid,
            catalogues.entry_key(bad): "utan platshållare",
            "00000000": "okänd",
        },
    )
    assert result.filled == 1
    assert len(result.problems) == 2
    reloaded = {e.msgid: e for e in catalogues.load("sv")}
    assert reloaded[good.msgid].msgstr == good.msgid
    assert reloaded[bad.msgid].msgstr == bad.msgstr
