"""A mailing's audience and its sending, in batches, by any number of Celery workers.

`mailing_start` draws the audience (consent and suppression applied) into one row per
recipient and starts the batch tasks; `mailing_send_batches` claims rows with
`SELECT ... FOR UPDATE SKIP LOCKED` and a lease, renders each language once, and marks each
row in the database before and after it hands the email to the mail server. A worker killed
mid-batch leaves its claimed rows to come back to the queue when the lease runs out and at
most the one row it was handing over as failed, never sent twice.
"""

import smtplib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_log_bulk

from ..models import Consent, Person
from ..privacy import ERASED_EMAIL_SUFFIX
from ..registry import mailing_segments
from .models import Mailing, MailingRecipient, Subscription, Suppression, email_digest
from .text import to_html, to_plain
from .tokens import preferences_token, unsubscribe_token

# Placeholders in a language's rendering, replaced for each recipient.
UNSUBSCRIBE_MARK = "@@unsubscribe-url@@"
PREFERENCES_MARK = "@@preferences-url@@"

RECIPIENT_STATUSES_LEFT = (
    MailingRecipient.Status.QUEUED,
    MailingRecipient.Status.CLAIMED,
    MailingRecipient.Status.HANDING_OVER,
)
MAX_ATTEMPTS = 3

# A recipient's `error` is one of these codes, then ":" and the mail server's words if any.
INTERRUPTED = "interrupted"
SUPPRESSED = "suppressed"
REFUSED = "refused"
UNREACHABLE = "unreachable"


def _batch_size() -> int:
    return settings.MAILING_BATCH_SIZE


def _lease() -> timedelta:
    return timedelta(seconds=settings.MAILING_LEASE_SECONDS)


# --- the audience ------------------------------------------------------------------------


def audience_people(mailing: Mailing):
    """The people the mailing goes to, before the suppression list: the topic's confirmed
    subscribers, or the segment's people, each with the consent the purpose needs."""
    if mailing.topic_id:
        people = Person.objects.filter(
            subscription__status=Subscription.Status.ACTIVE,
            subscription__topics=mailing.topic_id,
        )
        needed = Consent.Purpose.NEWSLETTER
    else:
        segment = mailing_segments.get(mailing.segment)
        if segment is None:
            return Person.objects.none()
        people = Person.objects.filter(pk__in=segment.people(mailing.segment_value).values("pk"))
        needed = (
            Consent.Purpose.PACT_NETWORK
            if mailing.purpose == Mailing.Purpose.PACT_NETWORK
            else None
        )
    if needed:
        people = people.filter(
            pk__in=Consent.objects.filter(purpose=needed, withdrawn_at__isnull=True).values(
                "person_id"
            )
        )
    return people.exclude(email="").exclude(email__endswith=ERASED_EMAIL_SUFFIX)


def _suppressed(emails) -> set[str]:
    """The digests among `emails` that are on the suppression list."""
    digests = {email_digest(email) for email in emails}
    found = set()
    chunk = list(digests)
    for start in range(0, len(chunk), 5000):
        found.update(
            Suppression.objects.filter(email_hash__in=chunk[start : start + 5000]).values_list(
                "email_hash", flat=True
            )
        )
    return found


def audience_rows(mailing: Mailing) -> list[tuple[int, str, str]]:
    """(person id, email, language) of everyone the mailing would reach now."""
    rows = list(
        audience_people(mailing)
        .distinct()
        .order_by("pk")
        .values_list("pk", "email", "preferred_language")
    )
    suppressed = _suppressed(email for _pk, email, _language in rows)
    return [row for row in rows if email_digest(row[1]) not in suppressed]


def audience_preview(mailing: Mailing, *, sample: int = 10) -> dict:
    rows = audience_rows(mailing)
    languages = {}
    for _pk, _email, language in rows:
        languages[language] = languages.get(language, 0) + 1
    people = Person.objects.in_bulk([pk for pk, _e, _l in rows[:sample]])
    return {
        "count": len(rows),
        "sample": [people[pk] for pk, _e, _l in rows[:sample] if pk in people],
        "languages": sorted(languages.items(), key=lambda item: (-item[1], item[0])),
    }


# --- rendering ---------------------------------------------------------------------------


@dataclass
class RenderedMailing:
    subject: str
    text: str
    html: str
    language: str

    def for_recipient(self, *, unsubscribe_url: str, preferences_url: str) -> tuple[str, str, str]:
        def fill(content: str) -> str:
            return content.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(
                PREFERENCES_MARK, preferences_url
            )

        return self.subject, fill(self.text), fill(self.html)


def render_mailing(mailing: Mailing, language: str) -> RenderedMailing:
    """The mailing in `language` (its texts fall back to English, the layout is translated)."""
    subject, body = mailing.texts_in(language)
    with translation.override(language):
        context = {
            "mailing": mailing,
            "subject": subject,
            "body_html": to_html(body),
            "body_text": to_plain(body),
            "topic_name": mailing.topic.translated_name if mailing.topic_id else "",
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": PREFERENCES_MARK,
            "site_url": settings.SITE_URL,
            "email_language": language,
        }
        text = render_to_string("crm/email/mailing.txt", context)
        html = render_to_string("crm/email/mailing.html", context)
    return RenderedMailing(subject=subject, text=text, html=html, language=language)


class RecipientLinks:
    """Each recipient's signed unsubscribe and preferences addresses (the URLs are reversed
    once; only the tokens change)."""

    def __init__(self):
        self.unsubscribe = settings.SITE_URL + reverse(
            "updates:unsubscribe", kwargs={"token": "TOKEN"}
        )
        self.preferences = settings.SITE_URL + reverse(
            "updates:preferences", kwargs={"token": "TOKEN"}
        )
        self.subscribe = settings.SITE_URL + reverse("updates:subscribe")

    def unsubscribe_url(self, recipient_id: int) -> str:
        return self.unsubscribe.replace("TOKEN", unsubscribe_token(recipient_id))

    def preferences_url(self, person_id: int | None) -> str:
        if person_id is None:
            return self.subscribe
        return self.preferences.replace("TOKEN", preferences_token(Person(pk=person_id)))


# --- starting ----------------------------------------------------------------------------


def mailing_start(*, mailing_id: int) -> int:
    """Draw the audience of a due mailing into recipient rows (once: a second run adds
    nobody) and say how many batch tasks to start (0 when there is nothing to do)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status not in (
            Mailing.Status.SCHEDULED,
            Mailing.Status.SENDING,
        ):
            return 0
        if mailing.status == Mailing.Status.SCHEDULED:
            if mailing.send_at and mailing.send_at > timezone.now():
                return 0
            rows = audience_rows(mailing)
            MailingRecipient.objects.bulk_create(
                (
                    MailingRecipient(mailing=mailing, person_id=pk, email=email, language=language)
                    for pk, email, language in rows
                ),
                batch_size=2000,
                ignore_conflicts=True,
            )
            mailing.status = Mailing.Status.SENDING
            mailing.started_at = timezone.now()
            mailing.recipients_count = len(rows)
            mailing.save(update_fields=["status", "started_at", "recipients_count"])
            audit_log(
                actor=mailing.sent_by,
                action="crm.mailing.started",
                subject=mailing,
                data={"recipients": len(rows)},
            )
        elif mailing.recipients.filter(
            status__in=(MailingRecipient.Status.CLAIMED, MailingRecipient.Status.HANDING_OVER),
            lease_until__gte=timezone.now(),
        ).exists():
            return 0  # still in a live worker's hands: nothing to resume
    return settings.MAILING_PARALLEL_BATCHES


def mailings_due() -> list[int]:
    """Mailings whose time has come, and mailings still sending (to resume after a worker
    died): the periodic task starts or resumes each."""
    now = timezone.now()
    return list(
        Mailing.objects.filter(
            Q(status=Mailing.Status.SCHEDULED, send_at__lte=now) | Q(status=Mailing.Status.SENDING)
        ).values_list("pk", flat=True)
    )


# --- sending -----------------------------------------------------------------------------


def _recover(mailing_id: int) -> None:
    """Rows whose worker's lease ran out: claimed ones go back to the queue; one that was
    being handed over is failed, since the email may have left."""
    now = timezone.now()
    expired = MailingRecipient.objects.filter(mailing_id=mailing_id, lease_until__lt=now)
    expired.filter(status=MailingRecipient.Status.CLAIMED).update(
        status=MailingRecipient.Status.QUEUED, lease_until=None
    )
    expired.filter(status=MailingRecipient.Status.HANDING_OVER).update(
        status=MailingRecipient.Status.FAILED,
        lease_until=None,
        error=INTERRUPTED,
    )


def _claim(mailing_id: int) -> list[MailingRecipient]:
    with transaction.atomic():
        queryset = MailingRecipient.objects.filter(
            mailing_id=mailing_id, status=MailingRecipient.Status.QUEUED
        ).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        rows = list(
            queryset.only("pk", "mailing_id", "person_id", "email", "language")[: _batch_size()]
        )
        if rows:
            MailingRecipient.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=MailingRecipient.Status.CLAIMED,
                lease_until=timezone.now() + _lease(),
                attempts=F("attempts") + 1,
            )
    return rows


def _mark(sent_pk: int | None, next_pk: int | None, now) -> None:
    """One statement: the previous row sent, the next one being handed over. Its own commit:
    the row must say "handing over" in the database before the email leaves."""
    if sent_pk is None and next_pk is None:
        return
    table = MailingRecipient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "  # noqa: S608 (the table name is ours; values are parameters)
            "status = CASE WHEN id = %s THEN %s ELSE %s END, "
            "sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END "
            "WHERE id IN (%s, %s)",
            [
                sent_pk,
                MailingRecipient.Status.SENT,
                MailingRecipient.Status.HANDING_OVER,
                sent_pk,
                now,
                sent_pk if sent_pk is not None else next_pk,
                next_pk if next_pk is not None else sent_pk,
            ],
        )


def _fail(pk: int, reason: str, *, suppress_email: str = "", mailing_id=None) -> None:
    MailingRecipient.objects.filter(pk=pk).update(
        status=MailingRecipient.Status.FAILED, error=reason[:300], lease_until=None
    )
    if suppress_email:
        Suppression.objects.get_or_create(
            email_hash=email_digest(suppress_email),
            defaults={"reason": Suppression.Reason.HARD_FAILURE, "mailing_id": mailing_id},
        )


class _RateLimit:
    """At most `per_second` emails a second from this loop (0: no limit)."""

    def __init__(self, per_second: float):
        self.interval = 1 / per_second if per_second else 0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def _log_sent(mailing: Mailing) -> None:
    """Each recipient's timeline: one entry per sent email, written once (the rows are locked,
    so two workers finishing at once do not both write them)."""
    with transaction.atomic():
        queryset = MailingRecipient.objects.filter(
            mailing=mailing, status=MailingRecipient.Status.SENT, logged=False
        ).exclude(person_id=None)
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        rows = list(queryset.values_list("pk", "person_id")[:5000])
        if not rows:
            return
        audit_log_bulk(
            (
                mailing.sent_by,
                "crm.mailing.received",
                Person(pk=person_id),
                {"mailing": mailing.pk, "subject": mailing.subject},
            )
            for _pk, person_id in rows
        )
        MailingRecipient.objects.filter(pk__in=[pk for pk, _p in rows]).update(logged=True)


def mailing_send_batches(*, mailing_id: int) -> int:
    """Claim and send batches of the mailing until none is left; say how many were sent."""
    mailing = Mailing.objects.select_related("topic", "sent_by").filter(pk=mailing_id).first()
    if mailing is None or mailing.status != Mailing.Status.SENDING:
        return 0
    rendered: dict[str, RenderedMailing] = {}
    rate = _RateLimit(settings.MAILING_RATE_PER_SECOND / max(1, settings.MAILING_PARALLEL_BATCHES))
    sent = 0
    backend = get_connection()
    links = RecipientLinks()
    with _fast_commits():
        while True:
            batch_sent = _send_batch(mailing, rendered, rate, backend, links)
            if batch_sent is None:
                break
            sent += batch_sent
    mailing_finish_if_done(mailing_id=mailing_id)
    return sent


@contextmanager
def _fast_commits():
    """On PostgreSQL, the row marks of the loop commit without waiting for the disk flush:
    a worker that dies loses none of them (the server has them), only a crash of the
    database server itself could, which is not what the marks guard against. One statement
    per email then costs a round trip, not a flush."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_batch(mailing, rendered, rate, backend, links) -> int | None:
    """Claim one batch and send it; None when nothing is left to claim (or it was stopped)."""
    mailing_id = mailing.pk
    _recover(mailing_id)
    if not Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).exists():
        return None  # stopped meanwhile
    rows = _claim(mailing_id)
    if not rows:
        return None
    suppressed = _suppressed(row.email for row in rows)
    sent = 0
    previous = None
    backend.open()
    try:
        for row in rows:
            if email_digest(row.email) in suppressed:
                MailingRecipient.objects.filter(pk=row.pk).update(
                    status=MailingRecipient.Status.CANCELLED, error=SUPPRESSED, lease_until=None
                )
                continue
            if row.language not in rendered:
                rendered[row.language] = render_mailing(mailing, row.language)
            message = _message(rendered[row.language], row, links)
            rate.wait()
            _mark(previous, row.pk, timezone.now())
            previous = None
            try:
                backend.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                _fail(row.pk, _refusal(error), suppress_email=row.email, mailing_id=mailing_id)
                continue
            except (smtplib.SMTPException, OSError) as error:
                # The server or the connection failed: the row is tried again later, unless
                # it was tried often enough.
                _retry_or_fail(row, error)
                continue
            previous = row.pk
            sent += 1
        _mark(previous, None, timezone.now())
    finally:
        backend.close()
    # Rows of the batch not reached (none, unless an exception left the loop early).
    MailingRecipient.objects.filter(
        pk__in=[row.pk for row in rows], status=MailingRecipient.Status.CLAIMED
    ).update(status=MailingRecipient.Status.QUEUED, lease_until=None)
    _log_sent(mailing)
    return sent


def _refusal(error: smtplib.SMTPRecipientsRefused) -> str:
    answers = ", ".join(
        f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
        for code, message in error.recipients.values()
    )
    return f"{REFUSED}:{answers}"


def _retry_or_fail(row: MailingRecipient, error: Exception) -> None:
    attempts = (
        MailingRecipient.objects.filter(pk=row.pk).values_list("attempts", flat=True).first() or 0
    )
    if attempts >= MAX_ATTEMPTS:
        _fail(row.pk, f"{UNREACHABLE}:{error}")
    else:
        MailingRecipient.objects.filter(pk=row.pk).update(
            status=MailingRecipient.Status.QUEUED,
            lease_until=None,
            error=f"{UNREACHABLE}:{error}"[:300],
        )


def _message(
    rendered: RenderedMailing, row: MailingRecipient, links: RecipientLinks
) -> EmailMultiAlternatives:
    unsubscribe = links.unsubscribe_url(row.pk)
    subject, text, html = rendered.for_recipient(
        unsubscribe_url=unsubscribe, preferences_url=links.preferences_url(row.person_id)
    )
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
        headers={
            "Content-Language": rendered.language,
            # RFC 2369 and RFC 8058: mail programs offer unsubscribing in one click, by a
            # POST to this address that needs no sign-in.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Mailing": str(row.mailing_id),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def mailing_finish_if_done(*, mailing_id: int) -> bool:
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status != Mailing.Status.SENDING:
            return False
        if mailing.recipients.filter(status__in=RECIPIENT_STATUSES_LEFT).exists():
            return False
        mailing.status = Mailing.Status.SENT
        mailing.finished_at = timezone.now()
        mailing.save(update_fields=["status", "finished_at"])
        figures = mailing_figures(mailing)
        audit_log(
            actor=mailing.sent_by,
            action="crm.mailing.sent",
            subject=mailing,
            data={k: figures[k] for k in ("recipients", "sent", "failed")},
        )
    _log_sent(mailing)
    return True


def mailing_figures(mailing: Mailing) -> dict:
    counts = dict(
        mailing.recipients.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(counts.values())
    sent = counts.get(MailingRecipient.Status.SENT, 0)
    failed = counts.get(MailingRecipient.Status.FAILED, 0)
    cancelled = counts.get(MailingRecipient.Status.CANCELLED, 0)
    done = sent + failed + cancelled
    return {
        "recipients": total,
        "sent": sent,
        "failed": failed,
        "not_sent": cancelled,
        "waiting": total - done,
        "unsubscribed_after": mailing.suppressions.filter(
            reason=Suppression.Reason.UNSUBSCRIBED
        ).count(),
        "percent": round(100 * done / total)
        if total
        else (100 if mailing.status == Mailing.Status.SENT else 0),
    }


def failure_reason_label(error: str) -> str:
    """A recipient's reason in the reader's language, with the mail server's own words."""
    code, _sep, detail = (error or "").partition(":")
    labels = {
        INTERRUPTED: _(
            "The sending stopped while this email was being handed over; it was not sent again, "
            "so as not to send it twice."
        ),
        SUPPRESSED: _("On the suppression list (unsubscribed or refused before)."),
        REFUSED: _("Refused by the mail server."),
        UNREACHABLE: _("The mail server could not be reached."),
    }
    label = labels.get(code)
    if label is None:
        return error
    return f"{label} {detail}".strip()
