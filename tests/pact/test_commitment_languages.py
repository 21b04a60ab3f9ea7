"""The commitment catalogue in the 24 official languages: the data file, the data migration's
filling of an existing catalogue, and a signed pledge's PDF in the pledge's language."""

import io
import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from pact.catalogue import DATA_DIR, catalogue_translations, catalogue_translations_fill
from pact.models import Commitment

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_the_data_file_has_every_commitment_in_the_23_other_languages():
    with open(DATA_DIR / "ai_pact_commitments.json", encoding="utf-8") as handle:
        codes = [entry["code"] for entry in json.load(handle)]
    translations = catalogue_translations()
    assert sorted(translations) == sorted(codes)
    for code in codes:
        assert sorted(translations[code]) == sorted(c for c in LANGUAGES if c != "en"), code
        for language, texts in translations[code].items():
            assert set(texts) == {"text"}
            assert texts["text"].strip() == texts["text"] and len(texts["text"]) > 20, (
                code,
                language,
            )


@pytest.mark.django_db
def test_every_commitment_of_the_catalogue_has_its_text_in_all_24_languages():
    commitments = Commitment.objects.filter(is_current=True)
    assert commitments.count() == 18
    for commitment in commitments:
        assert commitment.missing_languages == [], commitment.code
        texts = {commitment.text_in(code) for code in LANGUAGES}
        assert len(texts) == 24, commitment.code  # no language falls back to English


@pytest.mark.django_db
def test_the_translations_use_the_ai_act_terms_of_each_language():
    # Deployer, high-risk, human oversight and AI literacy as the Regulation names them.
    assert "idriftsætter" in Commitment.objects.get(code="PROV-4", is_current=True).text_in("da")
    assert "Betreiber" in Commitment.objects.get(code="PROV-4", is_current=True).text_in("de")
    assert "déployeurs" in Commitment.objects.get(code="PROV-4", is_current=True).text_in("fr")
    assert "hög risk" in Commitment.objects.get(code="CORE-2", is_current=True).text_in("sv")
    assert "AI-kunnigheten" in Commitment.objects.get(code="CORE-3", is_current=True).text_in("sv")
    assert "ljudski nadzor" in Commitment.objects.get(code="DEPL-2", is_current=True).text_in("hr")
    assert "γραμματισμού" in Commitment.objects.get(code="CORE-3", is_current=True).text_in("el")


@pytest.mark.django_db
def test_filling_an_existing_catalogue_converts_nothing_staff_wrote_and_adds_what_is_missing():
    literacy = Commitment.objects.get(code="CORE-3", is_current=True)
    literacy.translations = {"fr": {"text": "Texte corrigé par le bureau"}}
    literacy.save()
    reworded = Commitment.objects.get(code="DEPL-2", is_current=True)
    reworded.text = "Ensure human oversight, reworded by staff"
    reworded.translations = {}
    reworded.save()

    assert catalogue_translations_fill(Commitment) == 1

    literacy.refresh_from_db()
    reworded.refresh_from_db()
    assert literacy.text_in("fr") == "Texte corrigé par le bureau"  # staff's text is kept
    assert literacy.missing_languages == []
    assert reworded.translations == {}  # a new English wording is not what the file translates
    assert catalogue_translations_fill(Commitment) == 0  # a second run changes nothing


@pytest.mark.django_db
def test_the_data_migration_turns_flat_translations_into_the_shared_shape():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("pact.migrations.0003_commitment_translations_all_languages")
    commitment = Commitment.objects.get(code="PROV-1", is_current=True)
    Commitment.objects.filter(pk=commitment.pk).update(translations={"fr": "Ancien texte"})
    migration.forwards(apps, None)
    commitment.refresh_from_db()
    assert commitment.translations["fr"] == {"text": "Ancien texte"}
    assert commitment.missing_languages == []


@pytest.mark.django_db
def test_load_commitments_command_fills_the_languages_a_catalogue_lacks():
    Commitment.objects.filter(code="CORE-1").update(translations={})
    out = io.StringIO()
    call_command("load_commitments", stdout=out)
    assert "1 commitments given more languages" in out.getvalue()
    assert Commitment.objects.get(code="CORE-1", is_current=True).missing_languages == []


@pytest.mark.django_db(transaction=True)
def test_a_swedish_pledge_pdf_shows_the_commitments_in_swedish(client, pledge_factory, tmp_path):
    pledge, representative = pledge_factory(
        "published", language="sv", extra_codes=("DEPL-2", "DEPL-5", "PROV-6")
    )
    client.force_login(representative)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    job = Job.objects.get(kind="reports.pledge_pdf")
    assert job.status == Job.Status.DONE, job.message
    content = job.result_file.read()
    text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    for code in ("CORE-1", "CORE-3", "DEPL-2", "DEPL-5", "PROV-6"):
        swedish = Commitment.objects.get(code=code, is_current=True).text_in("sv")
        assert "".join(swedish.split())[:60] in text, code
    english = Commitment.objects.get(code="DEPL-2", is_current=True).text
    assert "".join(english.split()) not in text
    # Archival (PDF/A-3a) and tagged for screen readers, in Swedish.
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert 'pdfaid:conformance="A"' in root["/Metadata"].get_object().get_data().decode()
    if shutil.which("pdftoppm"):
        # The pages render (fonts with å, ä, ö embedded); the PNGs are there to be looked at.
        pdf = tmp_path / "pledge-sv.pdf"
        pdf.write_bytes(content)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))
