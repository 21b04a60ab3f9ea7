"""Emails from templates, sent by Celery after the transaction commits.

Each email is three templates (as Zulip does): `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, e.g. `templates/pact/email/pledge_published.*`. They are rendered in the
recipient's language. Attachments are (filename, content as text, mimetype) triples so that
they travel as JSON to the worker.
"""

import re
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

_HTML_TAG_WITHOUT_LANG = re.compile(r"<html(?![^>]*\blang=)", re.IGNORECASE)


def render_email(*, template: str, context: dict, language: str = "") -> tuple[str, str, str]:
    """Subject, text and HTML of an email in `language` (its dates, numbers and texts from the
    database too); the HTML's `<html>` says its language."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "email_language": language, **context}
        subject = render_to_string(f"{template}.subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    html = _HTML_TAG_WITHOUT_LANG.sub(f'<html lang="{language}"', html, count=1)
    return " ".join(subject.split()), text, html


def email_send_now(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: list | None = None,
    language: str = "",
) -> None:
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        # Mail programs read it to choose a spelling checker, a voice, a translation offer.
        headers={"Content-Language": language} if language else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


def email_send_once(
    *,
    key: str,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: list | None = None,
    language: str = "",
) -> bool:
    """Send unless an email with this key was already sent (a redelivered task); say whether
    it sent. The key is recorded in the same transaction as the send, so a failed send is
    retried; only a worker killed between the mail server's answer and the commit can send
    twice."""
    from .models import EmailDelivery

    if not key:
        email_send_now(
            to=to,
            subject=subject,
            text=text,
            html=html,
            attachments=attachments,
            language=language,
        )
        return True
    try:
        with transaction.atomic():
            EmailDelivery.objects.create(key=key)
            email_send_now(
                to=to,
                subject=subject,
                text=text,
                html=html,
                attachments=attachments,
                language=language,
            )
    except IntegrityError:
        return False
    return True


def email_enqueue(
    *,
    to: list[str] | str,
    template: str,
    context: dict,
    language: str = "",
    attachments: list | None = None,
) -> None:
    """Render now (inside the service, with the data as it is) and send after commit.

    `context` is rendered immediately, so it may hold model instances.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return
    subject, text, html = render_email(template=template, context=context, language=language)

    from .outbox import task_enqueue
    from .tasks import send_email

    task_enqueue(
        send_email,
        to=recipients,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments or [],
        key=str(uuid.uuid4()),
        language=language or settings.LANGUAGE_CODE,
    )
