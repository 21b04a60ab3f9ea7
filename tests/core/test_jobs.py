import hashlib

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.jobs import JobResult, job_enqueue, job_kind
from core.models import Job
from tests.crm.factories import UserFactory


@job_kind("tests.greeting")
def _greeting(job, progress):
    progress(50, "Halfway")
    name = job.params["name"]
    return JobResult(
        filename="greeting.txt", content=f"Hello {name}".encode(), content_type="text/plain"
    )


@job_kind("tests.refusal")
def _refusal(job, progress):
    raise DomainError("The organisation has no published pledge.")


@job_kind("tests.crash")
def _crash(job, progress):
    raise RuntimeError("disk on fire")


@pytest.mark.django_db(transaction=True)
def test_job_runs_after_commit_and_stores_its_file_with_checksum(user):
    job = job_enqueue(kind="tests.greeting", user=user, params={"name": "Ada"})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert job.result_file.read() == b"Hello Ada"
    assert job.result_sha256 == hashlib.sha256(b"Hello Ada").hexdigest()
    assert job.started_at <= job.finished_at


@pytest.mark.django_db(transaction=True)
def test_refused_job_fails_with_the_domain_message(user):
    job = job_enqueue(kind="tests.refusal", user=user)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "The organisation has no published pledge."


@pytest.mark.django_db(transaction=True)
def test_crashed_job_fails_with_a_message_a_person_understands(user):
    job = job_enqueue(kind="tests.crash", user=user)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "disk" not in job.message
    assert "try again" in job.message


@pytest.mark.django_db(transaction=True)
def test_only_the_requester_can_see_and_download_a_job(client, user):
    job = job_enqueue(kind="tests.greeting", user=user, params={"name": "Ada"})
    client.force_login(UserFactory())
    assert client.get(reverse("core:job_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    client.force_login(user)
    status = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"]
    response = client.get(status["download_url"])
    assert b"".join(response.streaming_content) == b"Hello Ada"


def test_unknown_job_kind_is_a_programming_error(db, user):
    with pytest.raises(ValueError):
        job_enqueue(kind="tests.nope", user=user)


@job_kind("tests.superseded")
def _superseded(job, progress):
    # While this attempt works, its worker is presumed dead and the job is delivered again.
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    return JobResult(filename="late.txt", content=b"late", content_type="text/plain")


@pytest.mark.django_db
def test_a_redelivered_running_job_is_taken_over_and_finishes_once(user):
    from core.jobs import job_run

    job = Job.objects.create(kind="tests.greeting", params={"name": "Ada"}, created_by=user)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, progress=40)

    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert job.result_file.read() == b"Hello Ada"

    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 2


@pytest.mark.django_db
def test_an_attempt_overtaken_by_a_redelivery_stores_no_result(user):
    from core.jobs import job_run

    job = Job.objects.create(kind="tests.superseded", created_by=user)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert not job.result_file


@pytest.mark.django_db
def test_a_job_whose_worker_keeps_dying_fails_with_a_message(user):
    from core.jobs import MAX_ATTEMPTS, job_run

    job = Job.objects.create(kind="tests.greeting", params={"name": "Ada"}, created_by=user)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=MAX_ATTEMPTS)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "try again" in job.message
