from celery import shared_task
from django.db import OperationalError

from .jobs import job_run


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_job(job_id: str):
    job_run(job_id=job_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_email(*, to: list[str], subject: str, text: str, html: str = "", attachments=None):
    from .email import email_send_now

    email_send_now(to=to, subject=subject, text=text, html=html, attachments=attachments)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_expired_personal_data() -> dict:
    from .privacy import retention_purge

    return retention_purge()
