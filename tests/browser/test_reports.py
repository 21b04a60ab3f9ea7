"""Staff ask for a report in a real browser, watch its progress and download it."""

import pytest

from .support import TOTP_SECRET, axe_violations, screenshot, sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_ask_for_a_report_watch_the_progress_and_download_it(page, live_server, monkeypatch):
    from core import outbox
    from core.jobs import job_run
    from core.models import Job
    from reports.models import ReportRequest
    from tests.crm.factories import make_staff
    from tests.pact.factories import make_pledge  # noqa: F401 - the catalogue's fixtures

    # No worker yet: the job waits in the queue until the test plays the worker's part.
    started = []
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args, **kw: started.append(args))
    officer = make_staff("Pact officer")
    sign_in(page, live_server, officer.email, totp_secret=TOTP_SECRET)

    page.goto(url(live_server, "/reports/"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="AI Pact overview").click()
    page.get_by_label("HQ region").select_option("eu")
    page.get_by_label("Language of the report").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare the report").click()
    report_request = ReportRequest.objects.get()
    assert page.url.endswith(report_request.get_absolute_url())
    assert report_request.parameters == {"hq_region": "eu"}
    progress = page.locator("progress[data-job-progress]")
    assert page.locator("[data-job-status]").inner_text() == "Queued"

    # The worker starts and reports progress; the page follows it without a reload.
    job = report_request.job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40)
    page.wait_for_function("document.querySelector('progress').value === 40")
    assert page.locator("[data-job-status]").inner_text() == "Running"
    screenshot(page, "report-running")

    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, progress=0)
    job_run(job_id=job.pk)
    page.get_by_role("link", name="Download the PDF").wait_for()
    assert progress.count() == 0
    screenshot(page, "report-done")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, "report-done-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        assert handle.readline().strip() == "The AI Pact in figures"
