"""Demo content for the expert bodies: the real bodies, a closed Advisory Forum call, an open
Scientific Panel call, a few published and unpublished members and a past meeting.

Idempotent: bodies by slug, calls and meetings by title, memberships by person and body.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.models import Organisation, Person

from .models import Application, Body, Call, Declaration, Event, Membership
from .real_bodies import ADVISORY_FORUM, SCIENTIFIC_PANEL, bodies_ensure

CRITERIA = [
    "Scientific or technical expertise in AI",
    "Independence from providers of AI systems and models",
    "Experience of the evaluation of AI models or of risks to fundamental rights",
]


def seed():
    created_bodies = bodies_ensure()
    panel = Body.objects.get(slug=SCIENTIFIC_PANEL)
    forum = Body.objects.get(slug=ADVISORY_FORUM)
    now = timezone.now()
    Call.objects.get_or_create(
        body=forum,
        title="Call for applications: members of the Advisory Forum",
        defaults={
            "text": "Stakeholders with expertise in AI may apply to join the Advisory Forum.",
            "opens_at": now - timedelta(days=200),
            "closes_at": now - timedelta(days=150),
            "applicants": Call.Applicants.ORGANISATIONS,
            "roles": ["member"],
            "criteria": ["Relevance of the expertise", "Representativeness of the organisation"],
            "one_per_organisation": True,
            "register_id_required": True,
            "seats": 174,
            "status": Call.Status.PUBLISHED,
        },
    )
    Call.objects.get_or_create(
        body=panel,
        title="Call for experts: Scientific Panel on AI",
        defaults={
            "text": (
                "Independent experts may apply in a personal capacity. Send a CV as a PDF and "
                "describe your expertise and your motivation."
            ),
            "opens_at": now - timedelta(days=10),
            "closes_at": now + timedelta(days=40),
            "applicants": Call.Applicants.INDIVIDUALS,
            "roles": ["member", "chair", "vice_chair"],
            "criteria": CRITERIA,
            "eligibility_questions": [
                "Do you hold a doctorate or equivalent experience in a field relevant to AI?",
                "Are you independent of any provider of AI systems or models?",
            ],
            "one_per_organisation": False,
            "register_id_required": False,
            "seats": 60,
            "status": Call.Status.PUBLISHED,
        },
    )
    people = list(Person.objects.filter(user__isnull=True).order_by("pk")[:12])
    roles = [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR] + [Membership.Role.MEMBER] * 10
    added = 0
    start = timezone.localdate() - timedelta(days=120)
    for index, (person, role) in enumerate(zip(people, roles, strict=False)):
        _, was_created = Membership.objects.get_or_create(
            body=panel,
            person=person,
            defaults={
                "member_type": Membership.MemberType.PERSONAL,
                "role": role,
                "term_start": start,
                "term_end": start + timedelta(days=730),
                # Two members have not yet agreed to publication: the public page leaves them out.
                "publication": Membership.Publication.NOT_PUBLISHED
                if index >= 10
                else Membership.Publication.LEGAL_BASIS,
            },
        )
        added += was_created
    _declarations_for(people)
    meeting_day = timezone.localdate() - timedelta(days=45)
    meeting_start = timezone.make_aware(datetime.combine(meeting_day, time(10, 0)))
    Event.objects.get_or_create(
        title="Scientific Panel: first meeting",
        defaults={
            "description": "Constitutive meeting: election of the chair and vice-chair.",
            "kind": Event.Kind.FORUM_MEETING,
            "programme": Event.Programme.EXPERT_BODY,
            "body": panel,
            "format": Event.Format.HYBRID,
            "starts_at": meeting_start,
            "ends_at": meeting_start + timedelta(hours=6),
            "audience": Event.Audience.INVITED,
            "status": Event.Status.PUBLISHED,
        },
    )
    applications = seed_applications()
    return f"{created_bodies} expert bodies and {added} memberships added; {applications}"


DEMO_INTERESTS = [
    ("employment", "Université libre de Bruxelles", "Professor of computer science", ""),
    ("research_funding", "Horizon Europe", "Principal investigator, trustworthy AI project", ""),
    ("consultancy", "National data protection authority", "Advice on AI audits", "up_to_10k"),
    ("boards", "European AI ethics foundation", "Member of the advisory board", "unpaid"),
]


def _declarations_for(people) -> None:
    """Each sitting Scientific Panel member's declaration, signed and assessed, so the public
    page of declarations has something to show."""
    now = timezone.now()
    for index, person in enumerate(people):
        if Declaration.objects.filter(person=person).exists():
            continue
        declaration = Declaration.objects.create(
            person=person,
            version=1,
            no_interests=index % 3 == 2,
            signed_name=person.full_name,
            signed_at=now - timedelta(days=100 + 30 * (index % 10)),
            assessment=Declaration.Assessment.NO_CONFLICT
            if index % 4
            else Declaration.Assessment.MANAGED,
            assessment_reason="No interest related to the panel's tasks."
            if index % 4
            else "Does not take part in advice on the provider named in the declaration.",
            assessed_at=now - timedelta(days=90),
        )
        if not declaration.no_interests:
            for category, organisation, description, amount in DEMO_INTERESTS[: 1 + index % 3]:
                declaration.interests.create(
                    category=category,
                    organisation=organisation,
                    description=description,
                    amount=amount,
                    started_on=date(2019 + index % 4, 1, 1),
                )


FIRST_NAMES = {
    "female": ["Anna", "Marie", "Sofia", "Eva", "Laura", "Ines", "Katarzyna", "Elena", "Maja"],
    "male": ["Jan", "Luca", "Pierre", "Tomas", "Mateo", "Nikos", "Andrei", "Lars", "Paul"],
    "non_binary": ["Alex", "Sam", "Robin"],
    "": ["Kim", "Charlie"],
}
LAST_NAMES = [
    "Novak",
    "Rossi",
    "Dubois",
    "Schmidt",
    "García",
    "Kowalski",
    "Jensen",
    "Papadopoulos",
    "Silva",
    "Horvat",
    "Virtanen",
    "Murphy",
    "Popescu",
    "Kask",
    "Ozola",
    "Meyer",
    "Bianchi",
]
COUNTRIES = (
    ["DE", "FR", "IT", "ES", "NL", "PL", "BE", "SE", "AT", "IE", "PT", "CZ", "RO", "GR", "FI"]
    + ["DK", "HU", "SK", "BG", "HR", "SI", "LT", "LV", "EE", "LU", "CY", "MT", "NO", "IS"]
    + ["US", "GB", "CH", "CA"]
)
ORG_TYPES = [
    ("company", "large"),
    ("company", "medium"),
    ("company", "small"),
    ("startup", "micro"),
    ("industry_association", "large"),
    ("sme_association", "small"),
    ("ngo", "small"),
    ("ngo", "medium"),
    ("academia", "large"),
    ("academia", "medium"),
    ("trade_union", "medium"),
]
GENDERS = ["female"] * 9 + ["male"] * 10 + ["non_binary", ""]


def _people(rng, prefix, count):
    people = []
    for index in range(count):
        gender = rng.choice(GENDERS)
        people.append(
            Person(
                first_name=rng.choice(FIRST_NAMES[gender]),
                last_name=rng.choice(LAST_NAMES),
                email=f"{prefix}{index}@applicants.example.eu",
                gender=gender,
                nationality=rng.choice(COUNTRIES),
            )
        )
    return Person.objects.bulk_create(people)


def _statuses(rng, count, shares):
    statuses = []
    for status, share in shares:
        statuses += [status] * round(count * share)
    statuses += [Application.Status.SUBMITTED] * (count - len(statuses))
    rng.shuffle(statuses)
    return statuses[:count]


@transaction.atomic
def seed_applications(*, forum_count: int = 700, panel_count: int = 150) -> str:
    """About 700 organisation applications to the closed Advisory Forum call and 150 personal
    ones to the open Scientific Panel call, in every state, with scores for the submitted ones
    and about 170 appointments prepared, so the balance panel has something to show."""
    rng = random.Random(454)  # noqa: S311 - reproducible demo data, not security
    forum_call = Call.objects.filter(body__slug=ADVISORY_FORUM).order_by("pk").first()
    panel_call = Call.objects.filter(body__slug=SCIENTIFIC_PANEL).order_by("pk").first()
    if forum_call is None or forum_call.applications.exists():
        return "applications already there"
    now = timezone.now()
    people = _people(rng, "forum", forum_count)
    organisations = [
        Organisation(
            name=f"{rng.choice(LAST_NAMES)} {kind.replace('_', ' ').title()} {index}",
            type=kind,
            size=size,
            country=rng.choice(COUNTRIES),
            status=Organisation.Status.ACTIVE,
            transparency_register_id=f"{900000000 + index}-{index % 100:02d}",
        )
        for index, (kind, size) in enumerate(rng.choice(ORG_TYPES) for _ in range(forum_count))
    ]
    for organisation in organisations:
        organisation.prepare_derived_fields()  # region and search name: bulk_create skips save()
    organisations = Organisation.objects.bulk_create(organisations)
    shares = [
        (Application.Status.DRAFT, 0.02),
        (Application.Status.WITHDRAWN, 0.03),
        (Application.Status.INELIGIBLE, 0.04),
        (Application.Status.RESERVE, 0.02),
        (Application.Status.REJECTED, 0.03),
        (Application.Status.APPOINTED, 0.01),
    ]
    applications = []
    for person, organisation, status in zip(
        people, organisations, _statuses(rng, forum_count, shares), strict=True
    ):
        submitted = status != Application.Status.DRAFT
        applications.append(
            Application(
                call=forum_call,
                kind=Application.Kind.ORGANISATION,
                person=person,
                organisation=organisation,
                role="member",
                expertise="Standards, risk management, AI literacy",
                motivation="To bring our members' experience to the Forum.",
                gender=person.gender,
                transparency_register_id=organisation.transparency_register_id,
                status=status,
                submitted_at=forum_call.closes_at - timedelta(days=rng.randint(1, 40))
                if submitted
                else None,
                score=Decimal(rng.randint(20, 100)) if submitted else None,
                decision="appoint"
                if status == Application.Status.SUBMITTED and rng.random() < 0.27
                else "",
            )
        )
    Application.objects.bulk_create(applications, batch_size=500)
    appointed = [a for a in applications if a.status == Application.Status.APPOINTED]
    Membership.objects.bulk_create(
        Membership(
            body=forum_call.body,
            person=a.person,
            organisation=a.organisation,
            member_type=Membership.MemberType.REPRESENTATIVE,
            term_start=timezone.localdate() - timedelta(days=100),
            term_end=timezone.localdate() + timedelta(days=630),
            publication=Membership.Publication.LEGAL_BASIS,
        )
        for a in appointed
    )
    panel_people = _people(rng, "panel", panel_count)
    panel_statuses = _statuses(
        rng, panel_count, [(Application.Status.DRAFT, 0.12), (Application.Status.WITHDRAWN, 0.06)]
    )
    Application.objects.bulk_create(
        Application(
            call=panel_call,
            kind=Application.Kind.INDIVIDUAL,
            person=person,
            role=rng.choice(["member"] * 8 + ["chair", "vice_chair"]),
            expertise="Evaluation of general-purpose AI models",
            motivation="To contribute independent scientific advice.",
            gender=person.gender,
            nationality=person.nationality,
            status=status,
            submitted_at=now - timedelta(days=rng.randint(0, 9))
            if status != Application.Status.DRAFT
            else None,
            score=Decimal(rng.randint(20, 100)) if status == Application.Status.SUBMITTED else None,
        )
        for person, status in zip(panel_people, panel_statuses, strict=True)
    )
    return f"{forum_count + panel_count} applications added"
