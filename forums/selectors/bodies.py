"""Reads of the expert bodies: what the public site may show of bodies, calls and members."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.models import Consent

from ..models import BalanceRule, Body, Call, Event, Membership


def bodies_public(*, user) -> QuerySet[Body]:
    """Bodies shown on the public site, with their number of current members."""
    return (
        Body.objects.filter(is_public=True)
        .select_related("parent")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
            )
        )
        .order_by("order", "name")
    )


def body_get_public(*, user, slug: str) -> Body | None:
    return (
        Body.objects.filter(is_public=True, slug=slug)
        .select_related("parent")
        .prefetch_related("children")
        .first()
    )


def body_rules(*, body: Body) -> QuerySet[BalanceRule]:
    return BalanceRule.objects.filter(body=body).order_by("pk")


def _published():
    """Memberships whose publication rests on the body's legal basis, or on the member's own
    consent to the publication of their name (still in force)."""
    consent = Consent.objects.filter(
        person=OuterRef("person"),
        purpose=Consent.Purpose.PUBLISH_NAME,
        withdrawn_at__isnull=True,
    )
    return Q(publication=Membership.Publication.LEGAL_BASIS) | Q(
        Q(publication=Membership.Publication.CONSENT) & Q(Exists(consent))
    )


def body_members_public(*, user, body: Body) -> QuerySet[Membership]:
    """Current members the public may see: only those whose publication has a basis."""
    return (
        Membership.objects.filter(_published(), body=body, status=Membership.Status.ACTIVE)
        .select_related("person", "organisation")
        .order_by("member_type", "organisation__name", "person__last_name", "pk")
    )


def body_chairs_public(*, user, body: Body) -> QuerySet[Membership]:
    return body_members_public(user=user, body=body).filter(role__in=Membership.CHAIR_ROLES)


def body_past_meetings(*, user, body: Body) -> QuerySet[Event]:
    return Event.objects.filter(
        body=body, status=Event.Status.PUBLISHED, ends_at__lt=timezone.now()
    ).order_by("-starts_at", "-pk")


def calls_open(*, user) -> QuerySet[Call]:
    now = timezone.now()
    return (
        Call.objects.filter(
            status=Call.Status.PUBLISHED, body__is_public=True, opens_at__lte=now, closes_at__gt=now
        )
        .select_related("body")
        .order_by("closes_at", "pk")
    )


def calls_of_body_public(*, user, body: Body) -> QuerySet[Call]:
    return Call.objects.filter(body=body, status=Call.Status.PUBLISHED).order_by("-opens_at")


def call_get_public(*, user, pk: int) -> Call | None:
    return (
        Call.objects.filter(pk=pk, status=Call.Status.PUBLISHED, body__is_public=True)
        .select_related("body")
        .first()
    )


def memberships_of_user(*, user) -> QuerySet[Membership]:
    """The user's own memberships of expert bodies, current ones first."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(person__user=user)
        .select_related("body", "organisation")
        .order_by("status", "-term_start", "pk")
    )


def meetings_of_member(*, user) -> QuerySet[Event]:
    """Upcoming published meetings of the bodies the user is an active member of."""
    if not user.is_authenticated:
        return Event.objects.none()
    bodies = Membership.objects.filter(person__user=user, status=Membership.Status.ACTIVE).values(
        "body_id"
    )
    return (
        Event.objects.filter(
            body_id__in=bodies, status=Event.Status.PUBLISHED, ends_at__gte=timezone.now()
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
