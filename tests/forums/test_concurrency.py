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


def _register_all_at_once(event, users, modes=None):
    """Every user registers at the same moment (in the way `modes` gives, for a hybrid event)."""
    barrier = threading.Barrier(len(users))
    errors = []
    modes = modes or [""] * len(users)

    def worker(user, mode):
        try:
            barrier.wait(timeout=30)
            services.registration_create(user=user, event=event, mode=mode)
        except DomainError:
            pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    pairs = zip(users, modes, strict=True)
    threads = [threading.Thread(target=worker, args=pair) for pair in pairs]
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


ONLINE_CAPACITY = 7


def _by_mode(event):
    return {
        (mode, status): Registration.objects.filter(event=event, mode=mode, status=status).count()
        for mode in ("in_person", "online")
        for status in ("confirmed", "waitlisted")
    }


def test_concurrent_registrations_never_overbook_either_way_of_a_hybrid_event():
    event = EventFactory(format="hybrid", capacity=CAPACITY, online_capacity=ONLINE_CAPACITY)
    users = _users(THREADS)
    modes = ["in_person", "online"] * (THREADS // 2)
    _register_all_at_once(event, users, modes)
    assert _by_mode(event) == {
        ("in_person", "confirmed"): CAPACITY,
        ("in_person", "waitlisted"): THREADS // 2 - CAPACITY,
        ("online", "confirmed"): ONLINE_CAPACITY,
        ("online", "waitlisted"): THREADS // 2 - ONLINE_CAPACITY,
    }


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


def test_control_without_the_lock_overbooks_a_hybrid_event(monkeypatch):
    """The same race on both ways of a hybrid event, without the lock: a capacity breaks."""
    monkeypatch.setattr(
        services.registrations, "_lock_event", lambda event_id: Event.objects.get(pk=event_id)
    )
    users = _users(THREADS * 5)
    modes = ["in_person", "online"] * (THREADS // 2)
    for attempt in range(5):
        event = EventFactory(format="hybrid", capacity=CAPACITY, online_capacity=ONLINE_CAPACITY)
        _register_all_at_once(event, users[attempt * THREADS : (attempt + 1) * THREADS], modes)
        counts = _by_mode(event)
        overbooked = (
            counts[("in_person", "confirmed")] > CAPACITY
            or counts[("online", "confirmed")] > ONLINE_CAPACITY
        )
        print(f"attempt {attempt + 1}: {counts}")
        if overbooked:
            break
    assert overbooked
