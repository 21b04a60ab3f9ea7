"""Every write of subscriptions and mailings.

People subscribe, confirm, change their preferences and leave without an account (signed
links); staff compose, test, schedule and cancel mailings. Sending is in `sending`."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.email import email_enqueue, email_send_now
from core.errors import DomainError, full_clean_or_refuse
from core.translations import normalise_language

from ..models import Consent, Person
from ..registry import mailing_segments
from ..services import consent_give, consent_withdraw
from .models import Mailing, Subscription, Suppression, Topic, email_digest
from .tokens import confirm_token, preferences_token

# Someone who asks again within this time gets no second confirmation email.
RESEND_AFTER = timedelta(minutes=2)


def _person_by_email(email: str) -> Person | None:
    return (
        Person.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .first()
    )


# --- people: subscribe, confirm, preferences, leave --------------------------------------


@transaction.atomic
def subscription_request(*, email: str, language: str, topics, name: str = "") -> Subscription:
    """Ask to receive updates on `topics`: nothing is sent to the address but a confirmation
    link until its owner opens it. An address already subscribed gets a link to its
    preferences instead, so that nobody can change another person's subscription."""
    email = email.strip()
    topics = [topic for topic in topics if topic.is_active]
    if not topics:
        raise DomainError(_("Choose at least one topic."), field="topics")
    language = normalise_language(language)
    subscription = (
        Subscription.objects.select_for_update()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .first()
    )
    now = timezone.now()
    if subscription and subscription.status == Subscription.Status.ACTIVE:
        if not _recently_sent(subscription, now):
            subscription.confirmation_sent_at = now
            subscription.save(update_fields=["confirmation_sent_at"])
            email_enqueue(
                to=subscription.email,
                template="crm/email/subscription_already",
                context={"preferences_url": preferences_url(subscription.person)},
                language=subscription.person.preferred_language,
            )
        return subscription
    if subscription is None:
        subscription = Subscription(email=email)
    subscription.language = language
    subscription.status = Subscription.Status.PENDING
    subscription.notice_version = settings.PRIVACY_NOTICE_VERSION
    subscription.requested_at = now
    full_clean_or_refuse(subscription, exclude=["person"])
    resend = not _recently_sent(subscription, now)
    if resend:
        subscription.confirmation_sent_at = now
    subscription.save()
    subscription.topics.set(topics)
    if resend:
        email_enqueue(
            to=subscription.email,
            template="crm/email/subscription_confirm",
            context={
                "confirm_url": settings.SITE_URL
                + _url("updates:confirm", confirm_token(subscription)),
                "topics": [topic.translated_name for topic in topics],
                "name": name.strip()[:100],
            },
            language=language,
        )
    return subscription


def _recently_sent(subscription: Subscription, now) -> bool:
    sent = subscription.confirmation_sent_at
    return sent is not None and now - sent < RESEND_AFTER


def _url(name: str, token: str) -> str:
    return reverse(name, kwargs={"token": token})


def preferences_token_for(person: Person | None) -> str | None:
    return preferences_token(person) if person is not None else None


def preferences_url(person: Person) -> str:
    return settings.SITE_URL + _url("updates:preferences", preferences_token(person))


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """The address's owner opened the confirmation link: the subscription starts, the person
    is in the CRM (found by email or added), and their consent is recorded with the version
    of the privacy notice they were shown."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription
    person = subscription.person or _person_by_email(subscription.email)
    if person is None:
        person = Person(
            first_name="",
            last_name="",
            email=subscription.email,
            preferred_language=subscription.language,
        )
        person.save()
        audit_log(actor=None, action="crm.person.subscribed", subject=person)
    subscription.person = person
    subscription.status = Subscription.Status.ACTIVE
    subscription.confirmed_at = timezone.now()
    subscription.left_at = None
    subscription.save()
    consent_give(
        person=person,
        purpose=Consent.Purpose.NEWSLETTER,
        privacy_notice=settings.PRIVACY_NOTICE_NAME,
        notice_version=subscription.notice_version,
    )
    # Subscribing again lifts an earlier unsubscription (not a refusal by the mail server:
    # the address works, it just confirmed).
    Suppression.objects.filter(email_hash=email_digest(person.email)).delete()
    audit_log(
        actor=person.user,
        action="crm.subscription.confirmed",
        subject=person,
        data={"topics": list(subscription.topics.values_list("code", flat=True))},
    )
    return subscription


@transaction.atomic
def subscription_set_preferences(*, person: Person, topics, language: str) -> Subscription | None:
    """Topics and language chosen by the person (through a signed link or signed in; either
    proves the address is theirs). No topic at all means leaving."""
    topics = [topic for topic in topics if topic.is_active]
    language = normalise_language(language)
    if person.preferred_language != language:
        person.preferred_language = language
        person.save(update_fields=["preferred_language", "updated_at"])
    if not topics:
        subscription_leave(person=person)
        return getattr(person, "subscription", None)
    subscription = Subscription.objects.select_for_update().filter(person=person).first()
    if subscription is None:
        subscription = (
            Subscription.objects.select_for_update()
            .annotate(email_lower=Lower("email"))
            .filter(email_lower=person.email.lower())
            .first()
        ) or Subscription(email=person.email)
    subscription.person = person
    subscription.language = language
    subscription.notice_version = settings.PRIVACY_NOTICE_VERSION
    was_active = subscription.status == Subscription.Status.ACTIVE
    subscription.status = Subscription.Status.ACTIVE
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.left_at = None
    subscription.save()
    subscription.topics.set(topics)
    consent_give(
        person=person,
        purpose=Consent.Purpose.NEWSLETTER,
        privacy_notice=settings.PRIVACY_NOTICE_NAME,
        notice_version=subscription.notice_version,
    )
    Suppression.objects.filter(
        email_hash=email_digest(person.email), reason=Suppression.Reason.UNSUBSCRIBED
    ).delete()
    audit_log(
        actor=person.user,
        action="crm.subscription.changed" if was_active else "crm.subscription.confirmed",
        subject=person,
        data={"topics": [topic.code for topic in topics], "language": language},
    )
    return subscription


@transaction.atomic
def subscription_leave(
    *, person: Person | None, email: str = "", mailing: Mailing | None = None
) -> bool:
    """Stop every mailing to the person (or to the address, when the person was erased): the
    subscription ends, the newsletter consent is withdrawn and the address goes on the
    suppression list. Says whether anything changed (a second click changes nothing)."""
    email = person.email if person is not None else email
    changed = False
    if person is not None:
        changed = bool(
            Subscription.objects.filter(person=person)
            .exclude(status=Subscription.Status.LEFT)
            .update(status=Subscription.Status.LEFT, left_at=timezone.now())
        )
        changed |= bool(consent_withdraw(person=person, purpose=Consent.Purpose.NEWSLETTER))
        changed |= bool(consent_withdraw(person=person, purpose=Consent.Purpose.PACT_NETWORK))
    if email:
        _suppression, created = Suppression.objects.get_or_create(
            email_hash=email_digest(email),
            defaults={"reason": Suppression.Reason.UNSUBSCRIBED, "mailing": mailing},
        )
        changed |= created
    if changed and person is not None:
        audit_log(
            actor=person.user,
            action="crm.subscription.left",
            subject=person,
            data={"mailing": mailing.pk} if mailing else {},
        )
    return changed


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_hash=email_digest(email)).exists()


# --- staff: topics -----------------------------------------------------------------------


@transaction.atomic
def topic_save(*, user, topic: Topic | None = None, **values) -> Topic:
    require_staff(user, "crm.change_topic" if topic else "crm.add_topic")
    topic = topic or Topic()
    for field, value in values.items():
        setattr(topic, field, value)
    full_clean_or_refuse(topic)
    topic.save()
    audit_log(actor=user, action="crm.topic.saved", subject=topic, data={"code": topic.code})
    return topic


# --- staff: compose, test, schedule, cancel ----------------------------------------------


def audience_choices(user) -> list[tuple[str, str]]:
    """The audiences the user may write to, as (value, label): each active topic's
    subscribers, then each segment the user's role may use (with its choices)."""
    choices = [
        (f"topic:{topic.pk}", _("Subscribers to “%(topic)s”") % {"topic": topic.translated_name})
        for topic in Topic.objects.filter(is_active=True)
    ]
    for segment in mailing_segments.for_user(user):
        if segment.choices is None:
            choices.append((f"segment:{segment.key}:", str(segment.label)))
        else:
            choices.extend(
                (f"segment:{segment.key}:{value}", f"{segment.label}: {label}")
                for value, label in segment.choices()
            )
    return choices


def _apply_audience(*, user, mailing: Mailing, audience: str, purpose: str) -> None:
    labels = dict(audience_choices(user))
    if audience not in labels:
        raise DomainError(_("Choose an audience from the list."), field="audience")
    kind, _sep, rest = audience.partition(":")
    if kind == "topic":
        mailing.topic = Topic.objects.get(pk=int(rest))
        mailing.segment = mailing.segment_value = ""
        mailing.purpose = Mailing.Purpose.UPDATES
    else:
        key, _sep, value = rest.partition(":")
        mailing.topic = None
        mailing.segment, mailing.segment_value = key, value
        if purpose not in (Mailing.Purpose.PACT_NETWORK, Mailing.Purpose.PARTICIPATION):
            raise DomainError(
                _(
                    "Say why you write to this group: about their participation, or as AI Pact "
                    "network news."
                ),
                field="purpose",
            )
        mailing.purpose = purpose
    mailing.segment_label = str(labels[audience])[:300]


def mailing_audience_value(mailing: Mailing) -> str:
    if mailing.topic_id:
        return f"topic:{mailing.topic_id}"
    return f"segment:{mailing.segment}:{mailing.segment_value}"


def _require_author(user, mailing: Mailing) -> None:
    require_staff(user, "crm.change_mailing")
    segment = mailing_segments.get(mailing.segment) if mailing.segment else None
    if segment is not None and not user.has_perm(segment.perm):
        raise DomainError(_("Your role may not write to this group."))


@transaction.atomic
def mailing_save(
    *,
    user,
    mailing: Mailing | None = None,
    name: str,
    subject: str,
    body: str,
    translations: dict,
    audience: str,
    purpose: str = "",
) -> Mailing:
    if mailing is None:
        require_staff(user, "crm.add_mailing")
        mailing = Mailing(created_by=user)
    else:
        _require_author(user, mailing)
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != Mailing.Status.DRAFT:
            raise DomainError(_("Only a draft can be changed; cancel the sending first."))
    mailing.name, mailing.subject, mailing.body = name.strip(), subject.strip(), body.strip()
    mailing.translations = translations
    _apply_audience(user=user, mailing=mailing, audience=audience, purpose=purpose)
    full_clean_or_refuse(mailing, exclude=["created_by", "sent_by"])
    created = mailing.pk is None
    mailing.save()
    audit_log(
        actor=user,
        action="crm.mailing.created" if created else "crm.mailing.changed",
        subject=mailing,
        data={"audience": mailing.segment_label},
    )
    return mailing


def mailing_test_send(*, user, mailing: Mailing, language: str) -> str:
    """Send the mailing, as a recipient would get it in `language`, to the user's own address."""
    require_staff(user, "crm.view_mailing")
    from .sending import render_mailing

    language = normalise_language(language)
    rendered = render_mailing(mailing, language)
    # A test copy's links lead to the public page, not to anybody's preferences.
    page = settings.SITE_URL + reverse("updates:subscribe")
    subject, text, html = rendered.for_recipient(unsubscribe_url=page, preferences_url=page)
    email_send_now(
        to=[user.email],
        subject=_("[Test] %(subject)s") % {"subject": subject},
        text=text,
        html=html,
        language=language,
    )
    audit_log(actor=user, action="crm.mailing.tested", subject=mailing, data={"language": language})
    return user.email


@transaction.atomic
def mailing_schedule(*, user, mailing: Mailing, send_at=None) -> Mailing:
    """Send now (`send_at` None) or at a time; the audience is drawn when sending starts."""
    require_staff(user, "crm.send_mailing")
    _require_author(user, mailing)
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.DRAFT:
        raise DomainError(_("This mailing is not a draft any more."))
    now = timezone.now()
    if send_at is not None and send_at < now - timedelta(minutes=1):
        raise DomainError(_("Choose a time in the future, or send now."), field="send_at")
    mailing.status = Mailing.Status.SCHEDULED
    mailing.send_at = send_at or now
    mailing.sent_by = user
    mailing.save(update_fields=["status", "send_at", "sent_by"])
    audit_log(
        actor=user,
        action="crm.mailing.scheduled",
        subject=mailing,
        data={"send_at": mailing.send_at.isoformat(), "audience": mailing.segment_label},
    )
    if mailing.send_at <= now:
        from core.outbox import task_enqueue

        from .tasks import start_mailing

        task_enqueue(start_mailing, mailing.pk)
    return mailing


@transaction.atomic
def mailing_cancel(*, user, mailing: Mailing) -> Mailing:
    """Back to a draft before it starts; once sending, stop it: nobody still queued gets it."""
    require_staff(user, "crm.send_mailing")
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    from .models import MailingRecipient

    if mailing.status == Mailing.Status.SCHEDULED:
        mailing.status = Mailing.Status.DRAFT
        mailing.send_at = None
        mailing.save(update_fields=["status", "send_at"])
        audit_log(actor=user, action="crm.mailing.unscheduled", subject=mailing)
        return mailing
    if mailing.status != Mailing.Status.SENDING:
        raise DomainError(_("This mailing is not waiting or sending."))
    stopped = mailing.recipients.filter(status=MailingRecipient.Status.QUEUED).update(
        status=MailingRecipient.Status.CANCELLED
    )
    mailing.status = Mailing.Status.CANCELLED
    mailing.finished_at = timezone.now()
    mailing.save(update_fields=["status", "finished_at"])
    audit_log(
        actor=user, action="crm.mailing.cancelled", subject=mailing, data={"not_sent": stopped}
    )
    return mailing


DEFAULT_TOPICS = Path(__file__).resolve().parent.parent / "data" / "default_topics.json"


def topics_ensure_defaults() -> list[Topic]:
    """The topics the service starts with (its first migration adds them; the demo and tests
    that empty the database call this). Topics staff changed are left as they are."""
    topics = []
    for topic in json.loads(DEFAULT_TOPICS.read_text(encoding="utf-8")):
        record, _created = Topic.objects.get_or_create(
            code=topic["code"],
            defaults={
                "name": topic["name"],
                "description": topic["description"],
                "order": topic["order"],
                "translations": topic["translations"],
            },
        )
        topics.append(record)
    return topics
