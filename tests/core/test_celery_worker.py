"""A real Celery worker process runs a queued job and sends an email through the broker.

Runs on PostgreSQL with CELERY_BROKER_URL set (the worker must see the test database);
skipped elsewhere with the reason, and a failure instead when REQUIRE_CELERY_WORKER_TESTS=1
(see `pytest_runtest_setup` in tests/conftest.py).
"""

import os
import signal
import subprocess
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core.email import email_enqueue
from core.jobs import job_enqueue
from core.models import Job
from tests.worker_jobs import CELERY, ECHO_KIND

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = settings.BASE_DIR


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A `celery -A config worker` on the test database, stopped by its pidfile."""
    pidfile = tmp_path / "worker.pid"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
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
        f"--hostname=test-{os.getpid()}@%h",
        f"--pidfile={pidfile}",
        f"--logfile={log}",
        "--include=tests.worker_jobs",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_for(lambda: "ready." in _read(log) or process.poll() is not None, 30)
        assert process.poll() is None, f"the worker exited:\n{_read(log)}"
        yield {"mail": tmp_path / "mail", "log": log}
    finally:
        pid = int(pidfile.read_text()) if pidfile.exists() else process.pid
        os.kill(pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


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
