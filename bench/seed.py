# ruff: noqa: E402 (Django is set up before the project's modules are imported)
"""Seed the benchmark database: popular hybrid events, many signed-in registrants, a staff member.

Run by bench/run.py with DATABASE_URL pointing at the benchmark database:

    seed.py REGISTRANTS ORGANISATIONS PER_ORGANISATION SPARE IN_PERSON:ONLINE [IN_PERSON:ONLINE …]

one hybrid event per IN_PERSON:ONLINE pair (its places in the room and online). Prints JSON with
the events (in that order), the registrants' session keys and the staff session key, so that the
load generator needs no sign-in round trips (sign-in is not what is measured).
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string

from crm.models import Affiliation, Organisation, Person, prepared
from forums.models import Event

BACKEND = "django.contrib.auth.backends.ModelBackend"
UNUSABLE = make_password(None)


def _session_for(user, *, second_factor: bool = False) -> str:
    """A signed-in session of `user`; with `second_factor`, one whose sign-in completed the
    second factor (allauth's authentication records), as the staff pages require."""
    store = SessionStore()
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    if second_factor:
        data[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ]
        data[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    key = get_random_string(32)
    Session.objects.create(
        session_key=key,
        session_data=store.encode(data),
        expire_date=timezone.now() + timedelta(days=1),
    )
    return key


def _event(start, in_person: int, online: int, per_organisation: int, *, title: str) -> Event:
    return Event.objects.create(
        title=title,
        description="A popular event for the benchmark.",
        kind=Event.Kind.WEBINAR,
        format=Event.Format.HYBRID,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Brussels",
        stream_url="https://stream.example.eu/bench",
        # A hybrid event: places in the room and places online, each way of attending with its
        # own capacity and waiting list; the registrants alternate between the two.
        capacity=in_person,
        online_capacity=online,
        waitlist_enabled=True,
        max_per_organisation=per_organisation,
        status=Event.Status.PUBLISHED,
    )


def main(
    registrants: int,
    organisations: int,
    per_organisation: int,
    spare: int,
    capacities: list[tuple[int, int]],
):
    """One event per (in the room, online) pair of `capacities`, one per load run; `spare` more
    registrants, without sessions, are left for bench/queries.py."""
    User = get_user_model()
    start = timezone.now() + timedelta(days=7)
    event_ids = [
        _event(
            start, in_person, online, per_organisation, title=f"AI Pact webinar (benchmark {n})"
        ).pk
        for n, (in_person, online) in enumerate(capacities, 1)
    ]

    orgs = Organisation.objects.bulk_create(
        prepared(
            Organisation(name=f"Bench organisation {i}", country="BE") for i in range(organisations)
        )
    )
    users = User.objects.bulk_create(
        User(
            username=f"bench{i}@example.org",
            email=f"bench{i}@example.org",
            first_name="Bench",
            last_name=f"Registrant{i}",
            password=UNUSABLE,  # the benchmark signs in through sessions
        )
        for i in range(registrants + spare)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    people = Person.objects.bulk_create(
        prepared(
            Person(user=u, email=u.email, first_name=u.first_name, last_name=u.last_name)
            for u in users
        )
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organisation=orgs[i % organisations], position="Analyst")
        for i, p in enumerate(people)
    )
    sessions = [_session_for(u) for u in users[:registrants]]

    staff = User.objects.create(
        username="bench-staff@example.org",
        email="bench-staff@example.org",
        is_staff=True,
        password=UNUSABLE,
    )
    staff.groups.set(Group.objects.filter(name="Events manager"))
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    print(
        json.dumps(
            {
                "events": event_ids,
                "sessions": sessions,
                "staff_session": _session_for(staff, second_factor=True),
            }
        )
    )


if __name__ == "__main__":
    main(
        *(int(a) for a in sys.argv[1:5]),
        [tuple(int(n) for n in pair.split(":")) for pair in sys.argv[5:]],
    )
