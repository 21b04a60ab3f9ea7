"""Members' terms: renewal within the body's limits, ending a membership, the reminder sent
60 days before a term ends and the periodic job that ends expired terms."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import require_staff
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError

from ..models import Body, Membership

MEMBERSHIP_PERMISSION = "forums.change_membership"

TERM_END_NOTICE = timedelta(days=60)
DAYS_PER_MONTH = 30.44


def _months(days: int) -> float:
    return days / DAYS_PER_MONTH


def _add_months(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def renewed_term_end(membership: Membership) -> date | None:
    """Where a renewal would take the term, or None when the body has no fixed terms."""
    if not membership.body.term_months or membership.term_end is None:
        return None
    return _add_months(membership.term_end, membership.body.term_months)


def service_months(*, membership: Membership, until: date | None = None) -> float:
    """Months the member has served in the body, over all their memberships of it, counting
    this one until `until` (its term end by default)."""
    same_member = (
        Q(person_id=membership.person_id)
        if membership.person_id
        else Q(person__isnull=True, organisation_id=membership.organisation_id)
    )
    days = 0
    for other in Membership.objects.filter(same_member, body_id=membership.body_id):
        end = until if other.pk == membership.pk and until else other.ceased_on or other.term_end
        if end:
            days += (end - other.term_start).days
    return _months(days)


@transaction.atomic
def membership_renew(*, user, membership: Membership) -> Membership:
    """Extend an active term by one term of the body, within its maximum total service."""
    require_staff(user, MEMBERSHIP_PERMISSION)
    membership = Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
    body = membership.body
    if membership.status != Membership.Status.ACTIVE:
        raise DomainError(_("Only an active membership can be renewed."))
    if not body.term_months or membership.term_end is None:
        raise DomainError(_("This body has no fixed terms to renew."))
    new_end = _add_months(membership.term_end, body.term_months)
    if body.max_service_months and (
        service_months(membership=membership, until=new_end) > body.max_service_months + 0.5
    ):
        raise DomainError(
            _(
                "Renewing would take this member beyond the body's maximum total service of "
                "%(months)d months."
            )
            % {"months": body.max_service_months},
            code="max_service",
        )
    membership.term_end = new_end
    membership.end_reminder_sent_at = None
    membership.save(update_fields=["term_end", "end_reminder_sent_at"])
    audit_log(
        actor=user,
        action="forums.membership.renewed",
        subject=membership,
        data={"term_end": new_end.isoformat()},
    )
    return membership


# How many members of a body may hold each elected role at once.
ROLE_LIMITS = {
    Membership.Role.CHAIR: 1,
    Membership.Role.VICE_CHAIR: 1,
    Membership.Role.CO_CHAIR: 2,
}


def _lock_body(pk) -> None:
    """Lock the body's row: the holders of a role are counted under it."""
    Body.objects.select_for_update().filter(pk=pk).first()


@transaction.atomic
def membership_role_set(
    *, user, membership: Membership, role: str, since: date | None = None, until=None
) -> Membership:
    """Record the role the body elected the member to (chair, vice-chair, co-chair, rapporteur)
    with its own term, or put them back to member. The body row is locked so that two
    secretaries cannot elect two chairs at once."""
    require_staff(user, MEMBERSHIP_PERMISSION)
    if role not in Membership.Role.values:
        raise DomainError(_("Choose one of the roles."), field="role")
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=membership.pk)
    )
    _lock_body(membership.body_id)
    if membership.status != Membership.Status.ACTIVE:
        raise DomainError(_("This membership is not active."))
    if role == Membership.Role.MEMBER:
        since, until = None, None
    else:
        since = since or timezone.localdate()
        if since < membership.term_start or (
            until and (until < since or (membership.term_end and until > membership.term_end))
        ):
            raise DomainError(
                _(
                    "A role starts within the member's term and ends after it starts, by the "
                    "term's end."
                ),
                field="role_until",
            )
        limit = ROLE_LIMITS.get(role)
        if limit is not None:
            holders = Membership.objects.filter(
                body_id=membership.body_id, status=Membership.Status.ACTIVE, role=role
            ).exclude(pk=membership.pk)
            if holders.count() >= limit:
                raise DomainError(
                    ngettext(
                        "This body already has %(count)d member in this role: %(names)s.",
                        "This body already has %(count)d members in this role: %(names)s.",
                        limit,
                    )
                    % {
                        "count": limit,
                        "names": ", ".join(str(h.person or h.organisation) for h in holders),
                    },
                    field="role",
                    code="role_taken",
                )
    previous = membership.role
    membership.role, membership.role_since, membership.role_until = role, since, until
    membership.save(update_fields=["role", "role_since", "role_until"])
    audit_log(
        actor=user,
        action="forums.membership.role_set",
        subject=membership,
        data={"from": previous, "to": role, "until": until.isoformat() if until else None},
    )
    return membership


@transaction.atomic
def membership_end(*, user, membership: Membership, status: str, reason: str = "") -> Membership:
    """A member resigns, is suspended or their membership ends early; the reason is kept."""
    require_staff(user, MEMBERSHIP_PERMISSION)
    if status not in (
        Membership.Status.ENDED,
        Membership.Status.RESIGNED,
        Membership.Status.SUSPENDED,
    ):
        raise DomainError(_("Choose ended, resigned or suspended."), field="status")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.ACTIVE:
        raise DomainError(_("This membership is not active."))
    membership.status = status
    membership.ceased_on = timezone.localdate()
    membership.ceased_reason = reason.strip()[:200]
    membership.save(update_fields=["status", "ceased_on", "ceased_reason"])
    audit_log(actor=user, action=f"forums.membership.{status}", subject=membership)
    return membership


def memberships_expire(*, today: date | None = None) -> int:
    """End the active memberships whose term is over. Returns how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expired = Membership.objects.select_for_update().filter(
            status=Membership.Status.ACTIVE, term_end__lt=today
        )
        ids = list(expired.values_list("pk", flat=True))
        for membership in Membership.objects.filter(pk__in=ids):
            membership.status = Membership.Status.ENDED
            membership.ceased_on = membership.term_end
            membership.ceased_reason = "Term ended"
            membership.save(update_fields=["status", "ceased_on", "ceased_reason"])
            audit_log(actor=None, action="forums.membership.term_ended", subject=membership)
        # Elected roles whose own term is over: the member stays, as a member.
        roles_over = Membership.objects.select_for_update().filter(
            status=Membership.Status.ACTIVE, role_until__lt=today
        )
        for membership in roles_over:
            previous = membership.role
            membership.role, membership.role_since, membership.role_until = (
                Membership.Role.MEMBER,
                None,
                None,
            )
            membership.save(update_fields=["role", "role_since", "role_until"])
            audit_log(
                actor=None,
                action="forums.membership.role_ended",
                subject=membership,
                data={"from": previous},
            )
    return len(ids)


def membership_term_reminders_send(*, today: date | None = None) -> int:
    """Tell members, once, 60 days before their term ends."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Membership.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Membership.Status.ACTIVE,
                person__isnull=False,
                term_end__gte=today,
                term_end__lte=today + TERM_END_NOTICE,
                end_reminder_sent_at__isnull=True,
            )
            .select_related("person", "body")
        )
        now = timezone.now()
        Membership.objects.filter(pk__in=[m.pk for m in due]).update(end_reminder_sent_at=now)
        for membership in due:
            email_enqueue(
                to=membership.person.email,
                template="forums/email/membership_term_ending",
                context={
                    "membership": membership,
                    "body": membership.body,
                    "person": membership.person,
                },
                language=membership.person.preferred_language,
            )
    return len(due)
