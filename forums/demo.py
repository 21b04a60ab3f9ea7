"""Demo events: past and upcoming, some full with a waiting list.

Idempotent: events are looked up by title, and registrations by person and event.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from crm.demo import fictitious_organisations
from crm.models import Person

from .models import AgendaItem, Body, Event, EventInvitation, Material, Registration
from .real_bodies import ADVISORY_FORUM, bodies_ensure

# Events that are meetings of an expert body: title -> the body's slug.
BODY_MEETINGS = {"Advisory Forum plenary meeting": ADVISORY_FORUM}

EVENTS = [
    # title, kind, format, days from today, hour, hours long, capacity, waitlist, audience,
    # places per organisation, registered (as a share of capacity or a number)
    (
        "AI Pact webinar: mapping your high-risk AI systems",
        Event.Kind.WEBINAR,
        Event.Format.ONLINE,
        9,
        10,
        2,
        None,
        False,
        Event.Audience.PUBLIC,
        None,
        70,
    ),
    (
        "Workshop in Brussels: AI literacy programmes for staff",
        Event.Kind.WORKSHOP,
        Event.Format.IN_PERSON,
        16,
        9,
        7,
        40,
        True,
        Event.Audience.PUBLIC,
        2,
        48,
    ),
    (
        "AI Pact pledge signing ceremony",
        Event.Kind.SIGNING_CEREMONY,
        Event.Format.HYBRID,
        23,
        14,
        2,
        25,
        False,
        Event.Audience.PUBLIC,
        1,
        25,
    ),
    (
        "Advisory Forum plenary meeting",
        Event.Kind.FORUM_MEETING,
        Event.Format.HYBRID,
        30,
        10,
        6,
        60,
        True,
        Event.Audience.INVITED,
        3,
        20,
    ),
    (
        "AI Pact webinar: transparency of AI-generated content",
        Event.Kind.WEBINAR,
        Event.Format.ONLINE,
        -20,
        15,
        2,
        None,
        False,
        Event.Audience.PUBLIC,
        None,
        45,
    ),
    (
        "Workshop: human oversight in practice",
        Event.Kind.WORKSHOP,
        Event.Format.IN_PERSON,
        -45,
        9,
        6,
        30,
        True,
        Event.Audience.PUBLIC,
        2,
        30,
    ),
]

TRANSLATIONS = {
    "AI Pact webinar: mapping your high-risk AI systems": (
        "Webinaire du pacte sur l'IA : recenser vos systèmes d'IA à haut risque",
        "KI-Pakt-Webinar: Ihre Hochrisiko-KI-Systeme erfassen",
    ),
    "Workshop in Brussels: AI literacy programmes for staff": (
        "Atelier à Bruxelles : programmes de maîtrise de l'IA pour le personnel",
        "Workshop in Brüssel: KI-Kompetenzprogramme für Beschäftigte",
    ),
    "AI Pact pledge signing ceremony": (
        "Cérémonie de signature des engagements du pacte sur l'IA",
        "Unterzeichnung der Zusagen des KI-Pakts",
    ),
    "Advisory Forum plenary meeting": (
        "Réunion plénière du forum consultatif",
        "Plenarsitzung des Beratungsforums",
    ),
    "AI Pact webinar: transparency of AI-generated content": (
        "Webinaire du pacte sur l'IA : transparence des contenus générés par l'IA",
        "KI-Pakt-Webinar: Transparenz KI-generierter Inhalte",
    ),
    "Workshop: human oversight in practice": (
        "Atelier : la surveillance humaine en pratique",
        "Workshop: menschliche Aufsicht in der Praxis",
    ),
}

DESCRIPTION = (
    "An event of the European AI Office for the AI Pact network. Speakers from the AI Office "
    "and participating organisations share practices, followed by questions and answers."
)


def _at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed():
    rng = random.Random(2030)
    people = list(Person.objects.order_by("pk")[:200])
    affiliation_of = {
        person_id: organisation_id
        for person_id, organisation_id in Person.objects.filter(
            affiliations__status="confirmed"
        ).values_list("pk", "affiliations__organisation_id")
    }
    bodies_ensure()
    bodies = {body.slug: body for body in Body.objects.filter(slug__in=BODY_MEETINGS.values())}
    created_events = created_registrations = 0
    for (
        title,
        kind,
        fmt,
        days,
        hour,
        hours,
        capacity,
        waitlist,
        audience,
        per_org,
        registered,
    ) in EVENTS:
        starts = _at(days, hour)
        event, was_created = Event.objects.get_or_create(
            title=title,
            defaults={
                "description": DESCRIPTION,
                "translations": {
                    "fr": {"title": TRANSLATIONS[title][0]},
                    "de": {"title": TRANSLATIONS[title][1]},
                },
                "kind": kind,
                "programme": Event.Programme.EXPERT_BODY
                if title in BODY_MEETINGS
                else Event.Programme.AI_PACT,
                "body": bodies.get(BODY_MEETINGS.get(title)),
                "format": fmt,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours),
                "venue": ""
                if fmt == Event.Format.ONLINE
                else "Centre Albert Borschette, Rue Froissart 36, 1040 Brussels",
                "stream_url": ""
                if fmt == Event.Format.IN_PERSON
                else "https://webcast.example.eu/ai-office/live",
                "capacity": capacity,
                # Hybrid events: the room has `capacity` places; online, 300.
                "online_capacity": 300 if fmt == Event.Format.HYBRID else None,
                "waitlist_enabled": waitlist,
                "waitlist_offer_hours": 48 if waitlist and days > 20 else None,
                "audience": audience,
                "max_per_organisation": per_org,
                "languages": ["en", "fr"] if fmt != Event.Format.ONLINE else ["en"],
                "registration_closes_at": starts - timedelta(days=1),
                "status": Event.Status.PUBLISHED,
            },
        )
        if not was_created:
            if title in BODY_MEETINGS and event.body_id is None:
                # Demo databases seeded before the bodies existed filed it under the AI Pact.
                Event.objects.filter(pk=event.pk).update(
                    programme=Event.Programme.EXPERT_BODY, body=bodies[BODY_MEETINGS[title]]
                )
            continue
        created_events += 1
        if audience == Event.Audience.INVITED:
            # Invitations are invented: they go to the fictitious organisations.
            for organisation in fictitious_organisations()[:30]:
                EventInvitation.objects.create(event=event, organisation=organisation)
            member = Person.objects.filter(email="member@example.eu").first()
            if member:
                EventInvitation.objects.create(event=event, person=member)
        chosen = rng.sample(people, k=min(registered, len(people)))
        confirmed = 0
        per_org_count = {}
        for index, person in enumerate(chosen):
            organisation_id = affiliation_of.get(person.pk)
            if per_org and organisation_id and per_org_count.get(organisation_id, 0) >= per_org:
                continue
            # At a hybrid event every third person attends online, where places remain.
            online = fmt == Event.Format.ONLINE or (fmt == Event.Format.HYBRID and index % 3 == 0)
            has_place = online or capacity is None or confirmed < capacity
            if not has_place and not waitlist:
                break
            registered_at = starts - timedelta(days=30 - index * 0.2)
            status = Registration.Status.CONFIRMED if has_place else Registration.Status.WAITLISTED
            past = days < 0
            registration = Registration.objects.create(
                event=event,
                person=person,
                organisation_id=organisation_id,
                mode=Registration.Mode.ONLINE if online else Registration.Mode.IN_PERSON,
                status=status,
                confirmed_at=registered_at if has_place else None,
                waitlisted_at=None if has_place else registered_at,
                on_participant_list=rng.random() < 0.6,
                photo_opt_out=rng.random() < 0.1,
                special_requirements=""
                if past or rng.random() > 0.1
                else rng.choice(["Vegetarian meal", "Wheelchair access", "Sign language"]),
                attendance=(
                    rng.choice(["attended", "attended", "attended", "no_show"])
                    if past and has_place
                    else ""
                ),
                checked_in_at=starts - timedelta(minutes=rng.randint(0, 40))
                if past and has_place and rng.random() < 0.7
                else None,
            )
            # Show the registration date it would have had, not the day the demo was loaded.
            Registration.objects.filter(pk=registration.pk).update(created_at=registered_at)
            confirmed += 1 if has_place and not online else 0
            if organisation_id:
                per_org_count[organisation_id] = per_org_count.get(organisation_id, 0) + 1
            created_registrations += 1
        _programme(event, starts, hours, days < 0)
    # Fixed registrations for demo accounts, so /me/ has something to show.
    member = Person.objects.filter(email="member@example.eu").first()
    webinar = Event.objects.filter(title=EVENTS[0][0]).first()
    if member and webinar:
        _, was_created = Registration.objects.get_or_create(
            event=webinar,
            person=member,
            defaults={
                "status": Registration.Status.CONFIRMED,
                "confirmed_at": timezone.now(),
                "mode": Registration.Mode.ONLINE,
            },
        )
        created_registrations += was_created
    return f"{created_events} events and {created_registrations} registrations added"


def _programme(event, starts, hours, past):
    """An agenda of three sessions, and after a past event its recording and slides."""
    sessions = [
        (0, "Welcome and introduction", "Lucia Rossi (AI Office)"),
        (0.25, "Practices from AI Pact participants", "Ana Silva (University of Porto)"),
        (0.75, "Questions and answers", ""),
    ]
    for share, title, speakers in sessions:
        AgendaItem.objects.create(
            event=event,
            starts_at=starts + timedelta(hours=hours * share),
            ends_at=starts + timedelta(hours=hours * min(1, share + 0.25)),
            title=title,
            other_speakers=speakers,
        )
    if past:
        Material.objects.create(
            event=event,
            title="Recording",
            kind=Material.Kind.RECORDING,
            url="https://webcast.example.eu/ai-office/recordings/transparency",
            audience=Material.Audience.PUBLIC,
            release=Material.Release.AFTER_EVENT,
        )
        Material.objects.create(
            event=event,
            title="Questions asked, with answers",
            kind=Material.Kind.DOCUMENT,
            url="https://webcast.example.eu/ai-office/recordings/transparency-qa",
            audience=Material.Audience.PARTICIPANTS,
            release=Material.Release.AFTER_EVENT,
        )
