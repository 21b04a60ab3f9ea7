"""Load the commitment catalogue from pact/data (used by the data migrations and by
`manage.py load_commitments`).

`ai_pact_commitments.json` holds the commitments in English; `commitment_translations.json`
their texts in the 23 other official languages, shaped as the `translations` field stores them
(`{"CORE-1": {"fr": {"text": "…"}, …}, …}`, see `core.translations`).
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# The Act's provisions each commitment anticipates (Regulation (EU) 2024/1689).
AI_ACT_ARTICLES = {
    "CORE-1": "Art. 17, Art. 26",
    "CORE-2": "Art. 6, Annex III",
    "CORE-3": "Art. 4",
    "PROV-1": "Art. 9",
    "PROV-2": "Art. 10",
    "PROV-3": "Art. 12",
    "PROV-4": "Art. 13",
    "PROV-5": "Art. 9, Art. 14",
    "PROV-6": "Art. 50(1)",
    "PROV-7": "Art. 50(2)",
    "PROV-8": "Art. 50(2), Art. 50(4)",
    "PROV-9": "Art. 50(4)",
    "DEPL-1": "Art. 27",
    "DEPL-2": "Art. 14, Art. 26(2)",
    "DEPL-3": "Art. 50(4)",
    "DEPL-4": "Art. 50(4)",
    "DEPL-5": "Art. 26(7)",
    "DEPL-6": "Art. 26(11), Art. 86",
}


def catalogue_translations() -> dict[str, dict]:
    """{code: translations} of every commitment of the data file."""
    with open(DATA_DIR / "commitment_translations.json", encoding="utf-8") as handle:
        translations = json.load(handle)
    return {code: texts for code, texts in translations.items() if not code.startswith("_")}


def catalogue_entries() -> list[dict]:
    with open(DATA_DIR / "ai_pact_commitments.json", encoding="utf-8") as handle:
        entries = json.load(handle)
    translations = catalogue_translations()
    rows = []
    for order, entry in enumerate(entries, start=1):
        code = entry["code"]
        rows.append(
            {
                "code": code,
                "category": entry["category"],
                "text": entry["text"],
                "ai_act_article": entry.get("ai_act_article") or AI_ACT_ARTICLES.get(code, ""),
                "source": entry.get("source") or "",
                "verified": bool(entry.get("verified")),
                "translations": translations.get(code, {}),
                "order": order,
            }
        )
    return rows


def catalogue_load(commitment_model) -> int:
    """Create the commitments of the catalogue that do not exist yet; returns how many.

    Takes the model so that a migration can pass its historical model.
    """
    created = 0
    for row in catalogue_entries():
        if commitment_model.objects.filter(code=row["code"]).exists():
            continue
        commitment_model.objects.create(version=1, is_current=True, **row)
        created += 1
    return created


def catalogue_translations_fill(commitment_model) -> int:
    """Give every commitment of the catalogue the languages it lacks from the data file; returns
    how many commitments gained a language.

    Only a commitment whose English text is still the data file's gets them (a wording that
    staff changed is not what the file translates), and a language it already has, perhaps
    corrected by staff, is kept. Adding a translation never changes a signed pledge: a pledge
    keeps the text it was signed with (`PledgeCommitment.text`).
    """
    english = {row["code"]: row["text"] for row in catalogue_entries()}
    translations = catalogue_translations()
    updated = 0
    for commitment in commitment_model.objects.filter(code__in=list(english)):
        if commitment.text.strip() != english[commitment.code].strip():
            continue
        current = dict(commitment.translations or {})
        missing = {
            code: texts
            for code, texts in translations.get(commitment.code, {}).items()
            if not (current.get(code) or {}).get("text")
        }
        if not missing:
            continue
        current.update(missing)
        commitment.translations = current
        commitment.save(update_fields=["translations"])
        updated += 1
    return updated
