"""Periodic jobs of the AI Pact (scheduled in CELERY_BEAT_SCHEDULE); each is also a management
command for installations that run cron instead of beat."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_progress_report_reminders() -> int:
    return services.progress_reminders_send()
