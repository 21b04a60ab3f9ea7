"""Commitment translations take the shape every translatable record uses
({"fr": {"text": "…"}}, see core.translations) and the catalogue gains its texts in all 24
official languages (pact/data/commitment_translations.json)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from pact.catalogue import catalogue_translations_fill

    Commitment = apps.get_model("pact", "Commitment")
    for commitment in Commitment.objects.all():
        translations = commitment.translations or {}
        nested = {
            code: ({"text": value} if isinstance(value, str) else value)
            for code, value in translations.items()
            if value
        }
        if nested != translations:
            commitment.translations = nested
            commitment.save(update_fields=["translations"])
    catalogue_translations_fill(Commitment)


def backwards(apps, schema_editor):
    Commitment = apps.get_model("pact", "Commitment")
    for commitment in Commitment.objects.all():
        flat = {
            code: value.get("text", "") if isinstance(value, dict) else value
            for code, value in (commitment.translations or {}).items()
        }
        commitment.translations = {code: text for code, text in flat.items() if text}
        commitment.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("pact", "0002_load_commitment_catalogue")]

    operations = [migrations.RunPython(forwards, backwards)]
