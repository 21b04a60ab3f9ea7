"""Reads of the selection: calls and applications for the body secretariat, the balance panel,
the suggested slate and an evaluator's own evaluations."""

from django.db.models import Count, F, QuerySet

from core.access import is_staff_user

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
    rows = Membership.objects.filter(body=body, status=Membership.Status.ACTIVE).values(
        "pk",
        "organisation__country",
        "organisation__type",
        "organisation__size",
        gender=F("person__gender"),
        nationality=F("person__nationality"),
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
