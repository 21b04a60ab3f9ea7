"""Capacity under concurrent registrations, on PostgreSQL (in the spirit of pretix's
concurrency tests): many threads register at once for an event with few places.

The control run replaces the row lock with a plain read and shows that the same race then
overbooks, which proves the test can fail.
"""

import threading

import pytest
from django.db import connection

from core.errors import DomainError
from forums import services
from forums.models import Event, Registration
from tests.crm.factories import UserFactory

from .factories import EventFactory

THREADS = 24
CAPACITY = 5

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _register_all_at_once(event, users):
    barrier = threading.Barrier(len(users))
    errors = []

    def worker(user):
        try:
            barrier.wait(timeout=30)
            services.registration_create(user=user, event=event)
        except DomainError:
            pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in ("confirmed", "waitlisted")
    }


def _users(count):
    users = [UserFactory() for _ in range(count)]
    # Create each Person up front, so that the race is only about the places.
    from crm.services import person_ensure_for_user

    for user in users:
        person_ensure_for_user(user=user)
    return users


def test_concurrent_registrations_never_overbook():
    event = EventFactory(capacity=CAPACITY)
    counts = _register_all_at_once(event, _users(THREADS))
    assert counts == {"confirmed": CAPACITY, "waitlisted": THREADS - CAPACITY}


def test_concurrent_registrations_respect_the_organisation_cap(organisation):
    from .conftest import member_of

    event = EventFactory(capacity=50, max_per_organisation=3)
    users = [member_of(organisation) for _ in range(THREADS)]
    counts = _register_all_at_once(event, users)
    assert counts == {"confirmed": 3, "waitlisted": 0}


def test_control_without_the_lock_overbooks(monkeypatch):
    """Same race with the row lock replaced by a plain read: the capacity no longer holds."""
    monkeypatch.setattr(
        services.registrations, "_lock_event", lambda event_id: Event.objects.get(pk=event_id)
    )
    users = _users(THREADS * 5)
    for attempt in range(5):
        event = EventFactory(capacity=CAPACITY)
        counts = _register_all_at_once(event, users[attempt * THREADS : (attempt + 1) * THREADS])
        print(f"attempt {attempt + 1}: {counts['confirmed']} confirmed for {CAPACITY} places")
        if counts["confirmed"] > CAPACITY:
            break
    assert counts["confirmed"] > CAPACITY
