"""The translation catalogues (`locale/<code>/LC_MESSAGES/django.po`): what is missing in each
language, filling it from a translator's file, and the checks CI runs so that a string without
its translations in every official language fails the build.

Used by `manage.py catalogue` and by the catalogue test. polib is a development dependency,
imported where it is needed so that the running service never loads it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

SOURCE_LANGUAGE = "en"

# The plural rules of each official language, as gettext expects them in the catalogue's header
# (the CLDR rules, in the form the GNU gettext manual gives for each language).
PLURAL_FORMS = {
    "bg": "nplurals=2; plural=(n != 1);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "da": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "el": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "et": "nplurals=2; plural=(n != 1);",
    "fi": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ga": "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);",
    "hr": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "hu": "nplurals=2; plural=(n != 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "lt": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "mt": (
        "nplurals=4; plural=(n==1 ? 0 : n==0 || (n%100>1 && n%100<11) ? 1 : "
        "(n%100>10 && n%100<20) ? 2 : 3);"
    ),
    "nl": "nplurals=2; plural=(n != 1);",
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "pt": "nplurals=2; plural=(n != 1);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sl": ("nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"),
    "sv": "nplurals=2; plural=(n != 1);",
}

# %(name)s, %s, %d, %% and {name} / {0}: what Python fills in at run time.
_PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdfir]|%[sdfir]|%%|\{[A-Za-z0-9_]*\}")


def translated_languages() -> list[str]:
    """Every official language but the source one: each has a catalogue that must be complete."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def catalogue_path(code: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"


def entry_key(entry) -> str:
    """A short, stable name for an entry, for a translator's file: its context and text hashed."""
    source = f"{entry.msgctxt or ''}\x04{entry.msgid}"
    return hashlib.sha256(source.encode()).hexdigest()[:8]


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def load(code: str):
    import polib

    return polib.pofile(str(catalogue_path(code)), wrapwidth=0)


def set_header(catalogue, code: str) -> None:
    catalogue.metadata["Language"] = code
    catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[code]
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"


def nplurals(code: str) -> int:
    return int(PLURAL_FORMS[code].split(";")[0].split("=")[1])


def _live(catalogue):
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


def _is_done(entry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def todo(code: str) -> list[dict]:
    """The entries of one language that are untranslated or fuzzy, as a translator needs them."""
    items = []
    for entry in _live(load(code)):
        if _is_done(entry):
            continue
        item = {"k": entry_key(entry), "id": entry.msgid}
        if entry.msgctxt:
            item["ctx"] = entry.msgctxt
        if entry.msgid_plural:
            item["plural"] = entry.msgid_plural
            item["forms"] = nplurals(code)
        if entry.comment:
            item["note"] = entry.comment
        if entry.occurrences:
            item["at"] = entry.occurrences[0][0]
        items.append(item)
    return items


@dataclass
class FillResult:
    filled: int = 0
    problems: list[str] = field(default_factory=list)


def _check_translation(entry, translation, code: str) -> str | None:
    """Why a translation cannot go in, or None when it can."""
    if entry.msgid_plural:
        if not isinstance(translation, list) or len(translation) != nplurals(code):
            return f"needs a list of {nplurals(code)} plural forms"
        allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
        for form in translation:
            if not isinstance(form, str) or not form.strip():
                return "has an empty plural form"
            extra = set(placeholders(form)) - allowed
            if extra:
                return f"has placeholders the source does not: {sorted(extra)}"
        return None
    if not isinstance(translation, str) or not translation.strip():
        return "is empty"
    if placeholders(translation) != placeholders(entry.msgid):
        return (
            f"placeholders differ: source {placeholders(entry.msgid)}, "
            f"translation {placeholders(translation)}"
        )
    return None


def fill(code: str, translations: dict) -> FillResult:
    """Put a translator's `{key: text or [plural forms]}` into the catalogue of `code`."""
    catalogue = load(code)
    set_header(catalogue, code)
    by_key = {entry_key(entry): entry for entry in _live(catalogue)}
    result = FillResult()
    for key, translation in translations.items():
        entry = by_key.get(key)
        if entry is None:
            result.problems.append(f"{key}: no such entry (the catalogue changed?)")
            continue
        problem = _check_translation(entry, translation, code)
        if problem:
            result.problems.append(f"{key} ({entry.msgid[:60]!r}): {problem}")
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(translation))
        else:
            entry.msgstr = translation
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        result.filled += 1
    catalogue.save()
    return result


@dataclass
class CatalogueStatus:
    code: str
    total: int
    missing: list[str]
    fuzzy: list[str]
    wrong_placeholders: list[str]
    plural_forms_ok: bool

    @property
    def complete(self) -> bool:
        return (
            not self.missing
            and not self.fuzzy
            and not self.wrong_placeholders
            and self.plural_forms_ok
        )


def status(code: str) -> CatalogueStatus:
    catalogue = load(code)
    missing, fuzzy, wrong = [], [], []
    for entry in _live(catalogue):
        if "fuzzy" in entry.flags:
            fuzzy.append(entry.msgid)
        elif not _is_done(entry):
            missing.append(entry.msgid)
        else:
            translation = (
                [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
                if entry.msgid_plural
                else entry.msgstr
            )
            if _check_translation(entry, translation, code):
                wrong.append(entry.msgid)
    return CatalogueStatus(
        code=code,
        total=len(_live(catalogue)),
        missing=missing,
        fuzzy=fuzzy,
        wrong_placeholders=wrong,
        plural_forms_ok=catalogue.metadata.get("Plural-Forms", "").replace(" ", "")
        == PLURAL_FORMS[code].replace(" ", ""),
    )
