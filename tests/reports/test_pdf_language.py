"""The PDFs and the pact emails are in the pledge's (or recipient's) language, labels included.

The catalogues in locale/ are compiled here if their .mo files are missing or older than the
.po files, so the tests also run right after a checkout.
"""

import gettext
import io
import shutil

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real
from pypdf import PdfReader

from core.models import Job
from pact import services
from tests.crm.factories import OrganisationFactory, make_representative
from tests.pact.factories import make_pledge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_compiled_catalogues"),
]

LANGUAGES = ("fr", "de")


@pytest.fixture(scope="session")
def _compiled_catalogues():
    catalogues = [
        settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po" for code in LANGUAGES
    ]
    stale = [
        po
        for po in catalogues
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        if shutil.which("msgfmt") is None:
            pytest.skip("gettext's msgfmt is not installed: the catalogues cannot be compiled")
        call_command("compilemessages", locale=list(LANGUAGES), verbosity=0)
    # A catalogue loaded before the .mo files existed (or changed) is cached: forget it.
    trans_real._translations = {}
    trans_real._default = None
    gettext._translations.clear()


def _pdf_text(job: Job) -> str:
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    reader = PdfReader(io.BytesIO(job.result_file.read()))
    # Without any white space: extraction splits some words ("T eilweise") and joins lines.
    return _squeezed(" ".join(page.extract_text() for page in reader.pages))


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _pledge_pdf(client, pledge, representative) -> str:
    client.force_login(representative)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    return _pdf_text(Job.objects.get(kind="reports.pledge_pdf"))


def test_french_pledge_pdf_has_french_labels(client, pledge_factory):
    organisation = OrganisationFactory(name="Société Exemple IA")
    pledge, representative = pledge_factory("published", organisation=organisation, language="fr")
    text = _pledge_pdf(client, pledge, representative)
    for label in (
        "Engagement de Société Exemple IA au titre du pacte sur l'IA",
        "Bureau européen de l'IA · Pacte sur l'IA",
        "Statut",
        "Actions prévues",
        "Date de signature",
        "Engagements",
        "Fournisseur et déployeur",  # the AI role, a model choice label
        "Publié",
        "Page 1 sur",
    ):
        assert _squeezed(label) in text
    for english in ("Planned actions", "Signed on", "Commitments", "AI role", "Page 1 of"):
        assert _squeezed(english) not in text


def test_german_pledge_pdf_has_german_labels(client, pledge_factory):
    organisation = OrganisationFactory(name="Beispiel KI GmbH")
    pledge, representative = pledge_factory("published", organisation=organisation, language="de")
    text = _pledge_pdf(client, pledge, representative)
    for label in (
        "Verpflichtungserklärung von Beispiel KI GmbH zum KI-Pakt",
        "Europäisches KI-Büro · KI-Pakt",
        "Geplante Maßnahmen",
        "Unterzeichnet am",
        "Verpflichtungen",
        "Unterschrift",
        "Anbieter und Betreiber",
        "Veröffentlicht",
        "Seite 1 von",
    ):
        assert _squeezed(label) in text
    for english in ("Planned actions", "Signed on", "Commitments", "Signature", "Page 1 of"):
        assert _squeezed(english) not in text


def test_german_progress_report_pdf_has_german_labels(client, pledge_factory):
    pledge, representative = pledge_factory("published", language="de")
    report = services.progress_report_start(
        user=representative, pledge=pledge, today=pledge.next_report_due
    )
    report = services.progress_report_save(
        user=representative,
        report=report,
        version=report.version,
        difficulties="Personal finden",
        items={item.pk: ("partial", "Schulungen begonnen") for item in report.items.all()},
        submit=True,
    )
    client.force_login(representative)
    client.post(reverse("reports:progress_report_pdf", args=[report.pk]))
    text = _pdf_text(Job.objects.get(kind="reports.progress_report_pdf"))
    for label in (
        "Fortschrittsbericht von",
        "zum KI-Pakt",
        "Durchgeführte Maßnahmen",
        "Aufgetretene Schwierigkeiten",
        "Teilweise umgesetzt",
    ):
        assert _squeezed(label) in text
    for english in ("What was done", "What was hard", "Partially rolled out"):
        assert _squeezed(english) not in text


def test_pledge_email_in_french_has_a_french_subject(
    pact_officer, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Exemple IA SAS")
    representative = make_representative(organisation)
    representative.person.preferred_language = "fr"
    representative.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_pledge(organisation, representative, status="submitted", reviewer=pact_officer)
    (message,) = [m for m in mail.outbox if m.to == [representative.email]]
    assert "Votre engagement au titre du pacte sur l'IA a bien été reçu : Exemple IA SAS" in (
        message.subject
    )
    assert "Your AI Pact pledge" not in message.subject
    assert "Madame, Monsieur," in message.body and "Bureau européen de l'IA" in message.body
    html = message.alternatives[0][0]
    assert "Consulter dans le service en ligne du Bureau de l&#x27;IA" in html or (
        "Consulter dans le service en ligne du Bureau de l'IA" in html
    )
