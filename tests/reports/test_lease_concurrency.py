"""Two reapers and a late attempt on the same dead worker's job, on PostgreSQL: the row lock
makes the job start again once, never twice.

The control run replaces the lock with a plain read and shows that the same interleaving then
starts the job twice, which proves the test can fail.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core import jobs, outbox
from core.models import Job
from tests.crm.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _dead_job():
    return Job.objects.create(
        kind="reports.staff_report",
        status=Job.Status.RUNNING,
        attempts=1,
        created_by=UserFactory(),
        lease_expires_at=timezone.now() - timedelta(minutes=1),
    )


def _reap_while_another_reaper_holds_the_row(job, monkeypatch, *, without_lock=False):
    """Reaper B runs while reaper A holds the job's row; A requeues it and commits."""
    started = []
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args, **kw: started.append(args))
    lock = Job.objects.select_for_update  # reaper A always locks
    if without_lock:
        monkeypatch.setattr(Job.objects, "select_for_update", Job.objects.all, raising=False)
    holding, results = threading.Event(), {}

    def reaper_a():
        try:
            with transaction.atomic():
                row = lock().get(pk=job.pk)
                holding.set()
                threading.Event().wait(1.0)  # B reads meanwhile
                row.status = Job.Status.QUEUED
                row.lease_expires_at = None
                row.save(update_fields=["status", "lease_expires_at"])
                started.append(("a",))
        finally:
            connection.close()

    def reaper_b():
        try:
            holding.wait(10)
            results["b"] = jobs.jobs_reap_expired()
        finally:
            connection.close()

    threads = [threading.Thread(target=reaper_a), threading.Thread(target=reaper_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return started, results


def test_a_dead_workers_job_starts_again_once(monkeypatch):
    job = _dead_job()
    started, results = _reap_while_another_reaper_holds_the_row(job, monkeypatch)
    assert started == [("a",)]
    assert results["b"] == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_control_without_the_lock_starts_it_twice(monkeypatch):
    job = _dead_job()
    started, results = _reap_while_another_reaper_holds_the_row(job, monkeypatch, without_lock=True)
    assert results["b"] == {"requeued": 1, "failed": 0}
    assert len(started) == 2  # A and B both started it
