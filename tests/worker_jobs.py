"""A tiny job kind for tests/core/test_celery_worker.py.

The real worker imports this module (`celery -A config worker --include tests.worker_jobs`)
so that it knows the kind the test enqueues.
"""

import os
import sys
import time
from pathlib import Path

from django.conf import settings

from core.jobs import JobResult, job_kind

ECHO_KIND = "tests.worker_echo"
SLOW_ONCE_KIND = "tests.worker_slow_once"
CELERY = Path(sys.executable).with_name("celery")


@job_kind(ECHO_KIND)
def worker_echo(job, progress):
    progress(50, "halfway")
    return JobResult(data={"echo": job.params.get("text", ""), "pid": os.getpid()})


@job_kind(SLOW_ONCE_KIND)
def worker_slow_once(job, progress):
    """Hangs on its first attempt (so a test can kill the worker mid-task), then finishes."""
    if job.attempts == 1:
        progress(10, "first attempt")
        time.sleep(120)
    return JobResult(
        filename="result.txt",
        content=f"attempt {job.attempts}".encode(),
        content_type="text/plain",
        data={"attempt": job.attempts, "pid": os.getpid()},
    )


def worker_missing_reason() -> str:
    """Why a real Celery worker cannot be tested here, or "" when it can."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return (
            "needs PostgreSQL shared with a worker process: set DATABASE_URL=postgres://... "
            "and CELERY_BROKER_URL=redis://...; REQUIRE_CELERY_WORKER_TESTS=1 makes this a failure"
        )
    if not settings.CELERY_BROKER_URL:
        return (
            "needs a broker: set CELERY_BROKER_URL=redis://...; "
            "REQUIRE_CELERY_WORKER_TESTS=1 makes this a failure"
        )
    if not CELERY.exists():
        return f"needs the celery command next to the Python running the tests ({CELERY})"
    return ""
