import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from pact import services
from tests.crm.factories import OrganisationFactory, make_representative

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(job: Job) -> str:
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    reader = PdfReader(io.BytesIO(job.result_file.read()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _text_flat(text: str) -> str:
    return " ".join(text.split())


def test_representative_downloads_the_signed_pledge_with_every_commitment(client, pledge_factory):
    organisation = OrganisationFactory(name="Ελληνική Τεχνητή Νοημοσύνη ΑΕ")
    pledge, representative = pledge_factory(
        "published", organisation=organisation, extra_codes=["DEPL-5", "PROV-7"]
    )
    client.force_login(representative)
    response = client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    job = Job.objects.get(kind="reports.pledge_pdf")
    assert response["Location"] == job.get_absolute_url()
    assert job.created_by == representative and job.language == pledge.language
    assert job.subject == pledge
    text, pages = _pdf_text(job)
    flat = _text_flat(text)
    assert "Ελληνική Τεχνητή Νοημοσύνη ΑΕ" in flat
    for row in pledge.commitments.all():
        assert row.commitment.code in flat
        assert f"Actions for {row.commitment.code}" in flat
    assert "Ada Lovelace" in flat
    assert f"Page 1 of {pages}" in flat
    assert len(job.result_sha256) == 64
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_pledge_pdf_is_in_the_language_of_the_pledge(client, pledge_factory):
    pledge, representative = pledge_factory("submitted", language="fr")
    client.force_login(representative)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    text, _pages = _pdf_text(Job.objects.get())
    flat = _text_flat(text)
    assert "Adopter une stratégie de gouvernance" in flat
    assert "Belgique" in flat


def test_progress_report_pdf(client, pledge_factory, pact_officer):
    pledge, representative = pledge_factory("published")
    report = services.progress_report_start(
        user=representative, pledge=pledge, today=pledge.next_report_due
    )
    items = {item.pk: ("full", f"Narrative {item.pk}") for item in report.items.all()}
    report = services.progress_report_save(
        user=representative,
        report=report,
        version=report.version,
        difficulties="Hard to hire",
        items=items,
        submit=True,
    )
    client.force_login(pact_officer)
    client.post(reverse("reports:progress_report_pdf", args=[report.pk]))
    job = Job.objects.get(kind="reports.progress_report_pdf")
    text, _pages = _pdf_text(job)
    flat = _text_flat(text)
    assert pledge.organisation.name in flat and "Hard to hire" in flat
    for pk in items:
        assert f"Narrative {pk}" in flat
    assert job.created_by == pact_officer


def test_other_organisations_representative_cannot_request_or_see_the_pdf(client, pledge_factory):
    pledge, representative = pledge_factory("submitted")
    client.force_login(representative)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    job = Job.objects.get()
    client.force_login(make_representative(OrganisationFactory()))
    assert client.post(reverse("reports:pledge_pdf", args=[pledge.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    colleague = make_representative(pledge.organisation)
    client.force_login(colleague)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 200


def test_draft_pledge_has_no_pdf(client, pledge_factory):
    pledge, representative = pledge_factory("draft")
    client.force_login(representative)
    response = client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    assert response.status_code == 302 and not Job.objects.exists()


def test_staff_list_of_generated_documents(
    client, pledge_factory, pact_officer, django_assert_max_num_queries
):
    pledge, representative = pledge_factory("submitted")
    client.force_login(representative)
    for _ in range(3):
        client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    assert client.get(reverse("reports:document_list")).status_code == 403
    client.force_login(pact_officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("reports:document_list"))
    content = page.content.decode()
    assert content.count(representative.email) == 3
    assert Job.objects.first().result_sha256[:10] in content
    earlier = client.get(reverse("reports:pledge_pdf", args=[pledge.pk]))
    assert earlier.status_code == 200 and len(earlier.context["documents"]) == 3
