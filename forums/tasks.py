"""Periodic jobs of the events module (scheduled in CELERY_BEAT_SCHEDULE); each is also a
management command for installations that run cron instead of beat."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_event_reminders() -> int:
    return services.event_reminders_send()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_waitlist_offers() -> int:
    return services.waitlist_offers_expire()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_special_requirements() -> int:
    return services.special_requirements_purge()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def end_expired_memberships() -> int:
    return services.memberships_expire()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_membership_term_reminders() -> int:
    return services.membership_term_reminders_send()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_declaration_reminders() -> int:
    return services.declaration_reminders_send()
