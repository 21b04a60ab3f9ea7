"""Reads of the body secretariat's pages on bodies (members, attendance at the body's meetings,
terms ending soon) and of the CRM panels on a person's or an organisation's part in the bodies."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import is_staff_user

from ..models import Application, Body, Call, Event, Membership, Nomination, Registration
from .declarations import can_see_declarations, declaration_due_on, latest_signed_subquery
from .selection import blinded_application_ids

TERMS_ENDING_WITHIN = timedelta(days=90)


def can_see_bodies(user) -> bool:
    return is_staff_user(user) and user.has_perm("forums.view_body")


def bodies_staff(*, user) -> QuerySet[Body]:
    if not can_see_bodies(user):
        return Body.objects.none()
    return (
        Body.objects.select_related("parent")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=Membership.Status.ACTIVE),
                distinct=True,
            ),
            call_count=Count("calls", distinct=True),
        )
        .order_by("order", "name")
    )


def body_get_staff(*, user, pk) -> Body | None:
    if not can_see_bodies(user):
        return None
    return Body.objects.filter(pk=pk).select_related("parent").first()


def membership_get_staff(*, user, pk) -> Membership | None:
    """An active membership, for the secretariat to renew or end."""
    if not (can_see_bodies(user) and user.has_perm("forums.change_membership")):
        return None
    return (
        Membership.objects.filter(pk=pk, status=Membership.Status.ACTIVE)
        .select_related("body", "person", "organisation")
        .first()
    )


def body_members_staff(*, user, body: Body) -> list[Membership]:
    """Active members, each with `attendance` (meetings of the body held during their term,
    attended, missed) and, for members in a personal capacity, when their declaration of
    interests is due."""
    if not (can_see_bodies(user) and user.has_perm("forums.view_membership")):
        return []
    memberships = list(
        Membership.objects.filter(body=body, status=Membership.Status.ACTIVE)
        .annotate(last_signed=latest_signed_subquery())
        .select_related("person", "organisation")
        .order_by("role", "person__last_name", "organisation__name", "pk")
    )
    meetings = list(
        Event.objects.filter(
            body=body, status=Event.Status.PUBLISHED, ends_at__lt=timezone.now()
        ).values_list("pk", "starts_at")
    )
    marks = {}
    for person_id, event_id, attendance in Registration.objects.filter(
        event_id__in=[pk for pk, _starts in meetings],
        person_id__in={m.person_id for m in memberships if m.person_id},
    ).values_list("person_id", "event_id", "attendance"):
        if attendance:
            marks[(person_id, event_id)] = attendance
    today = timezone.localdate()
    show_declarations = can_see_declarations(user)
    for membership in memberships:
        held = [
            pk for pk, starts in meetings if timezone.localdate(starts) >= membership.term_start
        ]
        got = [marks.get((membership.person_id, pk)) for pk in held]
        membership.attendance = {
            "meetings": len(held),
            "attended": got.count(Registration.Attendance.ATTENDED),
            "missed": got.count(Registration.Attendance.NO_SHOW),
        }
        membership.declaration_due = None
        if show_declarations and membership.member_type == Membership.MemberType.PERSONAL:
            due = declaration_due_on(membership=membership, last_signed=membership.last_signed)
            membership.declaration_due = due
            membership.declaration_overdue = due < today
    return memberships


def terms_ending_soon(*, user, body: Body) -> QuerySet[Membership]:
    if not (can_see_bodies(user) and user.has_perm("forums.view_membership")):
        return Membership.objects.none()
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            body=body,
            status=Membership.Status.ACTIVE,
            term_end__gte=today,
            term_end__lte=today + TERMS_ENDING_WITHIN,
        )
        .select_related("person", "organisation")
        .order_by("term_end", "pk")
    )


def calls_of_body_staff(*, user, body: Body) -> QuerySet[Call]:
    if not can_see_bodies(user):
        return Call.objects.none()
    return body.calls.annotate(application_count=Count("applications")).order_by("-opens_at")


def _hide_blinded(user, applications: QuerySet[Application]) -> QuerySet[Application]:
    """Leave out applications of blind-review calls that the user evaluates and has not scored:
    the CRM must not tell them who is behind those."""
    hidden = set()
    for call in Call.objects.filter(blind_review=True, applications__in=applications).distinct():
        hidden |= blinded_application_ids(user=user, call=call)
    return applications.exclude(pk__in=hidden)


def applications_of_person(*, user, person) -> QuerySet[Application]:
    if not (is_staff_user(user) and user.has_perm("forums.view_application")):
        return Application.objects.none()
    applications = Application.objects.filter(person=person).exclude(
        status=Application.Status.DRAFT
    )
    return (
        _hide_blinded(user, applications)
        .select_related("call__body", "organisation")
        .order_by("-created_at", "-pk")
    )


def memberships_of_person(*, user, person) -> QuerySet[Membership]:
    if not (is_staff_user(user) and user.has_perm("forums.view_membership")):
        return Membership.objects.none()
    return (
        Membership.objects.filter(person=person)
        .select_related("body", "organisation")
        .order_by("status", "-term_start", "pk")
    )


def memberships_of_organisation(*, user, organisation) -> QuerySet[Membership]:
    if not (is_staff_user(user) and user.has_perm("forums.view_membership")):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("body", "person")
        .order_by("status", "body__order", "-term_start", "pk")
    )


def applications_of_organisation(*, user, organisation) -> QuerySet[Application]:
    """The organisation's applications with the people it nominated."""
    if not (is_staff_user(user) and user.has_perm("forums.view_application")):
        return Application.objects.none()
    applications = Application.objects.filter(organisation=organisation).exclude(
        status=Application.Status.DRAFT
    )
    return (
        _hide_blinded(user, applications)
        .select_related("call__body", "person")
        .prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.select_related("person"))
        )
        .order_by("-created_at", "-pk")
    )
