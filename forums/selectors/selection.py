"""Reads of the selection: calls and applications for the body secretariat, the balance panel,
the suggested slate and an evaluator's own evaluations."""

from django.db.models import Count, F, Prefetch, QuerySet

from core.access import is_staff_user
from crm.roles import BODY_SECRETARIAT

from ..balance import Profile, category_of, distributions, evaluate, suggest_slate
from ..models import Application, BalanceRule, Call, Evaluation, Membership

_PROFILE_FIELDS = (
    "pk",
    "gender",
    "nationality",
    "score",
    "organisation__country",
    "organisation__type",
    "organisation__size",
)


def _is_secretariat(user) -> bool:
    return is_staff_user(user) and user.has_perm("forums.view_application")


def calls_staff(*, user) -> QuerySet[Call]:
    if not _is_secretariat(user):
        return Call.objects.none()
    return (
        Call.objects.select_related("body")
        .annotate(application_count=Count("applications"))
        .order_by("-opens_at", "pk")
    )


def call_get_staff(*, user, pk) -> Call | None:
    return calls_staff(user=user).filter(pk=pk).first()


def applications_staff(*, user, call: Call, status: str = "") -> QuerySet[Application]:
    """The ranked list: highest average score first, unscored last."""
    if not _is_secretariat(user):
        return Application.objects.none()
    applications = Application.objects.filter(call=call).exclude(status=Application.Status.DRAFT)
    if status:
        applications = applications.filter(status=status)
    return (
        applications.select_related("person", "organisation")
        .annotate(evaluation_count=Count("evaluations"))
        .order_by(F("score").desc(nulls_last=True), "pk")
    )


def evaluation_get_staff(*, user, pk) -> Evaluation | None:
    """An evaluation of a submitted (or decided) application, for the secretariat."""
    if not _is_secretariat(user):
        return None
    return (
        Evaluation.objects.filter(pk=pk)
        .exclude(application__status=Application.Status.DRAFT)
        .select_related("application")
        .first()
    )


class _Organisation:
    """Enough of an organisation for `category_of`, from a values() row."""

    def __init__(self, type_, size):
        self.type, self.size = type_, size


def _profile_of_row(row, key_prefix="a") -> Profile:
    organisation = (
        _Organisation(row["organisation__type"], row["organisation__size"])
        if row["organisation__type"]
        else None
    )
    return Profile(
        key=(key_prefix, row["pk"]),
        gender=row.get("gender") or "",
        country=row.get("nationality") or row.get("organisation__country") or "",
        category=category_of(organisation),
        score=float(row["score"] or 0),
    )


def _sitting_profiles(body) -> list[Profile]:
    # Alternates stand in for a member; they do not count in the composition.
    rows = (
        Membership.objects.filter(body=body, status=Membership.Status.ACTIVE)
        .exclude(member_type=Membership.MemberType.ALTERNATE)
        .values(
            "pk",
            "organisation__country",
            "organisation__type",
            "organisation__size",
            gender=F("person__gender"),
            nationality=F("person__nationality"),
        )
    )
    return [_profile_of_row(row | {"score": None}, "m") for row in rows]


def _candidate_profiles(call: Call, **filters) -> list[Profile]:
    rows = Application.objects.filter(call=call, **filters).values(*_PROFILE_FIELDS)
    return [_profile_of_row(row) for row in rows]


def balance_panel(*, user, call: Call) -> dict | None:
    """The body as it would be after the prepared appointments: each rule with its figures and
    whether it holds, and the distributions for the charts. Two queries for any number of
    applicants."""
    if not _is_secretariat(user):
        return None
    rules = list(BalanceRule.objects.filter(body_id=call.body_id).order_by("pk"))
    sitting = _sitting_profiles(call.body)
    appointed = _candidate_profiles(call, status=Application.Status.SUBMITTED, decision="appoint")
    composition = sitting + appointed
    results = evaluate(composition, rules)
    return {
        "sitting": len(sitting),
        "appointed": len(appointed),
        "size": len(composition),
        "results": results,
        "broken": [r for r in results if not r.ok],
        "distributions": distributions(composition),
    }


def slate_suggestion(*, user, call: Call, seats: int) -> list[int]:
    """The ids of the suggested slate among submitted applications (see balance.suggest_slate);
    raises balance.SlateInfeasible naming the rule when there is none."""
    if not _is_secretariat(user):
        return []
    rules = list(BalanceRule.objects.filter(body_id=call.body_id).order_by("pk"))
    candidates = _candidate_profiles(call, status=Application.Status.SUBMITTED)
    slate = suggest_slate(
        candidates=candidates, seats=seats, rules=rules, sitting=_sitting_profiles(call.body)
    )
    return [profile.key[1] for profile in slate]


def evaluations_of_user(*, user) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(evaluator=user)
        .select_related("application__call__body")
        .order_by("completed_at", "pk")
    )


def evaluation_get(*, user, pk) -> Evaluation | None:
    """An evaluation for its evaluator, or for the body secretariat (who see its state, not the
    application through it)."""
    if not is_staff_user(user):
        return None
    evaluations = Evaluation.objects.filter(pk=pk)
    if not _is_secretariat(user):
        evaluations = evaluations.filter(evaluator=user)
    return evaluations.select_related(
        "evaluator", "application__call__body", "application__person", "application__organisation"
    ).first()


def application_get_staff(*, user, pk) -> Application | None:
    if not _is_secretariat(user):
        return None
    return Application.objects.filter(pk=pk).select_related("call").first()


def blinded_application_ids(*, user, call: Call) -> set[int]:
    """Applications of a blind-review call whose applicant this user may not know yet: those
    they evaluate and have not scored."""
    if not call.blind_review or not user.is_authenticated:
        return set()
    return set(
        Evaluation.objects.filter(
            evaluator=user, application__call=call, completed_at__isnull=True
        ).values_list("application_id", flat=True)
    )


def is_blinded(*, user, application: Application) -> bool:
    return application.pk in blinded_application_ids(user=user, call=application.call)


def application_detail_staff(*, user, pk) -> Application | None:
    """One application with what the secretariat's page shows: eligibility findings, nominees,
    evaluations and their evaluators."""
    if not _is_secretariat(user):
        return None
    return (
        Application.objects.filter(pk=pk)
        .exclude(status=Application.Status.DRAFT)
        .select_related("call__body", "person", "organisation", "declaration")
        .prefetch_related(
            "eligibility_findings",
            "nominations__person",
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")),
        )
        .first()
    )


def evaluators_available(*, user):
    """Staff who may evaluate: active members of the body secretariat."""
    from django.contrib.auth import get_user_model

    if not _is_secretariat(user):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(groups__name=BODY_SECRETARIAT, is_staff=True, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
