from django.db.models import Count, Q, QuerySet

from core.access import is_staff_user

from ..registry import mailing_segments
from .models import Mailing, MailingRecipient, Subscription, Suppression, Topic


def masked_email(email: str) -> str:
    """ "jane.doe@example.eu" -> "j•••e@example.eu": enough for its owner to recognise it,
    not enough for whoever sees the page over a shoulder or in a forwarded email."""
    local, _sep, domain = email.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}•••@{domain}"
    return f"{local[0]}•••{local[-1]}@{domain}"


def mailing_list(*, user) -> QuerySet[Mailing]:
    """The mailings the user may see: to topics, and to the segments their role may use."""
    if not (is_staff_user(user) and user.has_perm("crm.view_mailing")):
        return Mailing.objects.none()
    segments = [segment.key for segment in mailing_segments.for_user(user)]
    return Mailing.objects.filter(Q(topic__isnull=False) | Q(segment__in=segments)).select_related(
        "topic", "created_by", "sent_by"
    )


def mailing_get(*, user, pk) -> Mailing | None:
    return mailing_list(user=user).filter(pk=pk).first()


def mailing_recipients(*, mailing: Mailing, status: str = "") -> QuerySet[MailingRecipient]:
    recipients = mailing.recipients.select_related("person").order_by("pk")
    if status == MailingRecipient.Status.CLAIMED:
        return recipients.filter(
            status__in=[MailingRecipient.Status.CLAIMED, MailingRecipient.Status.HANDING_OVER]
        )
    return recipients.filter(status=status) if status else recipients


def topics_with_counts() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        subscribers=Count("subscription", filter=Q(subscription__status=Subscription.Status.ACTIVE))
    )


def subscription_figures() -> dict:
    counts = dict(
        Subscription.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "active": counts.get(Subscription.Status.ACTIVE, 0),
        "pending": counts.get(Subscription.Status.PENDING, 0),
        "left": counts.get(Subscription.Status.LEFT, 0),
        "suppressed": Suppression.objects.count(),
    }


def mailing_history(mailing: Mailing):
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            subject_type=ContentType.objects.get_for_model(Mailing), subject_id=str(mailing.pk)
        )
        .select_related("actor")
        .order_by("-created_at")
    )


def person_updates(person) -> dict:
    """What the person receives, for their CRM record: the topics of an active subscription,
    a subscription waiting for confirmation, or the address on the suppression list."""
    from .models import email_digest

    subscription = Subscription.objects.filter(person=person).first()
    active = subscription is not None and subscription.status == Subscription.Status.ACTIVE
    return {
        "topics": [t.translated_name for t in subscription.topics.all()] if active else [],
        "pending": Subscription.objects.filter(
            email__iexact=person.email, status=Subscription.Status.PENDING
        ).exists(),
        "suppressed": Suppression.objects.filter(email_hash=email_digest(person.email)).exists(),
    }
