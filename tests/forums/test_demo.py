import pytest

from forums.models import Event, EventInvitation, Registration

pytestmark = pytest.mark.django_db


def test_demo_seeds_past_and_upcoming_events_some_full_with_a_waiting_list():
    from crm import demo as crm_demo
    from forums import demo

    crm_demo.seed()
    demo.seed()
    events = list(Event.objects.all())
    assert any(e.is_past for e in events) and any(not e.is_past for e in events)
    for event in events:
        held = event.registrations.filter(status__in=Registration.HOLDING).count()
        assert event.capacity is None or held <= event.capacity
    assert Registration.objects.filter(status="waitlisted").exists()
    full_with_list = [
        e
        for e in events
        if e.capacity and e.registrations.filter(status="confirmed").count() == e.capacity
    ]
    assert any(e.waitlist_enabled for e in full_with_list)
    invited = EventInvitation.objects.filter(organisation__isnull=False)
    assert invited.exists()
    assert not invited.exclude(organisation__name__startswith="Demo ").exists()  # invented detail
    count = Registration.objects.count()
    demo.seed()
    assert Registration.objects.count() == count
