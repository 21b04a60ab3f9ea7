"""Selection of applicants by the body secretariat: evaluators and their conflict declarations,
scores, prepared decisions (by hand or from a suggested slate) and their commitment, which
appoints members and emails every applicant once the transaction has committed."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import is_staff_user, require_staff
from core.audit import audit_log
from core.email import email_enqueue
from core.errors import DomainError
from crm.models import Affiliation

from ..models import Application, Call, EligibilityFinding, Evaluation, Membership, Nomination

DECISION_STATUS = {
    "appoint": Application.Status.APPOINTED,
    "reserve": Application.Status.RESERVE,
    "reject": Application.Status.REJECTED,
}
MAX_SCORE = 10


def _require_secretariat(user) -> None:
    if not (is_staff_user(user) and user.has_perm("forums.change_application")):
        raise DomainError(_("Only the body secretariat can do this."))


def _organisations_of_people(person_ids) -> dict[int, set[int]]:
    """The organisations each person is currently and confidently affiliated with."""
    result: dict[int, set[int]] = {}
    for person_id, organisation_id in (
        Affiliation.objects.current()
        .filter(person_id__in=person_ids, status=Affiliation.Status.CONFIRMED)
        .values_list("person_id", "organisation_id")
    ):
        result.setdefault(person_id, set()).add(organisation_id)
    return result


def _evaluator_organisations(evaluator_ids) -> dict[int, set[int]]:
    rows = Affiliation.objects.current().filter(
        person__user_id__in=evaluator_ids, status=Affiliation.Status.CONFIRMED
    )
    result: dict[int, set[int]] = {}
    for user_id, organisation_id in rows.values_list("person__user_id", "organisation_id"):
        result.setdefault(user_id, set()).add(organisation_id)
    return result


def _applicant_organisations(applications) -> dict[int, set[int]]:
    """Per application: the organisation applying and those the applicant works for."""
    applications = list(applications)
    of_person = _organisations_of_people({a.person_id for a in applications})
    return {
        a.pk: of_person.get(a.person_id, set()) | ({a.organisation_id} - {None})
        for a in applications
    }


def _check_no_conflict(application: Application, evaluator) -> None:
    if application.person.user_id == evaluator.pk:
        raise DomainError(_("Nobody evaluates their own application."), field="evaluator")
    shared = _applicant_organisations([application])[application.pk] & _evaluator_organisations(
        [evaluator.pk]
    ).get(evaluator.pk, set())
    if shared:
        raise DomainError(
            _(
                "This evaluator belongs to the same organisation as the applicant, so they "
                "cannot evaluate this application. Choose another evaluator."
            ),
            field="evaluator",
            code="same_organisation",
        )


@transaction.atomic
def evaluator_assign(*, user, application: Application, evaluator) -> Evaluation:
    """Assign one evaluator by hand. Refused for someone who cannot reach the evaluation pages,
    the applicant themselves and anyone from the applicant's organisation."""
    _require_secretariat(user)
    require_staff(user, "forums.change_application")
    if not (is_staff_user(evaluator) and evaluator.has_perm("forums.view_application")):
        raise DomainError(
            _("Evaluators must be AI Office staff of the body secretariat."), field="evaluator"
        )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=application.pk)
    )
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(_("Only submitted applications are evaluated."))
    _check_no_conflict(application, evaluator)
    evaluation, created = Evaluation.objects.get_or_create(
        application=application, evaluator=evaluator
    )
    if not created:
        raise DomainError(
            _("This evaluator is already assigned to the application."), field="evaluator"
        )
    audit_log(
        actor=user,
        action="forums.evaluation.assigned",
        subject=application,
        data={"evaluator": evaluator.pk},
    )
    return evaluation


@transaction.atomic
def evaluator_unassign(*, user, evaluation: Evaluation) -> None:
    """Take an evaluation back from its evaluator, unless it is already scored."""
    require_staff(user, "forums.change_application")
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.completed_at is not None:
        raise DomainError(_("A scored evaluation stays: it counts in the average score."))
    application = evaluation.application
    evaluator_id = evaluation.evaluator_id
    evaluation.delete()
    audit_log(
        actor=user,
        action="forums.evaluation.unassigned",
        subject=application,
        data={"evaluator": evaluator_id},
    )


@transaction.atomic
def evaluators_assign_balanced(*, user, call: Call, evaluators: list, per_application: int = 2):
    """Give each submitted application `per_application` evaluators, always to the least loaded
    ones, so the work is spread evenly. Returns how many assignments were made."""
    _require_secretariat(user)
    require_staff(user, "forums.change_application")
    evaluators = [
        e for e in evaluators if is_staff_user(e) and e.has_perm("forums.view_application")
    ]
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
    submitted = list(
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
        .select_related("person")
        .order_by("pk")
    )
    applicant_organisations = _applicant_organisations(submitted)
    evaluator_organisations = _evaluator_organisations(list(load))
    new = []
    for application in submitted:
        application_id = application.pk
        have = existing.get(application_id, set())
        for evaluator_id in sorted(load, key=lambda pk: (load[pk], pk)):
            if len(have) >= per_application:
                break
            if evaluator_id in have or evaluator_id == application.person.user_id:
                continue
            if applicant_organisations[application_id] & evaluator_organisations.get(
                evaluator_id, set()
            ):
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


def _require_evaluator(user, evaluation: Evaluation) -> None:
    if evaluation.evaluator_id != user.pk:
        raise DomainError(_("This evaluation is assigned to someone else."))


@transaction.atomic
def evaluation_declare(*, user, evaluation: Evaluation, has_conflict: bool) -> Evaluation:
    """The evaluator says whether they have a conflict with the applicant, before seeing the
    application. A declared conflict is final and blocks the evaluation."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require_evaluator(user, evaluation)
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
    _require_evaluator(user, evaluation)
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
def eligibility_record(*, user, application: Application, findings: list[tuple[bool, str]]):
    """Record, for each eligibility criterion of the call, whether the applicant meets it and
    why. An application that fails one is not eligible (and is told why when the decisions are
    committed); one that meets every criterion stays in the selection. The findings may be
    corrected until the outcome has been emailed."""
    require_staff(user, "forums.change_application")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    criteria = application.call.eligibility_questions
    if not criteria:
        raise DomainError(_("This call has no eligibility criteria to check."))
    if application.status not in (Application.Status.SUBMITTED, Application.Status.INELIGIBLE):
        raise DomainError(_("Eligibility is checked only for submitted applications."))
    if application.notified_at is not None:
        raise DomainError(_("The applicant has already been told the outcome."))
    if len(findings) != len(criteria):
        raise DomainError(_("Record a finding for every eligibility criterion."))
    rows = []
    for position, (criterion, (met, reason)) in enumerate(zip(criteria, findings, strict=True)):
        reason = (reason or "").strip()
        if met is None:
            raise DomainError(
                _("Say whether the criterion “%(criterion)s” is met.") % {"criterion": criterion},
                field=f"met_{position}",
            )
        if not reason:
            raise DomainError(
                _("Give the reason for your finding on “%(criterion)s”.")
                % {"criterion": criterion},
                field=f"reason_{position}",
            )
        rows.append(
            EligibilityFinding(
                application=application,
                position=position,
                criterion=criterion[:500],
                met=bool(met),
                reason=reason[:2000],
                recorded_by=user,
            )
        )
    EligibilityFinding.objects.filter(application=application).delete()
    EligibilityFinding.objects.bulk_create(rows)
    eligible = all(row.met for row in rows)
    application.status = Application.Status.SUBMITTED if eligible else Application.Status.INELIGIBLE
    if not eligible:
        application.decision = ""
    application.eligibility_checked_at = timezone.now()
    application.save(update_fields=["status", "decision", "eligibility_checked_at", "updated_at"])
    audit_log(
        actor=user,
        action="forums.application.eligibility_recorded",
        subject=application,
        data={"eligible": eligible, "unmet": [r.position for r in rows if not r.met]},
    )
    return application


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


def _memberships_for(application, body, today, term_end) -> list[Membership]:
    """The memberships an appointment creates: the applicant, or the people an organisation
    nominated (its alternates as alternates)."""
    role = {"chair": "chair", "vice_chair": "vice_chair"}.get(
        application.role, Membership.Role.MEMBER
    )
    common = {
        "body": body,
        "organisation": application.organisation,
        "term_start": today,
        "term_end": term_end,
        "publication": Membership.Publication.LEGAL_BASIS,
    }
    nominations = list(application.nominations.all())
    if application.organisation_id and nominations:
        return [
            Membership(
                person=nomination.person,
                member_type=Membership.MemberType.ALTERNATE
                if nomination.seat == Nomination.Seat.ALTERNATE
                else Membership.MemberType.REPRESENTATIVE,
                role=role if nomination.seat == Nomination.Seat.MEMBER else Membership.Role.MEMBER,
                **common,
            )
            for nomination in nominations
        ]
    return [
        Membership(
            person=application.person,
            member_type=Membership.MemberType.OBSERVER
            if application.role == "observer"
            else Membership.MemberType.REPRESENTATIVE
            if application.organisation_id
            else Membership.MemberType.PERSONAL,
            role=role,
            **common,
        )
    ]


def _email_outcome(application, call, body, person, findings=()) -> None:
    email_enqueue(
        to=person.email,
        template="forums/email/application_decision",
        context={
            "application": application,
            "call": call,
            "body": body,
            "person": person,
            "unmet": [f for f in findings if not f.met],
        },
        language=person.preferred_language,
    )


@transaction.atomic
def decisions_commit(*, user, call: Call) -> int:
    """Turn the prepared decisions into outcomes: appointed applicants (or the people their
    organisation nominated) become members for one term; every decided applicant, and every
    applicant found not eligible, is emailed after the commit, the latter with the reasons.
    Returns how many were decided or told."""
    _require_secretariat(user)
    require_staff(user, "forums.change_application")
    call = Call.objects.select_for_update(of=("self",)).select_related("body").get(pk=call.pk)
    body = call.body
    decided = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, status=Application.Status.SUBMITTED)
        .exclude(decision="")
        .select_related("person", "organisation")
        .prefetch_related("nominations__person")
    )
    ineligible = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, status=Application.Status.INELIGIBLE, notified_at__isnull=True)
        .select_related("person")
        .prefetch_related("eligibility_findings")
    )
    now = timezone.now()
    today = timezone.localdate()
    term_end = today + timedelta(days=round(body.term_months * 30.44)) if body.term_months else None
    memberships = []
    for application in decided:
        application.status = DECISION_STATUS[application.decision]
        application.notified_at = now
        recipients = [application.person]
        if application.status == Application.Status.APPOINTED:
            created = _memberships_for(application, body, today, term_end)
            memberships += created
            recipients += [m.person for m in created if m.person_id != application.person_id]
        for person in recipients:
            _email_outcome(application, call, body, person)
    for application in ineligible:
        application.notified_at = now
        _email_outcome(
            application, call, body, application.person, application.eligibility_findings.all()
        )
    Application.objects.bulk_update(decided, ["status", "notified_at"])
    Application.objects.bulk_update(ineligible, ["notified_at"])
    Membership.objects.bulk_create(memberships)
    audit_log(
        actor=user,
        action="forums.call.decisions_committed",
        subject=call,
        data={
            "decided": len(decided),
            "appointed": len(memberships),
            "ineligible_told": len(ineligible),
        },
    )
    return len(decided) + len(ineligible)
