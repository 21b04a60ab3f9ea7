"""Selection of applicants by the body secretariat: evaluators and their conflict declarations,
scores, prepared decisions (by hand or from a suggested slate) and their commitment, which
appoints members and emails every applicant once the transaction has committed."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import is_staff_user
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError

from ..models import Application, Call, Evaluation, Membership

DECISION_STATUS = {
    "appoint": Application.Status.APPOINTED,
    "reserve": Application.Status.RESERVE,
    "reject": Application.Status.REJECTED,
}
MAX_SCORE = 10


def _require_secretariat(user) -> None:
    if not (is_staff_user(user) and user.has_perm("forums.change_application")):
        raise DomainError(_("Only the body secretariat can do this."))


@transaction.atomic
def evaluator_assign(*, user, application: Application, evaluator) -> Evaluation:
    _require_secretariat(user)
    if not is_staff_user(evaluator):
        raise DomainError(_("Evaluators must be AI Office staff."))
    evaluation, created = Evaluation.objects.get_or_create(
        application=application, evaluator=evaluator
    )
    if not created:
        raise DomainError(_("This evaluator is already assigned to the application."))
    audit_log(
        actor=user,
        action="forums.evaluation.assigned",
        subject=application,
        data={"evaluator": evaluator.pk},
    )
    return evaluation


@transaction.atomic
def evaluators_assign_balanced(*, user, call: Call, evaluators: list, per_application: int = 2):
    """Give each submitted application `per_application` evaluators, always to the least loaded
    ones, so the work is spread evenly. Returns how many assignments were made."""
    _require_secretariat(user)
    evaluators = [e for e in evaluators if is_staff_user(e)]
    if len(evaluators) < per_application:
        raise DomainError(_("Choose at least %(count)d evaluators.") % {"count": per_application})
    load = dict.fromkeys((e.pk for e in evaluators), 0)
    for row in (
        Evaluation.objects.filter(application__call=call, evaluator_id__in=load)
        .values("evaluator_id")
        .annotate(n=Count("pk"))
    ):
        load[row["evaluator_id"]] = row["n"]
    existing = {}
    for application_id, evaluator_id in Evaluation.objects.filter(
        application__call=call
    ).values_list("application_id", "evaluator_id"):
        existing.setdefault(application_id, set()).add(evaluator_id)
    new = []
    for application_id in (
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        have = existing.get(application_id, set())
        for evaluator_id in sorted(load, key=lambda pk: (load[pk], pk)):
            if len(have) >= per_application:
                break
            if evaluator_id in have:
                continue
            new.append(Evaluation(application_id=application_id, evaluator_id=evaluator_id))
            have.add(evaluator_id)
            load[evaluator_id] += 1
    Evaluation.objects.bulk_create(new)
    audit_log(
        actor=user,
        action="forums.evaluation.assigned_balanced",
        subject=call,
        data={"count": len(new)},
    )
    return len(new)


@transaction.atomic
def evaluation_declare(*, user, evaluation: Evaluation, has_conflict: bool) -> Evaluation:
    """The evaluator says whether they have a conflict with the applicant, before seeing the
    application. A declared conflict is final and blocks the evaluation."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.evaluator_id != user.pk:
        raise DomainError(_("This evaluation is assigned to someone else."))
    if evaluation.has_conflict is not None:
        raise DomainError(_("You have already made your declaration."))
    evaluation.has_conflict = has_conflict
    evaluation.save(update_fields=["has_conflict"])
    audit_log(
        actor=user,
        action="forums.evaluation.declared",
        subject=evaluation.application,
        data={"conflict": has_conflict},
    )
    return evaluation


@transaction.atomic
def evaluation_score(*, user, evaluation: Evaluation, scores: dict, comment: str = ""):
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("application__call")
        .get(pk=evaluation.pk)
    )
    if evaluation.evaluator_id != user.pk:
        raise DomainError(_("This evaluation is assigned to someone else."))
    if evaluation.has_conflict is None:
        raise DomainError(_("Declare first whether you have a conflict of interest."))
    if evaluation.has_conflict:
        raise DomainError(
            _("You declared a conflict of interest with this applicant, so you cannot evaluate.")
        )
    application = evaluation.application
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(_("Only submitted applications are evaluated."))
    criteria = application.call.criteria
    if set(scores) != set(criteria) or not all(
        isinstance(v, int) and 0 <= v <= MAX_SCORE for v in scores.values()
    ):
        raise DomainError(
            _("Give every criterion a whole-number score from 0 to %(max)d.") % {"max": MAX_SCORE}
        )
    evaluation.scores = scores
    evaluation.comment = comment.strip()
    evaluation.completed_at = timezone.now()
    evaluation.save(update_fields=["scores", "comment", "completed_at"])
    totals = [
        e.total
        for e in Evaluation.objects.filter(application=application, completed_at__isnull=False)
    ]
    application.score = Decimal(sum(totals)) / len(totals)
    application.save(update_fields=["score", "updated_at"])
    audit_log(actor=user, action="forums.evaluation.scored", subject=application)
    return evaluation


@transaction.atomic
def decision_prepare(*, user, application: Application, decision: str) -> Application:
    _require_secretariat(user)
    if decision not in ("", *DECISION_STATUS):
        raise DomainError(_("Choose appoint, reserve list or reject."), field="decision")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(_("Decisions are prepared only for submitted applications."))
    application.decision = decision
    application.save(update_fields=["decision", "updated_at"])
    audit_log(
        actor=user,
        action="forums.application.decision_prepared",
        subject=application,
        data={"decision": decision},
    )
    return application


@transaction.atomic
def slate_accept(*, user, call: Call, application_ids: list[int]) -> int:
    """Prepare 'appoint' for the suggested slate (and clear 'appoint' for everyone else); the
    secretariat may still change any decision before committing."""
    _require_secretariat(user)
    submitted = Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
    submitted.filter(decision="appoint").exclude(pk__in=application_ids).update(decision="")
    count = submitted.filter(pk__in=application_ids).update(decision="appoint")
    audit_log(actor=user, action="forums.call.slate_accepted", subject=call, data={"count": count})
    return count


@transaction.atomic
def decisions_commit(*, user, call: Call) -> int:
    """Turn the prepared decisions into outcomes: appointed applicants become members for one
    term; every applicant is emailed after the commit. Returns how many were decided."""
    _require_secretariat(user)
    call = Call.objects.select_for_update(of=("self",)).select_related("body").get(pk=call.pk)
    body = call.body
    decided = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, status=Application.Status.SUBMITTED)
        .exclude(decision="")
        .select_related("person", "organisation")
    )
    today = timezone.localdate()
    term_end = today + timedelta(days=round(body.term_months * 30.44)) if body.term_months else None
    memberships = []
    for application in decided:
        application.status = DECISION_STATUS[application.decision]
        if application.status == Application.Status.APPOINTED:
            memberships.append(
                Membership(
                    body=body,
                    person=application.person,
                    organisation=application.organisation,
                    member_type=Membership.MemberType.OBSERVER
                    if application.role == "observer"
                    else Membership.MemberType.REPRESENTATIVE
                    if application.organisation_id
                    else Membership.MemberType.PERSONAL,
                    role={"chair": "chair", "vice_chair": "vice_chair"}.get(
                        application.role, Membership.Role.MEMBER
                    ),
                    term_start=today,
                    term_end=term_end,
                    publication=Membership.Publication.LEGAL_BASIS,
                )
            )
        email_enqueue(
            to=application.person.email,
            template="forums/email/application_decision",
            context={
                "application": application,
                "call": call,
                "body": body,
                "person": application.person,
            },
            language=application.person.preferred_language,
        )
    Application.objects.bulk_update(decided, ["status"])
    Membership.objects.bulk_create(memberships)
    audit_log(
        actor=user,
        action="forums.call.decisions_committed",
        subject=call,
        data={"decided": len(decided), "appointed": len(memberships)},
    )
    return len(decided)
