from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_scheduled_reports() -> dict:
    from .services import scheduled_reports_send

    return scheduled_reports_send()
