from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.errors import DomainError
from forums import services
from forums.models import Registration
from tests.crm.factories import PersonFactory, UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(register):
    """An event with one place, taken, and two people waiting."""
    event = EventFactory(capacity=1)
    users = [UserFactory() for _ in range(3)]
    registrations = [register(u, event) for u in users]
    return event, users, registrations


def test_cancelling_a_place_promotes_the_first_waitlisted_person_and_tells_them(
    full_event, commit, mailoutbox
):
    event, users, (taken, first, second) = full_event
    mailoutbox.clear()
    commit(services.registration_cancel, user=users[0], registration=taken)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITLISTED
    assert event.registrations.filter(status="confirmed").count() == 1
    subjects = {m.to[0]: m for m in mailoutbox}
    assert "cancelled" in subjects[users[0].email].subject.lower()
    promoted = subjects[users[1].email]
    assert "place is yours" in promoted.subject
    assert promoted.attachments[0][2] == "text/calendar"


def test_leaving_the_waiting_list_promotes_nobody_and_moves_others_up(full_event, commit):
    from forums.selectors import waitlist_position

    event, users, (taken, first, second) = full_event
    commit(services.registration_cancel, user=users[1], registration=first)
    taken.refresh_from_db()
    second.refresh_from_db()
    assert taken.status == "confirmed"
    assert waitlist_position(second) == 1


def test_staff_cancellation_promotes_and_says_so(full_event, commit, events_manager, mailoutbox):
    event, users, (taken, first, _second) = full_event
    mailoutbox.clear()
    commit(services.registration_cancel, user=events_manager, registration=taken, by_staff=True)
    taken.refresh_from_db()
    first.refresh_from_db()
    assert taken.cancelled_by_staff and first.status == "confirmed"
    assert "AI Office has cancelled" in [m for m in mailoutbox if m.to == [users[0].email]][0].body


def test_cancelling_twice_is_refused(full_event, commit):
    _event, users, (taken, _first, _second) = full_event
    commit(services.registration_cancel, user=users[0], registration=taken)
    with pytest.raises(DomainError):
        commit(services.registration_cancel, user=users[0], registration=taken)


def test_participant_cannot_cancel_after_the_event(commit):
    owner = UserFactory()
    registration = RegistrationFactory(
        person=PersonFactory(user=owner, email=owner.email),
        event=EventFactory(
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        ),
    )
    with pytest.raises(DomainError):
        commit(services.registration_cancel, user=owner, registration=registration)


def test_with_offers_a_freed_place_is_offered_then_accepted(register, commit, mailoutbox):
    event = EventFactory(capacity=1, waitlist_offer_hours=24)
    users = [UserFactory() for _ in range(2)]
    taken, waiting = (register(u, event) for u in users)
    commit(services.registration_cancel, user=users[0], registration=taken)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    assert waiting.offer_expires_at > timezone.now() + timedelta(hours=23)
    assert "offered" in mailoutbox[-1].subject
    # The offered place is held: a newcomer is waitlisted, not confirmed.
    assert register(UserFactory(), event).status == "waitlisted"
    commit(services.registration_accept_offer, user=users[1], registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_an_expired_offer_passes_on_to_the_next_person(register, commit, mailoutbox):
    event = EventFactory(capacity=1, waitlist_offer_hours=2)
    users = [UserFactory() for _ in range(3)]
    taken, first, second = (register(u, event) for u in users)
    commit(services.registration_cancel, user=users[0], registration=taken)
    later = timezone.now() + timedelta(hours=3)
    with pytest.raises(DomainError):
        first.refresh_from_db()
        Registration.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now())
        commit(services.registration_accept_offer, user=users[1], registration=first)
    assert commit(services.waitlist_offers_expire, now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert second.status == "offered"
    assert any("not accepted in time" in m.body for m in mailoutbox if m.to == [users[1].email])


def test_expire_waitlist_offers_command_and_task(register, commit):
    from forums.tasks import expire_waitlist_offers

    out = StringIO()
    call_command("expire_waitlist_offers", stdout=out)
    assert "0 offers expired" in out.getvalue()
    assert expire_waitlist_offers.delay().get() == 0


def test_reminders_go_once_to_confirmed_participants_of_events_within_24_hours(
    register, commit, mailoutbox
):
    soon = EventFactory(
        capacity=1,
        starts_at=timezone.now() + timedelta(hours=20),
        registration_closes_at=timezone.now() + timedelta(hours=10),
    )
    later = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    confirmed = register(UserFactory(), soon)
    register(UserFactory(), soon)  # waitlisted: no reminder
    register(UserFactory(), later)
    mailoutbox.clear()
    assert commit(services.event_reminders_send) == 1
    assert commit(services.event_reminders_send) == 0
    assert [m.to for m in mailoutbox] == [[confirmed.person.email]]
    assert "Reminder" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][0].endswith(".ics")


def test_send_event_reminders_command(db):
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "0 reminders sent" in out.getvalue()


def test_special_requirements_are_deleted_30_days_after_the_event(commit):
    ended = timezone.now() - timedelta(days=31)
    old = RegistrationFactory(
        event=EventFactory(starts_at=ended - timedelta(hours=2), ends_at=ended),
        special_requirements="Wheelchair access",
    )
    recent_end = timezone.now() - timedelta(days=29)
    recent = RegistrationFactory(
        event=EventFactory(starts_at=recent_end - timedelta(hours=2), ends_at=recent_end),
        special_requirements="Vegetarian",
    )
    out = StringIO()
    call_command("purge_special_requirements", stdout=out)
    assert "1 registrations purged" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.special_requirements == "" and old.special_requirements_purged_at is not None
    assert recent.special_requirements == "Vegetarian"


def test_check_in_and_undo(events_manager):
    registration = RegistrationFactory()
    services.registration_check_in(user=events_manager, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.attendance == "attended"
    services.registration_check_in_undo(user=events_manager, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.attendance == ""


def test_waitlisted_people_cannot_be_checked_in(events_manager):
    registration = RegistrationFactory(status="waitlisted", waitlisted_at=timezone.now())
    with pytest.raises(DomainError):
        services.registration_check_in(user=events_manager, registration=registration)


def test_bulk_attendance_and_no_shows_after_the_event(events_manager):
    start = timezone.now() - timedelta(hours=5)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    present, absent, unknown = (RegistrationFactory(event=event) for _ in range(3))
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlisted_at=start)
    marked = services.attendance_mark(
        user=events_manager,
        event=event,
        registration_ids=[present.pk, waiting.pk],
        attendance="attended",
    )
    assert marked == 1
    services.attendance_mark(
        user=events_manager, event=event, registration_ids=[absent.pk], attendance="no_show"
    )
    assert services.attendance_mark_no_shows(user=events_manager, event=event) == 1
    statuses = {
        r.pk: r.attendance for r in Registration.objects.filter(event=event, status="confirmed")
    }
    assert statuses == {present.pk: "attended", absent.pk: "no_show", unknown.pk: "no_show"}


def test_attendance_cannot_be_recorded_before_the_event(events_manager):
    event = EventFactory()
    with pytest.raises(DomainError):
        services.attendance_mark(
            user=events_manager, event=event, registration_ids=[], attendance="attended"
        )
    with pytest.raises(DomainError):
        services.attendance_mark_no_shows(user=events_manager, event=event)
