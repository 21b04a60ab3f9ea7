"""Asking for a staff report: who may download it, failures and retries, dead workers, saved
definitions and their monthly emails."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.jobs import MAX_ATTEMPTS, jobs_reap_expired
from core.models import Job
from reports import figures
from reports.models import ReportKind, ReportRequest, SavedReport
from reports.services import report_request_create, scheduled_reports_send
from tests.crm.factories import make_representative, make_staff

from .helpers import csv_bytes, embedded_csv, finished

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer():
    return make_staff("Pact officer")


@pytest.fixture
def done(officer):
    return finished(
        report_request_create(
            user=officer, kind=ReportKind.PACT_OVERVIEW, parameters={}, language="en"
        )
    )


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_staff_download_pdf_and_csv_and_the_pdf_carries_the_same_csv(client, officer, done):
    client.force_login(officer)
    page = client.get(done.get_absolute_url()).content.decode()
    assert reverse("reports:request_pdf", args=[done.pk]) in page
    pdf = client.get(reverse("reports:request_pdf", args=[done.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    downloaded_csv = _content(client.get(reverse("reports:request_csv", args=[done.pk])))
    assert downloaded_csv == csv_bytes(done)
    assert embedded_csv(_content(pdf)) == downloaded_csv


def test_a_representative_never_gets_a_staff_report(client, done):
    client.force_login(make_representative())
    for name in ("reports:request_pdf", "reports:request_csv", "reports:request_detail"):
        assert client.get(reverse(name, args=[done.pk])).status_code == 403
    # Nor through the generic job download, though it is a job like any other.
    assert client.get(reverse("core:job_download", args=[done.job.pk])).status_code == 404
    assert client.get(reverse("core:job_status", args=[done.job.pk])).status_code == 404


def test_a_representative_cannot_download_another_organisations_document(client, pledge_factory):
    pledge, owner = pledge_factory("published")
    client.force_login(owner)
    client.post(reverse("reports:pledge_pdf", args=[pledge.pk]))
    job = Job.objects.get(kind="reports.pledge_pdf")
    assert job.status == Job.Status.DONE
    client.force_login(make_representative())
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 200


def test_downloads_check_the_permission_every_time(client, officer, done):
    client.force_login(officer)
    assert client.get(reverse("reports:request_pdf", args=[done.pk])).status_code == 200
    officer.groups.clear()
    officer = type(officer).objects.get(pk=officer.pk)  # permissions are cached per object
    client.force_login(officer)
    assert client.get(reverse("reports:request_pdf", args=[done.pk])).status_code == 403
    assert client.get(reverse("core:job_download", args=[done.job.pk])).status_code == 404
    # Staff of another role, and a session without the second factor, are refused too.
    client.force_login(make_staff("Data-protection coordinator"))
    assert client.get(reverse("reports:request_csv", args=[done.pk])).status_code == 403
    client.force_login(make_staff("Pact officer"), mfa=False)
    response = client.get(reverse("reports:request_csv", args=[done.pk]))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_a_failed_render_is_reported_and_can_be_retried(client, officer, monkeypatch):
    def broken(filterset):
        raise RuntimeError("layout engine crashed")

    monkeypatch.setitem(figures.COMPUTE, ReportKind.PACT_OVERVIEW, broken)
    client.force_login(officer)
    response = client.post(
        reverse("reports:request_new", args=["pact_overview"]), {"language": "en"}
    )
    report_request = ReportRequest.objects.get()
    job = report_request.job
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Something went wrong while preparing this. Please try again." in page
    assert "crashed" not in page
    assert reverse("reports:request_retry", args=[report_request.pk]) in page
    assert client.get(reverse("reports:request_pdf", args=[report_request.pk])).status_code == 404

    monkeypatch.undo()
    client.post(reverse("reports:request_retry", args=[report_request.pk]))
    report_request = finished(report_request)
    assert report_request.job.pk != job.pk
    assert client.get(reverse("reports:request_pdf", args=[report_request.pk])).status_code == 200
    # A report that did not fail is not run again.
    client.post(reverse("reports:request_retry", args=[report_request.pk]))
    assert Job.objects.filter(kind="reports.staff_report").count() == 2


def _running_job(report_request, *, attempts, lease_expired=True):
    job = report_request.job
    job.status = Job.Status.RUNNING
    job.attempts = attempts
    job.progress = 45
    job.finished_at = None
    delta = timedelta(minutes=-1 if lease_expired else 5)
    job.lease_expires_at = timezone.now() + delta
    job.save()
    return job


def test_a_job_whose_worker_died_is_run_again(officer, done):
    job = _running_job(done, attempts=1)
    assert jobs_reap_expired() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    # Celery runs in-process here: the job was delivered again and finished.
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert job.lease_expires_at is not None


def test_a_job_that_keeps_dying_is_reported_failed(client, officer, done):
    job = _running_job(done, attempts=MAX_ATTEMPTS)
    client.force_login(officer)
    # The status the page polls notices the expired lease itself.
    data = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert data["status"] == "failed" and data["finished"]
    assert "several times" in data["message"]


def test_a_running_job_within_its_lease_is_left_alone(officer, done):
    job = _running_job(done, attempts=1, lease_expired=False)
    assert jobs_reap_expired() == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_saved_report_runs_in_one_click_and_is_sent_monthly(client, officer, done):
    colleague = make_staff("Events manager", email="colleague@example.eu")
    client.force_login(officer)
    response = client.post(
        reverse("reports:saved_create", args=[done.pk]),
        {"name": "Monthly overview", "schedule": "monthly", "recipients": colleague.email},
    )
    assert response["Location"] == reverse("reports:index")
    saved = SavedReport.objects.get()
    assert saved.recipients == ["colleague@example.eu"] and saved.kind == done.kind
    assert "Monthly overview" in client.get(reverse("reports:index")).content.decode()

    response = client.post(reverse("reports:saved_run", args=[saved.pk]))
    again = ReportRequest.objects.exclude(pk=done.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert finished(again).saved_report == saved

    mail.outbox.clear()
    today = datetime.date(2027, 1, 5)
    assert scheduled_reports_send(today=today) == {"sent": 1, "skipped": 0}
    sent = ReportRequest.objects.latest("pk")
    finished(sent)
    assert [message.to for message in mail.outbox] == [["colleague@example.eu"]]
    assert sent.get_absolute_url() in mail.outbox[0].body
    assert scheduled_reports_send(today=today + timedelta(days=3)) == {"sent": 0, "skipped": 0}
    assert scheduled_reports_send(today=datetime.date(2027, 2, 1))["sent"] == 1


def test_saved_report_refuses_recipients_who_are_not_report_staff(client, officer, done):
    client.force_login(officer)
    make_representative(email="someone@example.eu")
    response = client.post(
        reverse("reports:saved_create", args=[done.pk]),
        {"name": "Leak", "schedule": "monthly", "recipients": "someone@example.eu"},
        follow=True,
    )
    assert "is not a member of staff who may read reports" in response.content.decode()
    assert not SavedReport.objects.exists()
