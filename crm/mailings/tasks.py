"""Celery tasks of mailings: thin, taking primary keys; the work is in `sending`."""

from celery import shared_task
from celery.signals import worker_ready
from django.db import OperationalError

from core.outbox import task_enqueue

from . import sending

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def start_mailing(mailing_id: int) -> int:
    """Draw the audience and start the parallel batch tasks (a second run adds nobody)."""
    from django.db import transaction

    batches = sending.mailing_start(mailing_id=mailing_id)
    if batches:
        with transaction.atomic():
            for _n in range(batches):
                task_enqueue(send_mailing_batches, mailing_id)
    return batches


@shared_task(acks_late=True, **RETRY)
def send_mailing_batches(mailing_id: int) -> int:
    return sending.mailing_send_batches(mailing_id=mailing_id)


@shared_task(acks_late=True, **RETRY)
def send_due_mailings() -> int:
    """Start the mailings whose time has come and resume those a dead worker left."""
    from django.db import transaction

    due = sending.mailings_due()
    with transaction.atomic():
        for mailing_id in due:
            task_enqueue(start_mailing, mailing_id)
    return len(due)


@worker_ready.connect
def resume_mailings_at_worker_start(sender=None, **kwargs):
    """A worker that starts (after another died) takes up the mailings still sending."""
    send_due_mailings.delay()
