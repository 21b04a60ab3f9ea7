"""Declarations of interest: filing a new version, the secretariat's assessment, and the yearly
renewal reminder to members."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError, full_clean_or_refuse
from crm.models import Person
from crm.services import person_ensure_for_user

from ..models import Declaration, DeclaredInterest, Membership
from ..selectors.declarations import declaration_due_on, latest_signed_subquery

INTEREST_FIELDS = ("category", "organisation", "description", "started_on", "ended_on", "amount")
RENEWAL_NOTICE = timedelta(days=30)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@transaction.atomic
def declaration_file(
    *, user, no_interests: bool, interests: list[dict], signed_name: str
) -> Declaration:
    """File a new version of the user's declaration of interests. Earlier versions stay as they
    were signed. Refusals: nothing declared and "no interests" not ticked (or both), an interest
    without its organisation or description, a period that ends before it starts, a signature
    that is not the person's name."""
    if not user.is_authenticated:
        raise DomainError(_("Please sign in first."))
    person = person_ensure_for_user(user=user)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if no_interests and interests:
        raise DomainError(
            _("You ticked “no interests to declare” but listed interests. Choose one."),
            field="no_interests",
        )
    if not no_interests and not interests:
        raise DomainError(
            _("List your interests, or tick “no interests to declare”."), field="no_interests"
        )
    if not _same_name(signed_name, person.full_name):
        raise DomainError(
            _("Sign with your full name as it appears in your profile: %(name)s.")
            % {"name": person.full_name},
            field="signed_name",
        )
    latest = person.declarations.aggregate(v=Max("version"))["v"] or 0
    declaration = Declaration(
        person=person,
        version=latest + 1,
        no_interests=no_interests,
        signed_name=" ".join(signed_name.split()),
        signed_at=timezone.now(),
        signed_by=user,
    )
    rows = []
    for values in interests:
        unknown = set(values) - set(INTEREST_FIELDS)
        if unknown:
            raise ValueError(f"Unknown interest fields: {sorted(unknown)}")
        row = DeclaredInterest(declaration=declaration, **values)
        if row.started_on and row.ended_on and row.ended_on < row.started_on:
            raise DomainError(_("An interest cannot end before it starts."), field="ended_on")
        full_clean_or_refuse(row, exclude=["declaration"])
        rows.append(row)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError as exc:  # a second filing raced this one past the person lock
        raise DomainError(_("Another declaration was filed at the same time; try again.")) from exc
    DeclaredInterest.objects.bulk_create(rows)
    audit_log(
        actor=user,
        action="forums.declaration.filed",
        subject=declaration,
        data={"version": declaration.version, "interests": len(rows)},
    )
    return declaration


@transaction.atomic
def declaration_assess(*, user, declaration: Declaration, assessment: str, reason: str):
    """The secretariat's assessment of a declaration, always with its reason."""
    require_staff(user, "forums.change_declaration")
    if assessment not in Declaration.Assessment.values or assessment == "pending":
        raise DomainError(
            _("Choose no conflict, conflict managed or incompatible."), field="assessment"
        )
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the assessment."), field="reason")
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    previous = declaration.assessment
    declaration.assessment = assessment
    declaration.assessment_reason = reason
    declaration.assessed_by = user
    declaration.assessed_at = timezone.now()
    declaration.save(
        update_fields=["assessment", "assessment_reason", "assessed_by", "assessed_at"]
    )
    audit_log(
        actor=user,
        action="forums.declaration.assessed",
        subject=declaration,
        data={"assessment": assessment, "previous": previous},
    )
    return declaration


def declaration_reminders_send(*, today: date | None = None) -> int:
    """Remind members in a personal capacity, once per yearly cycle, 30 days before their
    declaration is due (or as soon as it is overdue)."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        memberships = list(
            Membership.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Membership.Status.ACTIVE,
                member_type=Membership.MemberType.PERSONAL,
                person__isnull=False,
            )
            .annotate(last_signed=latest_signed_subquery())
            .select_related("person", "body")
        )
        reminded, emailed = [], set()
        for membership in memberships:
            due = declaration_due_on(membership=membership, last_signed=membership.last_signed)
            if due - RENEWAL_NOTICE > today:
                continue
            last = membership.declaration_reminder_sent_at
            if last is not None and last.date() >= due - RENEWAL_NOTICE:
                continue  # already reminded in this cycle
            reminded.append(membership.pk)
            if membership.person_id in emailed:
                continue  # one email for a member of several bodies
            emailed.add(membership.person_id)
            email_enqueue(
                to=membership.person.email,
                template="forums/email/declaration_renewal",
                context={
                    "membership": membership,
                    "body": membership.body,
                    "person": membership.person,
                    "due_on": due,
                },
                language=membership.person.preferred_language,
            )
            sent += 1
        Membership.objects.filter(pk__in=reminded).update(declaration_reminder_sent_at=now)
    return sent
