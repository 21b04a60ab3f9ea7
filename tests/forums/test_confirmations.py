"""Cancelling a place, leaving a waiting list and a staff cancellation each ask first, then
say on the page and by email what happened and what comes next."""

import pytest
from django.urls import reverse

from forums.models import Registration
from tests.crm.factories import PersonFactory, UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _own(user, event, **kwargs):
    person = PersonFactory(user=user, email=user.email)
    return RegistrationFactory(event=event, person=person, **kwargs)


def _cancel_url(registration, namespace="forums"):
    return reverse(f"{namespace}:registration_cancel", args=[registration.pk])


def test_cancelling_asks_first_then_confirms_on_the_page_and_by_email(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    registration = _own(user, event)
    client.force_login(user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{_cancel_url(registration)}"' in page  # a link, not a one-click form
    confirm = client.get(_cancel_url(registration)).content.decode()
    assert "Cancel your registration?" in confirm
    assert "The event is full: if you change your mind later" in confirm
    assert "Yes, cancel my registration" in confirm and "No, keep my place" in confirm
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_cancel_url(registration), follow=True)
    assert "is cancelled: your place is free for someone else" in response.content.decode()
    assert "We have emailed you a confirmation" in response.content.decode()
    (message,) = mailoutbox
    assert message.subject.endswith(f"Registration cancelled: {event.title}")
    assert "Thank you for freeing your place" in message.body


def test_leaving_the_waiting_list_says_so_and_not_that_a_registration_was_cancelled(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=0)
    registration = _own(user, event, status="waitlisted", waitlisted_at=event.created_at)
    client.force_login(user)
    confirm = client.get(_cancel_url(registration)).content.decode()
    assert "Leave the waiting list?" in confirm and "You are number 1" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_cancel_url(registration), follow=True)
    text = response.content.decode()
    assert "You have left the waiting list" in text
    assert "registration" not in text.split("You have left the waiting list")[1][:80].lower()
    (message,) = mailoutbox
    assert "You have left the waiting list" in message.subject
    assert "You have left the waiting list for" in message.body


def test_the_me_page_asks_before_cancelling_too_and_lists_current_registrations_first(client, user):
    from datetime import timedelta

    from django.utils import timezone

    past = EventFactory(
        title="Past event",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    later = EventFactory(title="Later event", starts_at=timezone.now() + timedelta(days=30))
    sooner = EventFactory(title="Sooner event", starts_at=timezone.now() + timedelta(days=2))
    cancelled = EventFactory(title="Dropped event", starts_at=timezone.now() + timedelta(days=1))
    person = PersonFactory(user=user, email=user.email)
    for event in (past, later, sooner):
        registration = RegistrationFactory(event=event, person=person)
    RegistrationFactory(event=cancelled, person=person, status="cancelled")
    client.force_login(user)
    page = client.get(reverse("me:dashboard")).content.decode()
    order = [page.index(t) for t in ("Sooner event", "Later event", "Dropped event", "Past event")]
    assert order == sorted(order)
    assert f"{_cancel_url(registration)}?next=" in page


def test_nobody_else_can_open_or_use_my_cancellation(client, user):
    registration = _own(UserFactory(), EventFactory())
    client.force_login(user)
    assert client.get(_cancel_url(registration)).status_code == 404
    assert client.post(_cancel_url(registration)).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_staff_cancel_after_confirming_and_the_person_is_emailed(
    client, events_manager, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    registration = RegistrationFactory(event=event, person__first_name="Ines")
    client.force_login(events_manager)
    detail = client.get(reverse("forums_staff:event_detail", args=[event.pk])).content.decode()
    assert _cancel_url(registration, "forums_staff") in detail
    confirm = client.get(_cancel_url(registration, "forums_staff")).content.decode()
    assert "Cancel this registration?" in confirm and registration.person.email in confirm
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_cancel_url(registration, "forums_staff"), follow=True)
    assert "they have been emailed" in response.content.decode()
    (message,) = mailoutbox
    assert message.to == [registration.person.email]
    assert "The AI Office has cancelled your registration" in message.body


def test_a_promotion_from_the_waiting_list_is_emailed_with_a_calendar_file(
    commit, user, mailoutbox
):
    from forums import services

    event = EventFactory(capacity=1)
    holder = _own(user, event)
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlisted_at=event.created_at)
    commit(services.registration_cancel, user=user, registration=holder)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    promoted = next(m for m in mailoutbox if m.to == [waiting.person.email])
    assert "it is yours" in promoted.body
    assert promoted.attachments[0][2] == "text/calendar"
