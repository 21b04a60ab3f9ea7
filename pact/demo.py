"""Demo data for the AI Pact: the 2024 signatories (real names from the Commission's AI Pact page)
with their published pledges and nothing invented about them, and fictitious "Demo …"
organisations with pledges in every status, progress reports and network memberships.

Idempotent: an organisation that already has a pledge is left alone.
"""

import csv
import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from crm.demo import fictitious_organisations
from crm.models import Organisation

from .catalogue import DATA_DIR, catalogue_load, catalogue_translations_fill
from .figures import figures_changed
from .models import (
    AIRole,
    Commitment,
    ImplementationStatus,
    NetworkMembership,
    Pledge,
    PledgeCommitment,
    PledgeStatusChange,
    ProgressReport,
    ProgressReportItem,
)
from .services import add_months

SIGNING_DAY = datetime.date(2024, 9, 25)

ACTIONS = {
    "CORE-1": [
        "Adopt a group-wide AI policy approved by the management board; appoint an AI governance "
        "lead and a cross-functional AI committee that meets monthly.",
        "Extend the existing compliance programme to AI: inventory owners, risk appetite "
        "statement and an annual AI Act readiness review by internal audit.",
    ],
    "CORE-2": [
        "Complete an inventory of every AI system we provide or deploy and classify each against "
        "Annex III; review the inventory every six months.",
        "Map AI use cases across business units with a questionnaire and legal review of those "
        "that could be high-risk (recruitment, credit scoring, critical infrastructure).",
    ],
    "CORE-3": [
        "Mandatory AI literacy e-learning for all staff, with role-specific modules for "
        "developers, procurement and HR; track completion in the learning platform.",
        "Run quarterly AI awareness sessions and publish internal guidance on the responsible "
        "use of generative AI tools.",
    ],
}
GENERIC_ACTIONS = [
    "Define a documented procedure, assign an owner and test it on our two most used systems "
    "before extending it to the whole portfolio.",
    "Update product documentation and contracts; train the teams concerned and check "
    "implementation in the yearly internal audit.",
    "Pilot the measure in one business line, measure the results and roll it out group-wide.",
]
NARRATIVES = [
    "Done as planned. The policy was adopted and is reviewed every year.",
    "Rolled out in three of five business units; the rest follows next quarter.",
    "Started later than planned because of a reorganisation; the pilot is running.",
    "Completed: 92 % of staff finished the training; new joiners take it in their first month.",
]
DIFFICULTIES = [
    "Classifying systems as high-risk before the guidelines were final took longer than expected.",
    "Finding trainers with both legal and technical knowledge was hard for an SME.",
    "Keeping the inventory up to date as teams adopt new SaaS tools with AI features.",
]
ROLE_WEIGHTS = [(AIRole.BOTH, 63), (AIRole.DEPLOYER, 18), (AIRole.PROVIDER, 14)]
SIGNATORIES = ["Sofia Rinaldi", "Jan de Vries", "Claire Moreau", "Tomasz Zielinski", "Ana Sousa"]
FUNCTIONS = ["Chief Executive Officer", "General Counsel", "Chief Technology Officer"]


def _signatory_rows():
    with open(DATA_DIR / "ai_pact_signatories_2024.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _real_organisation(name: str, country: str) -> Organisation:
    """A 2024 signatory with what the published list says of it (its name, and its country
    where given) and nothing more: type, size, AI role and sectors stay "not stated"."""
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation:
        return organisation
    return Organisation.objects.create(
        name=name,
        country=country,
        type="",
        size="",
        ai_role="",
        status=Organisation.Status.ACTIVE,
    )


def _status_plan(count: int) -> list[str]:
    """For the fictitious organisations: a pledge in every status, half of them published."""
    plan = (
        [Pledge.Status.SUBMITTED] * 6
        + [Pledge.Status.RETURNED] * 3
        + [Pledge.Status.DRAFT] * 5
        + [Pledge.Status.REJECTED] * 1
        + [Pledge.Status.WITHDRAWN] * 3
    )
    return (plan + [Pledge.Status.PUBLISHED] * count)[:count]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _make_pledge(organisation, status, index, rng, catalogue, officer, today, *, real=False):
    """A pledge with its history. A real signatory's keeps to what it published: the three
    core commitments, signed on the signing day; its planned actions, signatory, report due
    date and reports are not invented (the model needs an AI role: the demo draws one)."""
    role = organisation.ai_role if organisation.ai_role in AIRole.values else None
    role = role or rng.choices([r for r, _w in ROLE_WEIGHTS], [w for _r, w in ROLE_WEIGHTS])[0]
    started = SIGNING_DAY - datetime.timedelta(days=rng.randint(5, 40))
    if status in (Pledge.Status.DRAFT, Pledge.Status.SUBMITTED, Pledge.Status.RETURNED):
        started = today - datetime.timedelta(days=rng.randint(3, 60))
    pledge = Pledge.objects.create(
        organisation=organisation,
        ai_role=role,
        language=rng.choice(["en"] * 6 + ["fr", "de"]),
        best_effort=rng.random() < 0.2,
        signatory_name=rng.choice(SIGNATORIES) if status != "draft" and not real else "",
        signatory_function=rng.choice(FUNCTIONS) if status != "draft" and not real else "",
        authority_confirmed=status != Pledge.Status.DRAFT and not real,
        publish_in_register=rng.random() < 0.95,
        status=status,
    )
    additional = [c for c in catalogue if not c.is_core and c.applies_to(role)]
    chosen = [c for c in catalogue if c.is_core]
    if not real:
        chosen += rng.sample(additional, k=min(len(additional), rng.randint(1, 4)))
    rows = []
    for commitment in chosen:
        target = started + datetime.timedelta(days=rng.choice([180, 365, 540, 730]))
        rows.append(
            PledgeCommitment(
                pledge=pledge,
                commitment=commitment,
                text=commitment.text_in(pledge.language) if status != "draft" else "",
                planned_actions=""
                if real
                else rng.choice(ACTIONS.get(commitment.code, GENERIC_ACTIONS)),
                target_date=None
                if real
                else target
                if target > today or status == "published"
                else None,
                implementation_status=ImplementationStatus.PLANNED
                if real
                else rng.choice([ImplementationStatus.PLANNED, ImplementationStatus.PARTIAL]),
            )
        )
    PledgeCommitment.objects.bulk_create(rows)

    # (from, to, actor, comment, day) of each change, dated as the story goes.
    history = [("", Pledge.Status.DRAFT, None, "", started)]
    submitted = started + datetime.timedelta(days=rng.randint(1, 4))
    reviewed = submitted + datetime.timedelta(days=2)
    if status != Pledge.Status.DRAFT:
        history.append((Pledge.Status.DRAFT, Pledge.Status.SUBMITTED, None, "", submitted))
        pledge.submitted_at = _aware(submitted)
    if status == Pledge.Status.RETURNED:
        pledge.review_comment = (
            "Please give target dates for the additional commitments and say who signs."
        )
        history.append((Pledge.Status.SUBMITTED, status, officer, pledge.review_comment, reviewed))
    if status == Pledge.Status.REJECTED:
        pledge.review_comment = "The organisation does not provide or deploy AI systems."
        history.append((Pledge.Status.SUBMITTED, status, officer, pledge.review_comment, reviewed))
    was_published = status == Pledge.Status.PUBLISHED or (
        status == Pledge.Status.WITHDRAWN and index % 3 != 0
    )
    if was_published:
        # The 2024 signatories' pledges were published on the signing day.
        published = (
            SIGNING_DAY if real else max(SIGNING_DAY, submitted + datetime.timedelta(days=3))
        )
        pledge.published_at = _aware(published)
        # Whether a real signatory has reported is not ours to invent: no due date, no
        # "overdue" against its name.
        pledge.next_report_due = None if real else add_months(published, 12)
        history.append((Pledge.Status.SUBMITTED, Pledge.Status.PUBLISHED, officer, "", published))
    if status == Pledge.Status.WITHDRAWN:
        withdrawn = today - datetime.timedelta(days=rng.randint(10, 200))
        pledge.withdrawn_at = _aware(withdrawn)
        pledge.withdrawal_reason = "The company has been acquired and follows its parent's policy."
        history.append(
            (history[-1][1], Pledge.Status.WITHDRAWN, None, pledge.withdrawal_reason, withdrawn)
        )
    pledge.save()
    # Started and changed when the story says, not when the demo was loaded (created_at is
    # set on insert).
    Pledge.objects.filter(pk=pledge.pk).update(created_at=_aware(started))
    for from_status, to_status, actor, comment, day in history:
        change = PledgeStatusChange.objects.create(
            pledge=pledge,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            comment=comment,
        )
        PledgeStatusChange.objects.filter(pk=change.pk).update(created_at=_aware(day))
    if status == Pledge.Status.PUBLISHED and not real:
        _make_reports(pledge, index, rng, officer, today)
    return pledge


def _make_reports(pledge, index, rng, officer, today):
    """About half of the pledgers report on time (as in 2025: 105 reports for 2024's pledges)."""
    due = pledge.next_report_due
    if due is None or due > today or index % 2:
        return
    report = ProgressReport.objects.create(
        pledge=pledge,
        due_on=due,
        status=ProgressReport.Status.ACCEPTED if index % 8 else ProgressReport.Status.SUBMITTED,
        difficulties=rng.choice(DIFFICULTIES),
        submitted_at=_aware(due - datetime.timedelta(days=rng.randint(1, 20))),
        created_by=None,
    )
    items = []
    for row in pledge.commitments.all():
        status = rng.choice([ImplementationStatus.PARTIAL, ImplementationStatus.FULL])
        items.append(
            ProgressReportItem(
                report=report,
                pledge_commitment=row,
                implementation_status=status,
                narrative=rng.choice(NARRATIVES),
            )
        )
        if report.status == ProgressReport.Status.ACCEPTED:
            row.implementation_status = status
            row.save(update_fields=["implementation_status"])
    ProgressReportItem.objects.bulk_create(items)
    if report.status == ProgressReport.Status.ACCEPTED:
        report.accepted_at = _aware(due + datetime.timedelta(days=7))
        report.save(update_fields=["accepted_at"])
        pledge.next_report_due = add_months(due, 12)
        pledge.save(update_fields=["next_report_due"])


def seed():
    rng = random.Random(2024)  # the same demo data on every machine
    catalogue_load(Commitment)
    catalogue_translations_fill(Commitment)
    catalogue = list(Commitment.objects.filter(is_current=True).order_by("order", "code"))
    officer = get_user_model().objects.filter(email="officer@example.eu").first()
    today = timezone.localdate()
    created = 0
    for index, row in enumerate(_signatory_rows()):
        organisation = _real_organisation(row["name"].strip(), row["country"].strip())
        if not Pledge.objects.filter(organisation=organisation).exists():
            _make_pledge(
                organisation,
                Pledge.Status.PUBLISHED,
                index,
                rng,
                catalogue,
                officer,
                today,
                real=True,
            )
            created += 1
    fictitious = fictitious_organisations()
    plan = _status_plan(len(fictitious))
    rng.shuffle(plan)
    for index, (organisation, status) in enumerate(zip(fictitious, plan, strict=True)):
        if Pledge.objects.filter(organisation=organisation).exists():
            continue
        _make_pledge(organisation, status, index, rng, catalogue, officer, today)
        created += 1
        if index % 2 == 0:
            membership, joined = NetworkMembership.objects.get_or_create(
                organisation=organisation,
                status=NetworkMembership.Status.INTERESTED,
                defaults={
                    "interests": rng.sample(NetworkMembership.Interest.values, k=2),
                    "contact_email": f"ai-pact@{organisation.pk}.example.org",
                    "publish_name": rng.random() < 0.7,
                },
            )
            if joined:  # over the two years since the AI Pact started, not all on load day
                day = today - datetime.timedelta(days=rng.randint(0, (today - SIGNING_DAY).days))
                NetworkMembership.objects.filter(pk=membership.pk).update(joined_at=_aware(day))
    demo = Organisation.objects.filter(name="Demo AI Solutions").first()
    if demo:
        NetworkMembership.objects.get_or_create(
            organisation=demo,
            status=NetworkMembership.Status.INTERESTED,
            defaults={
                "interests": ["webinars", "pledges"],
                "contact_email": "rep@example.eu",
                "publish_name": True,
            },
        )
    figures_changed()
    return f"{created} pledges added"
