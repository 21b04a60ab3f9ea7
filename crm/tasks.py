"""Periodic jobs of the CRM (scheduled in CELERY_BEAT_SCHEDULE); each is also a management
command for installations that run cron instead of beat."""

from celery import shared_task
from django.db import OperationalError

from .alerts import staff_digest_send


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_staff_digest() -> int:
    return staff_digest_send()


# The mailing tasks live with the mailings; importing them here lets Celery find them.
from .mailings.tasks import (  # noqa: E402, F401
    send_due_mailings,
    send_mailing_batches,
    start_mailing,
)
