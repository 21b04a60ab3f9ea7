"""Background jobs with progress and a stored result.

An app registers a job kind with `@job_kind("reports.pledge_pdf")`; the handler receives the
`Job` and a `progress(percent, message="")` callable, and returns a `JobResult` (a file to
store) or None. `job_enqueue` creates the status row and starts the Celery task once the
surrounding transaction commits; the page that asked polls `Job.status` and `Job.progress`.

A running attempt holds a lease (`Job.lease_expires_at`, JOB_LEASE_SECONDS from its start and
from each progress report); a second delivery of the task while the lease holds is a duplicate
and is dropped. A worker that dies leaves the lease to run out: `jobs_reap_expired` (Celery
beat, every minute, and the status page when it is polled) hands such a job to a new attempt,
or reports it failed after MAX_ATTEMPTS, so no job shows "running" for ever.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .access import is_staff_user
from .errors import DomainError
from .models import Job

logger = logging.getLogger(__name__)

# A job whose worker died this many times is reported as failed rather than tried again.
MAX_ATTEMPTS = 3


def _lease() -> datetime.timedelta:
    """How long a running attempt holds its job without reporting progress."""
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


@dataclass
class JobResult:
    filename: str = ""
    content: bytes = b""
    content_type: str = "application/octet-stream"
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable
    can_view: Callable | None = None
    # Only `can_view` decides, also for the person who asked (e.g. staff reports, whose
    # permission is checked again at every download).
    restricted: bool = False


_kinds: dict[str, JobKind] = {}


def job_kind(name: str, *, can_view: Callable | None = None, restricted: bool = False):
    """Register a handler for a kind of job. `can_view(user, job)` says who may see it
    besides the person who asked for it (with `restricted`, who may see it at all)."""

    def decorator(handler):
        _kinds[name] = JobKind(name=name, handler=handler, can_view=can_view, restricted=restricted)
        return handler

    return decorator


def get_job_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def job_enqueue(
    *, kind: str, user, params: dict | None = None, subject=None, language: str = ""
) -> Job:
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        params=params or {},
        language=language,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if subject is not None:
        job.subject_type = ContentType.objects.get_for_model(subject)
        job.subject_id = str(subject.pk)
    job.save()

    from .outbox import task_enqueue
    from .tasks import run_job

    task_enqueue(run_job, str(job.pk))
    return job


def job_can_view(*, user, job: Job) -> bool:
    if not user.is_authenticated:
        return False
    kind = _kinds.get(job.kind)
    if kind and kind.restricted:
        return bool(kind.can_view and kind.can_view(user, job))
    if job.created_by_id == user.pk or (is_staff_user(user) and user.is_superuser):
        return True
    return bool(kind and kind.can_view and kind.can_view(user, job))


def job_run(*, job_id) -> Job | None:
    """Run one job. Safe to deliver twice: a finished job is left alone, a job running under a
    live lease is left to its attempt, and a job found running with its lease run out is one
    whose worker died, so this attempt takes it over. Each attempt is numbered; only the
    current attempt may report progress or store a result, so a job never ends with two
    results."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        if (
            job.status == Job.Status.RUNNING
            and job.lease_expires_at is not None
            and job.lease_expires_at >= timezone.now()
        ):
            # Another attempt is alive and holds the lease: this delivery is a duplicate.
            logger.info("Job %s is running under a live lease; duplicate delivery dropped", job.pk)
            return job
        if job.attempts >= MAX_ATTEMPTS:
            _finish_failed(
                job, _("This stopped before it finished, several times. Please try again.")
            )
            return job
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.progress = 0
        job.started_at = timezone.now()
        job.lease_expires_at = job.started_at + _lease()
        job.save(update_fields=["status", "attempts", "progress", "started_at", "lease_expires_at"])
    attempt = job.attempts
    current = Job.objects.filter(pk=job.pk, attempts=attempt, status=Job.Status.RUNNING)

    kind = _kinds.get(job.kind)

    def progress(percent: int, message: str = ""):
        job.progress = max(0, min(100, int(percent)))
        job.message = str(message)[:500]
        job.lease_expires_at = timezone.now() + _lease()
        current.update(
            progress=job.progress, message=job.message, lease_expires_at=job.lease_expires_at
        )

    try:
        if kind is None:
            raise DomainError(_("This kind of job is no longer available."))
        with override(job.language or None):
            result = kind.handler(job, progress)
    except DomainError as exc:
        _finish_failed(job, str(exc), attempt=attempt)
        return job
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish_failed(
            job,
            _("Something went wrong while preparing this. Please try again."),
            attempt=attempt,
        )
        return job

    with transaction.atomic():
        if not current.select_for_update().exists():
            logger.warning("Job %s attempt %s was superseded; result dropped", job.pk, attempt)
            return Job.objects.get(pk=job.pk)
        if result is not None:
            if result.content:
                job.result_file.save(result.filename, ContentFile(result.content), save=False)
                job.result_name = result.filename
                job.result_content_type = result.content_type
                job.result_sha256 = hashlib.sha256(result.content).hexdigest()
            job.result_data = result.data
        job.status = Job.Status.DONE
        job.progress = 100
        # A job without a file says what it did in words (e.g. an import's counts).
        job.message = str((result.data if result else {}).get("summary", ""))[:500]
        job.finished_at = timezone.now()
        job.save()
    return job


def _finish_failed(job: Job, message: str, *, attempt: int | None = None):
    job.status = Job.Status.FAILED
    job.message = message[:500]
    job.finished_at = timezone.now()
    rows = Job.objects.filter(pk=job.pk)
    if attempt is not None:
        rows = rows.filter(attempts=attempt, status=Job.Status.RUNNING)
    rows.update(status=job.status, message=job.message, finished_at=job.finished_at)


def job_retry(job: Job) -> Job:
    """Run a failed job again as a fresh job row of the same kind, subject and parameters."""
    return job_enqueue(
        kind=job.kind,
        user=job.created_by,
        params=job.params,
        subject=job.subject,
        language=job.language,
    )


def job_lease_expired(job: Job, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        job.status == Job.Status.RUNNING
        and job.lease_expires_at is not None
        and job.lease_expires_at < now
    )


def jobs_reap_expired(*, job_id=None) -> dict:
    """Jobs whose worker died (running, lease run out): queued again for a new attempt, or
    failed once MAX_ATTEMPTS attempts have started. Safe to run concurrently: each job is
    taken under a row lock and checked again."""
    from .outbox import task_enqueue
    from .tasks import run_job

    now = timezone.now()
    expired = Job.objects.filter(status=Job.Status.RUNNING, lease_expires_at__lt=now)
    if job_id is not None:
        expired = expired.filter(pk=job_id)
    counts = {"requeued": 0, "failed": 0}
    for pk in list(expired.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=pk).first()
            if job is None or not job_lease_expired(job, now):
                continue
            if job.attempts >= MAX_ATTEMPTS:
                job.status = Job.Status.FAILED
                job.message = _("This stopped before it finished, several times. Please try again.")
                job.finished_at = now
                job.lease_expires_at = None
                job.save(update_fields=["status", "message", "finished_at", "lease_expires_at"])
                counts["failed"] += 1
                continue
            job.status = Job.Status.QUEUED
            job.message = _("Started again after an interruption.")
            job.lease_expires_at = None
            job.save(update_fields=["status", "message", "lease_expires_at"])
            task_enqueue(run_job, str(job.pk))
            counts["requeued"] += 1
    if any(counts.values()):
        logger.warning("Jobs with an expired lease: %s", counts)
    return counts
