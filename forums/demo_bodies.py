"""Demo content for the expert bodies: the real bodies, a closed Advisory Forum call, an open
Scientific Panel call, a few published and unpublished members and a past meeting.

Idempotent: bodies by slug, calls and meetings by title, memberships by person and body.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from crm.models import Person

from .models import Body, Call, Event, Membership
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
    return f"{created_bodies} expert bodies and {added} memberships added"
