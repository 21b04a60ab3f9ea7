"""Reads of declarations of interest: one's own, the secretariat's queues (assessments to make,
renewals overdue), what an evaluator may know of an applicant's declaration, and what the public
page of a body whose declarations are public shows."""

from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.access import is_staff_user

from ..models import Application, Body, Declaration, DeclaredInterest, Membership


def can_see_declarations(user) -> bool:
    return is_staff_user(user) and user.has_perm("forums.view_declaration")


def latest_signed_subquery(field: str = "signed_at"):
    """The person's latest declaration's `field`, for annotating memberships."""
    return Subquery(
        Declaration.objects.filter(person=OuterRef("person")).order_by("-version").values(field)[:1]
    )


def declaration_due_on(*, membership: Membership, last_signed) -> date:
    """When the member's next declaration is due: a year after the last, or at the start of the
    term when there is none."""
    if last_signed is None:
        return membership.term_start
    return timezone.localdate(last_signed + Declaration.VALIDITY)


def _overdue(today: date | None = None) -> Q:
    """Memberships (annotated with `last_signed`) whose declaration is overdue."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - Declaration.VALIDITY
    return Q(last_signed__isnull=True, term_start__lte=today) | Q(last_signed__lt=cutoff)


def _with_interests(declarations):
    return declarations.prefetch_related(
        Prefetch("interests", queryset=DeclaredInterest.objects.order_by("category", "pk"))
    )


def declarations_of_user(*, user) -> QuerySet[Declaration]:
    if not user.is_authenticated:
        return Declaration.objects.none()
    return _with_interests(Declaration.objects.filter(person__user=user).order_by("-version"))


def declaration_latest_of_user(*, user) -> Declaration | None:
    return declarations_of_user(user=user).first()


def declaration_get_staff(*, user, pk) -> Declaration | None:
    if not can_see_declarations(user):
        return None
    return (
        _with_interests(Declaration.objects.filter(pk=pk))
        .select_related("person", "assessed_by")
        .first()
    )


def declarations_to_assess(*, user) -> QuerySet[Declaration]:
    """Declarations not yet assessed, oldest first."""
    if not can_see_declarations(user):
        return Declaration.objects.none()
    return (
        Declaration.objects.filter(assessment=Declaration.Assessment.PENDING)
        .select_related("person")
        .order_by("signed_at", "pk")
    )


def declarations_of_person(*, user, person) -> QuerySet[Declaration]:
    if not can_see_declarations(user):
        return Declaration.objects.none()
    return Declaration.objects.filter(person=person).order_by("-version")


def memberships_declaration_overdue(*, user, body: Body | None = None) -> QuerySet[Membership]:
    """Active members in a personal capacity whose yearly declaration is overdue."""
    if not can_see_declarations(user):
        return Membership.objects.none()
    memberships = Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        member_type=Membership.MemberType.PERSONAL,
        person__isnull=False,
    )
    if body is not None:
        memberships = memberships.filter(body=body)
    return (
        memberships.annotate(last_signed=latest_signed_subquery())
        .filter(_overdue())
        .select_related("person", "body")
        .order_by("last_signed", "person__last_name", "pk")
    )


def declaration_status_of_application(*, user, application: Application, blinded: bool) -> dict:
    """What an evaluator may know of the declaration filed with an application: whether there is
    one and the secretariat's assessment, never its content. Those who may read declarations
    (and are not held blind) also get its id, for a link."""
    declaration = application.declaration
    if declaration is None:
        return {"filed": False}
    return {
        "filed": True,
        "assessment": declaration.assessment,
        "label": declaration.get_assessment_display(),
        "pk": declaration.pk if can_see_declarations(user) and not blinded else None,
    }


def declarations_public(*, user, body: Body, memberships) -> dict[int, Declaration]:
    """For a body whose declarations are public: each listed member's latest assessed
    declaration, by person id. Unassessed versions wait for the secretariat."""
    if not body.declarations_public:
        return {}
    person_ids = [m.person_id for m in memberships if m.person_id]
    latest = {}
    declarations = _with_interests(
        Declaration.objects.filter(person_id__in=person_ids)
        .exclude(assessment=Declaration.Assessment.PENDING)
        .order_by("person_id", "-version")
    )
    for declaration in declarations:
        latest.setdefault(declaration.person_id, declaration)
    return latest
