"""A real Celery worker process runs a queued job and sends an email through the broker.

Runs on PostgreSQL with CELERY_BROKER_URL set (the worker must see the test database);
skipped elsewhere with the reason, and a failure instead when REQUIRE_CELERY_WORKER_TESTS=1
(see `pytest_runtest_setup` in tests/conftest.py).
"""

import fcntl
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core.email import email_enqueue
from core.jobs import job_enqueue
from core.models import Job, OutboxTask
from tests.worker_jobs import CELERY, ECHO_KIND, SLOW_ONCE_KIND

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_worker_test_at_a_time"),
]

ROOT = settings.BASE_DIR


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def one_worker_test_at_a_time():
    """Workers of tests running in parallel (pytest -n) would take each other's tasks from
    the shared broker and not find them in their own test database: take turns."""
    digest = hashlib.sha256(settings.CELERY_BROKER_URL.encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"celery-worker-tests-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _start_worker(tmp_path, name: str = "worker", **extra_env):
    """A `celery -A config worker` on the test database; returns (process, pidfile, log)."""
    pidfile = tmp_path / f"{name}.pid"
    log = tmp_path / f"{name}.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    command = [
        str(CELERY),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        f"--hostname={name}-{os.getpid()}@%h",
        f"--pidfile={pidfile}",
        f"--logfile={log}",
        "--include=tests.worker_jobs",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _wait_for(lambda: "ready." in _read(log) or process.poll() is not None, 30)
    assert process.poll() is None, f"the worker exited:\n{_read(log)}"
    return process, pidfile, log


def _stop_worker(process, pidfile):
    if process.poll() is not None:
        return
    pid = int(pidfile.read_text()) if pidfile.exists() else process.pid
    os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def worker(tmp_path):
    """A real worker, stopped by its pidfile."""
    process, pidfile, log = _start_worker(tmp_path)
    try:
        yield {"mail": tmp_path / "mail", "log": log}
    finally:
        _stop_worker(process, pidfile)


def _read(path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def broker_mode():
    """tests/conftest.py makes tasks eager; this test must send them to the broker."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_real_worker_runs_a_job_and_sends_an_email(worker, broker_mode, user, tmp_path, settings):
    templates = tmp_path / "templates" / "t"
    templates.mkdir(parents=True)
    (templates / "hello.subject.txt").write_text("Hello from the worker")
    (templates / "hello.txt").write_text("Hello {{ name }}")
    (templates / "hello.html").write_text("<p>Hello {{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]

    job = job_enqueue(kind=ECHO_KIND, user=user, params={"text": "hello"})
    email_enqueue(to=user.email, template="t/hello", context={"name": "Ada"})

    finished = _wait_for(
        lambda: Job.objects.get(pk=job.pk).status in {Job.Status.DONE, Job.Status.FAILED}, 30
    )
    job.refresh_from_db()
    assert finished, f"the job is still {job.status}:\n{_read(worker['log'])}"
    assert job.status == Job.Status.DONE, job.message
    assert job.result_data["echo"] == "hello"
    assert job.result_data["pid"] != os.getpid()
    assert job.progress == 100

    assert _wait_for(lambda: worker["mail"].exists() and any(worker["mail"].iterdir()), 30)
    sent = "".join(_read(path) for path in worker["mail"].iterdir())
    assert f"To: {user.email}" in sent
    assert "[AI Office] Hello from the worker" in sent
    assert "Hello Ada" in sent


def test_a_job_whose_worker_is_killed_mid_task_completes_once_on_a_new_worker(
    broker_mode, user, tmp_path
):
    # Redis gives an unacknowledged message to another worker after the visibility timeout.
    # The killed attempt's lease must have run out too, or the redelivery is a duplicate.
    quick_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "2", "JOB_LEASE_SECONDS": "2"}
    first, first_pidfile, first_log = _start_worker(tmp_path, "first", **quick_redelivery)
    second = None
    try:
        job = job_enqueue(kind=SLOW_ONCE_KIND, user=user)
        started = _wait_for(lambda: Job.objects.get(pk=job.pk).message == "first attempt", 30)
        assert started, _read(first_log)

        os.kill(int(first_pidfile.read_text()), signal.SIGKILL)
        first.wait(timeout=10)
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.attempts == 1
        time.sleep(3)  # past the visibility timeout

        second, second_pidfile, second_log = _start_worker(tmp_path, "second", **quick_redelivery)
        finished = _wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, 60)
        job.refresh_from_db()
        assert finished, f"the job is still {job.status}:\n{_read(second_log)}"
        assert job.status == Job.Status.DONE, job.message
        assert job.attempts == 2
        assert job.result_data["attempt"] == 2
        assert job.result_data["pid"] == int(second_pidfile.read_text())
        assert job.result_file.read() == b"attempt 2"
        results = list((tmp_path / "media" / "jobs").rglob("*"))
        assert [path.name for path in results if path.is_file()] == [
            job.result_file.name.rsplit("/", 1)[-1]
        ]
        assert OutboxTask.objects.get().sent_at is not None
    finally:
        _stop_worker(first, first_pidfile)
        if second is not None:
            _stop_worker(second, second_pidfile)


def test_a_job_whose_worker_died_without_redelivery_is_started_again_by_the_lease(
    broker_mode, user, tmp_path
):
    """The broker would hand the task on only after an hour; the lease notices sooner."""
    from core.jobs import jobs_reap_expired

    no_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "3600", "JOB_LEASE_SECONDS": "2"}
    first, first_pidfile, first_log = _start_worker(tmp_path, "first", **no_redelivery)
    second = None
    try:
        job = job_enqueue(kind=SLOW_ONCE_KIND, user=user)
        started = _wait_for(lambda: Job.objects.get(pk=job.pk).message == "first attempt", 30)
        assert started, _read(first_log)
        os.kill(int(first_pidfile.read_text()), signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(3)  # past the lease
        second, second_pidfile, second_log = _start_worker(tmp_path, "second", **no_redelivery)
        assert jobs_reap_expired() == {"requeued": 1, "failed": 0}
        finished = _wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, 60)
        job.refresh_from_db()
        assert finished, f"the job is still {job.status}:\n{_read(second_log)}"
        assert job.status == Job.Status.DONE and job.attempts == 2, job.message
        assert job.result_data["pid"] == int(second_pidfile.read_text())
    finally:
        _stop_worker(first, first_pidfile)
        if second is not None:
            _stop_worker(second, second_pidfile)


def test_real_worker_renders_a_staff_report(worker, broker_mode):
    from reports.models import ReportKind
    from reports.services import report_request_create
    from tests.crm.factories import make_staff

    report_request = report_request_create(
        user=make_staff("Pact officer"),
        kind=ReportKind.PACT_OVERVIEW,
        parameters={},
        language="en",
    )
    job = report_request.job
    finished = _wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, 60)
    job.refresh_from_db()
    assert finished, f"the job is still {job.status}:\n{_read(worker['log'])}"
    assert job.status == Job.Status.DONE, job.message
    assert job.result_name.endswith(".pdf") and len(job.result_sha256) == 64
    report_request.refresh_from_db()
    assert report_request.csv_name.endswith(".csv") and report_request.title
