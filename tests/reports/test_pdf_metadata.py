import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from core.models import Job
from reports.models import ReportKind
from reports.services import report_request_create
from tests.crm.factories import make_staff

from .helpers import finished, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_signed_pledge_is_pdf_a_3a(client, pledge_factory):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    job = Job.objects.get(kind="reports.pledge_pdf")
    assert job.status == Job.Status.DONE, job.message
    with job.result_file.open("rb") as handle:
        content = handle.read()
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp  # archival, tagged
    assert reader.trailer["/Root"]["/OutputIntents"]  # the colour profile PDF/A requires
    assert pledge.organisation.name in " ".join(pdf_text(content).split())


def test_a_report_pdf_has_title_language_author_and_numbered_pages():
    report_request = finished(
        report_request_create(
            user=make_staff("Pact officer"),
            kind=ReportKind.PACT_OVERVIEW,
            parameters={},
            language="fr",
        )
    )
    content = pdf_bytes(report_request)
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata["/Title"] == report_request.title
    with translation.override("fr"):
        author, page, of = gettext("European AI Office"), gettext("Page"), gettext("of")
    assert reader.metadata["/Author"] == author
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    pages = len(reader.pages)
    assert pages > 2
    text = pdf_text(content)
    assert f"{page} 2 {of} {pages}" in text and f"{page} {pages} {of} {pages}" in text
