"""The glossary of the AI Act's terms (docs/glossary/) covers every official language, and the
commitment catalogue speaks of deployers in each language's own term."""

import json

from django.conf import settings

from pact.catalogue import catalogue_translations

GLOSSARY = settings.BASE_DIR / "docs" / "glossary" / "glossary.json"


def _glossary():
    return json.loads(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_has_every_term_in_the_23_other_languages():
    glossary = _glossary()
    assert len(glossary["terms"]) == 16
    assert sorted(glossary["languages"]) == sorted(
        code for code, _name in settings.LANGUAGES if code != "en"
    )
    for code, terms in glossary["languages"].items():
        assert len(terms) == 16 and all(term.strip() for term in terms), code
    readme = (GLOSSARY.parent / "README.md").read_text(encoding="utf-8")
    for code, terms in glossary["languages"].items():
        for term in terms:
            assert term in readme, (code, term)


def test_the_commitments_for_deployers_use_each_languages_term_for_deployer():
    glossary = _glossary()
    deployer = glossary["terms"].index("deployer")
    translations = catalogue_translations()
    for code, terms in glossary["languages"].items():
        stem = terms[deployer].split()[0][:4].lower()
        text = translations["PROV-4"][code]["text"].lower()
        assert stem in text, (code, terms[deployer])
