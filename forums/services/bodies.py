"""Creating and changing expert bodies (with their balance rules) and their calls."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError, full_clean_or_refuse

from ..balance import rule_in_words
from ..models import (
    BalanceRule,
    Body,
    Call,
    EligibilityFinding,
    Evaluation,
    Membership,
)

BODY_FIELDS = [
    "name",
    "slug",
    "description",
    "translations",
    "kind",
    "parent",
    "legal_basis",
    "max_members",
    "term_months",
    "max_service_months",
    "declarations_public",
    "nominees_per_organisation",
    "is_public",
    "order",
]
RULE_FIELDS = ("dimension", "value", "operator", "threshold", "description")
CALL_FIELDS = [
    "title",
    "text",
    "translations",
    "opens_at",
    "closes_at",
    "time_zone",
    "applicants",
    "roles",
    "criteria",
    "eligibility_questions",
    "one_per_organisation",
    "register_id_required",
    "declaration_required",
    "blind_review",
    "seats",
    "status",
]
# Path segments of /bodies/ that a body's web address would hide.
RESERVED_SLUGS = {"calls", "applications", "declarations", "nominations"}


def _check_parent(body: Body) -> None:
    seen = {body.pk} if body.pk else set()
    parent = body.parent
    while parent is not None:
        if parent.pk in seen:
            raise DomainError(_("A body cannot be part of itself."), field="parent")
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def body_save(*, user, body: Body | None = None, rules: list[dict], **fields) -> Body:
    """Create or change a body and replace its balance rules. A rule left without words gets
    them from its figures ("At least 80 % EU/EEA nationals")."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise ValueError(f"Unknown body fields: {sorted(unknown)}")
    creating = body is None
    require_staff(user, "forums.add_body" if creating else "forums.change_body")
    if rules or not creating:
        require_staff(
            user,
            "forums.add_balancerule",
            "forums.change_balancerule",
            "forums.delete_balancerule",
        )
    body = Body() if creating else Body.objects.select_for_update().get(pk=body.pk)
    before = {name: getattr(body, name) for name in BODY_FIELDS if name != "parent"}
    for name, value in fields.items():
        setattr(body, name, value)
    if body.slug in RESERVED_SLUGS:
        raise DomainError(_("This web address is used by the site; choose another."), field="slug")
    _check_parent(body)
    if body.max_service_months and body.term_months and body.max_service_months < body.term_months:
        raise DomainError(
            _("The maximum total service must be at least one term."), field="max_service_months"
        )
    if not creating and body.max_members:
        active = Membership.objects.filter(body=body, status=Membership.Status.ACTIVE).count()
        if active > body.max_members:
            raise DomainError(
                _("The body has %(count)d active members; the maximum cannot be lower.")
                % {"count": active},
                field="max_members",
            )
    full_clean_or_refuse(body, exclude=["parent"], validate_constraints=False)
    if Body.objects.filter(slug=body.slug).exclude(pk=body.pk).exists():
        raise DomainError(_("Another body has this web address."), field="slug")
    body.save()
    new_rules = []
    for values in rules:
        unknown = set(values) - set(RULE_FIELDS)
        if unknown:
            raise ValueError(f"Unknown rule fields: {sorted(unknown)}")
        rule = BalanceRule(body=body, **values)
        if not rule.description:
            rule.description = rule_in_words(rule)[:200]
        try:
            full_clean_or_refuse(rule, exclude=["body"])
        except DomainError as error:
            raise DomainError(
                _("Rule “%(rule)s”: %(error)s") % {"rule": rule.description, "error": error},
                field="rules",
            ) from error
        new_rules.append(rule)
    BalanceRule.objects.filter(body=body).delete()
    BalanceRule.objects.bulk_create(new_rules)
    after = {name: getattr(body, name) for name in BODY_FIELDS if name != "parent"}
    audit_log(
        actor=user,
        action="forums.body.created" if creating else "forums.body.updated",
        subject=body,
        data={
            "changed": sorted(k for k in after if after[k] != before[k]),
            "rules": [r.description for r in new_rules],
        },
    )
    return body


@transaction.atomic
def call_save(*, user, body: Body, call: Call | None = None, **fields) -> Call:
    """Create or change a call. What evaluations or eligibility findings already rest on is
    frozen: the criteria once a score is in, the eligibility questions once a finding is
    recorded, blind review once evaluators are assigned, the body once someone applied."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown call fields: {sorted(unknown)}")
    creating = call is None
    require_staff(user, "forums.add_call" if creating else "forums.change_call")
    if creating:
        call = Call(body=body)
    else:
        call = Call.objects.select_for_update().get(pk=call.pk)
        frozen = []
        if (
            fields.get("criteria", call.criteria) != call.criteria
            and Evaluation.objects.filter(
                application__call=call, completed_at__isnull=False
            ).exists()
        ):
            frozen.append(("criteria", _("Evaluators have scored against these criteria.")))
        if (
            fields.get("eligibility_questions", call.eligibility_questions)
            != call.eligibility_questions
            and EligibilityFinding.objects.filter(application__call=call).exists()
        ):
            frozen.append(
                ("eligibility_questions", _("Eligibility has been recorded against these."))
            )
        if fields.get("blind_review", call.blind_review) != call.blind_review and (
            Evaluation.objects.filter(application__call=call).exists()
        ):
            frozen.append(("blind_review", _("Evaluators are already assigned.")))
        if body.pk != call.body_id and call.applications.exists():
            frozen.append(("body", _("People have applied to this call.")))
        if frozen:
            field, message = frozen[0]
            raise DomainError(message, field=field, code="frozen")
        call.body = body
    before = {name: getattr(call, name) for name in CALL_FIELDS}
    for name, value in fields.items():
        setattr(call, name, value)
    if call.seats and body.max_members and call.seats > body.max_members:
        raise DomainError(
            _("The body has at most %(count)d members.") % {"count": body.max_members},
            field="seats",
        )
    full_clean_or_refuse(call, exclude=["body"], validate_constraints=False)
    call.save()
    after = {name: getattr(call, name) for name in CALL_FIELDS}
    audit_log(
        actor=user,
        action="forums.call.created" if creating else "forums.call.updated",
        subject=call,
        data={"changed": sorted(k for k in after if after[k] != before[k])},
    )
    return call
