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
from django.utils import translation
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


def _translated(language: str, *texts: str) -> list[str]:
    """The labels as the catalogue of `language` has them; each must differ from English."""
    with translation.override(language):
        labels = [translation.gettext(text) for text in texts]
    untranslated = [text for text, label in zip(texts, labels, strict=True) if text == label]
    assert not untranslated, f"{language} lacks {untranslated}"
    return labels


PLEDGE_LABELS = ("Planned actions", "Signed on", "Commitments", "Target date")


@pytest.mark.parametrize(
    ("language", "name"), [("fr", "Société Exemple IA"), ("de", "Beispiel KI GmbH")]
)
def test_a_pledge_pdf_has_its_labels_in_the_pledges_language(
    client, pledge_factory, language, name
):
    organisation = OrganisationFactory(name=name)
    pledge, representative = pledge_factory(
        "published", organisation=organisation, language=language
    )
    text = _pledge_pdf(client, pledge, representative)
    (title,) = _translated(language, "AI Pact pledge of %(name)s")
    labels = _translated(language, *PLEDGE_LABELS, "Provider and deployer", "Published")
    for label in (title % {"name": name}, *labels):
        assert _squeezed(label) in text, label
    for english in ("Planned actions", "Signed on", "Commitments", "AI role", "Page 1 of"):
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
    (title,) = _translated("de", "AI Pact progress report of %(name)s")
    labels = _translated("de", "What was done", "What was hard", "Partially rolled out")
    for label in (title % {"name": pledge.organisation.name}, *labels):
        assert _squeezed(label) in text, label
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
    (subject, hello) = _translated(
        "fr", "Your AI Pact pledge has been received: %(name)s", "Hello,"
    )
    assert subject % {"name": "Exemple IA SAS"} in message.subject
    assert "Your AI Pact pledge" not in message.subject
    assert hello in message.body and "Hello," not in message.body
    assert message.extra_headers["Content-Language"] == "fr"
