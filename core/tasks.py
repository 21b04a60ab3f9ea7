from celery import shared_task
from celery.signals import worker_ready
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


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def reap_expired_jobs() -> dict:
    from .jobs import jobs_reap_expired

    return jobs_reap_expired()


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_email(
    self,
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    attachments=None,
    key="",
    language="",
):
    from .email import email_send_once

    # Run in-process (no broker), a task is never delivered twice: nothing to remember.
    email_send_once(
        key="" if self.request.is_eager else key,
        to=to,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        language=language,
    )


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def relay_outbox() -> dict:
    from .outbox import outbox_relay

    return outbox_relay()


@worker_ready.connect
def relay_outbox_at_worker_start(sender=None, **kwargs):
    """A worker that starts after a broker outage sends what waited in the outbox."""
    relay_outbox.delay()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_expired_personal_data() -> dict:
    from .privacy import retention_purge

    return retention_purge()
