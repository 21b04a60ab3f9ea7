"""Emails from templates, sent by Celery after the transaction commits.

Each email is three templates (as Zulip does): `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, e.g. `templates/pact/email/pledge_published.*`. They are rendered in the
recipient's language. Attachments are (filename, content as text, mimetype) triples so that
they travel as JSON to the worker.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(*, template: str, context: dict, language: str = "") -> tuple[str, str, str]:
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}.subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), text, html


def email_send_now(
    *, to: list[str], subject: str, text: str, html: str = "", attachments: list | None = None
) -> None:
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


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

    from .tasks import send_email

    transaction.on_commit(
        lambda: send_email.delay(
            to=recipients, subject=subject, text=text, html=html, attachments=attachments or []
        )
    )
