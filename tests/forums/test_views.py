from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Event, Registration
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .factories import EventFactory, InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_event_list_shows_published_upcoming_events_to_anyone(client):
    upcoming = EventFactory(title="Upcoming webinar")
    EventFactory(title="Draft meeting", status=Event.Status.DRAFT)
    EventFactory(title="Closed meeting", audience=Event.Audience.INVITED)
    past_start = timezone.now() - timedelta(days=3)
    EventFactory(title="Past workshop", starts_at=past_start, ends_at=past_start)
    body = client.get("/events/").content.decode()
    assert upcoming.title in body
    assert "Draft meeting" not in body and "Closed meeting" not in body
    assert "Past workshop" not in body
    assert "Past workshop" in client.get("/events/?when=past").content.decode()


def test_event_list_is_paginated_without_a_query_per_event(client, django_assert_max_num_queries):
    for _ in range(25):
        RegistrationFactory(event=EventFactory(capacity=3))
    with django_assert_max_num_queries(6):
        response = client.get("/events/")
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 2


def test_event_page_translates_title(client):
    event = EventFactory(title="Workshop", translations={"fr": {"title": "Atelier"}})
    body = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Atelier" in body


def test_draft_and_uninvited_events_are_not_found(client, user):
    client.force_login(user)
    assert client.get(EventFactory(status="draft").get_absolute_url()).status_code == 404
    invited_only = EventFactory(audience=Event.Audience.INVITED)
    assert client.get(invited_only.get_absolute_url()).status_code == 404


def test_invited_person_sees_the_invited_event(client, user):
    from crm.services import person_ensure_for_user

    event = EventFactory(audience=Event.Audience.INVITED)
    InvitationFactory(event=event, person=person_ensure_for_user(user=user))
    client.force_login(user)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_stream_link_is_shown_only_to_confirmed_participants(client, user):
    event = EventFactory(format="online", stream_url="https://stream.example.eu/private")
    client.force_login(user)
    assert "stream.example.eu/private" not in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("forums:event_register", args=[event.pk]))
    assert "stream.example.eu/private" in client.get(event.get_absolute_url()).content.decode()


def test_register_through_the_page(client, user, mailoutbox):
    event = EventFactory(capacity=1)
    client.force_login(user)
    response = client.post(
        reverse("forums:event_register", args=[event.pk]),
        {"on_participant_list": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "You are registered" in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.on_participant_list and registration.status == "confirmed"


def test_waitlisted_registration_shows_the_position(client, user):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(user)
    response = client.post(reverse("forums:event_register", args=[event.pk]), follow=True)
    assert "number 1 on the waiting list" in response.content.decode()


def test_refusal_is_shown_on_the_page_and_changes_nothing(client, user):
    event = EventFactory(capacity=1, waitlist_enabled=False)
    RegistrationFactory(event=event)
    client.force_login(user)
    response = client.post(reverse("forums:event_register", args=[event.pk]))
    assert response.status_code == 400
    assert "full and has no waiting list" in response.content.decode()
    assert event.registrations.count() == 1


def test_special_requirements_without_consent_get_a_message_next_to_the_field(client, user):
    event = EventFactory()
    client.force_login(user)
    url = reverse("forums:event_register", args=[event.pk])
    too_long = client.post(url, {"special_requirements": "x" * 2000})
    assert list(too_long.context["form"].errors) == ["special_requirements"]
    no_consent = client.post(url, {"special_requirements": "Wheelchair access"})
    assert no_consent.status_code == 400
    assert list(no_consent.context["form"].errors) == ["special_requirements_consent"]
    assert not event.registrations.exists()


def test_anonymous_visitor_is_asked_to_sign_in(client):
    event = EventFactory()
    assert "Sign in to register" in client.get(event.get_absolute_url()).content.decode()
    response = client.post(reverse("forums:event_register", args=[event.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_calendar_download(client):
    event = EventFactory()
    response = client.get(reverse("forums:event_calendar", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert b"stream.example.eu" not in response.content


def test_me_page_lists_my_registrations_and_cancels_one(client, user, register):
    event = EventFactory(capacity=1)
    mine = register(user, event)
    other = RegistrationFactory(event=EventFactory())
    client.force_login(user)
    body = client.get("/me/").content.decode()
    assert "My registrations" in body and event.title in body
    assert other.event.title not in body
    response = client.post(reverse("forums:registration_cancel", args=[mine.pk]), {"next": "/me/"})
    assert response["Location"] == "/me/"
    mine.refresh_from_db()
    assert mine.status == "cancelled"


def test_me_page_shows_waitlist_positions_without_a_query_per_row(
    client, user, register, django_assert_max_num_queries
):
    for _ in range(5):
        event = EventFactory(capacity=1)
        RegistrationFactory(event=event)
        register(user, event)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        body = client.get("/me/").content.decode()
    assert body.count("number 1") == 5


def test_nobody_cancels_someone_elses_registration(client, user):
    registration = RegistrationFactory()
    client.force_login(user)
    response = client.post(reverse("forums:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_accept_an_offered_place(client, user, register, commit):
    from forums import services

    event = EventFactory(capacity=1, waitlist_offer_hours=12)
    first = register(UserFactory(), event)
    mine = register(user, event)
    commit(services.registration_cancel, user=first.person.user, registration=first)
    client.force_login(user)
    assert "Accept the place" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("forums:registration_accept", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == "confirmed"


def test_representative_registers_a_colleague_on_the_page(client, representative, organisation):
    event = EventFactory()
    client.force_login(representative)
    assert "Register a colleague" in client.get(event.get_absolute_url()).content.decode()
    client.post(
        reverse("forums:event_register_colleague", args=[event.pk]),
        {
            "organisation": organisation.pk,
            "first_name": "Ada",
            "last_name": "Byron",
            "email": "ada@example.org",
        },
    )
    registration = Registration.objects.get(event=event)
    assert registration.person.email == "ada@example.org"
    assert registration.organisation == organisation


# --- Staff --------------------------------------------------------------------------------


@pytest.fixture
def past_event():
    start = timezone.now() - timedelta(days=1)
    event = EventFactory(capacity=5, starts_at=start, ends_at=start + timedelta(hours=2))
    for _ in range(4):
        RegistrationFactory(event=event, special_requirements="Vegetarian")
    RegistrationFactory(event=event, status="waitlisted", waitlisted_at=start)
    return event


def test_staff_event_list_shows_figures(
    client, events_manager, past_event, django_assert_max_num_queries
):
    Registration.objects.filter(event=past_event).update(attendance="attended")
    client.force_login(events_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("forums_staff:event_list"))
    event = response.context["page"][0]
    assert (event.registered_count, event.waitlisted_count, event.attended_count) == (4, 1, 4)
    assert event.attendance_rate == 100.0


def test_staff_registration_list_filters_and_shows_special_requirements_to_events_managers(
    client, events_manager, past_event, django_assert_max_num_queries
):
    client.force_login(events_manager)
    url = reverse("forums_staff:event_detail", args=[past_event.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url, {"status": "waitlisted"})
    assert response.context["page"].paginator.count == 1
    assert "Vegetarian" in client.get(url).content.decode()


def test_data_protection_coordinator_does_not_see_special_requirements(client, past_event):
    coordinator = make_staff("Data-protection coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("forums_staff:event_detail", args=[past_event.pk]))
    assert page.status_code == 200
    assert "Vegetarian" not in page.content.decode()
    csv = client.get(reverse("forums_staff:registrations_csv", args=[past_event.pk]))
    assert "Vegetarian" not in csv.content.decode()


def test_registrations_csv_export(client, events_manager, past_event):
    person = Registration.objects.filter(event=past_event).first().person
    person.first_name = "=cmd"
    person.save()
    client.force_login(events_manager)
    response = client.get(
        reverse("forums_staff:registrations_csv", args=[past_event.pk]), {"status": "confirmed"}
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("First name,Last name,Email")
    assert "Special requirements" in lines[0]
    assert len(lines) == 5
    assert any(line.startswith("'=cmd") for line in lines)


def test_check_in_page_searches_and_checks_in_with_undo(client, events_manager):
    event = EventFactory()
    ada = RegistrationFactory(
        event=event, person=PersonFactory(first_name="Ada", last_name="Byron")
    )
    RegistrationFactory(event=event, person=PersonFactory(first_name="Alan", last_name="Turing"))
    client.force_login(events_manager)
    page = client.get(reverse("forums_staff:check_in", args=[event.pk]), {"q": "byron"})
    assert [r.pk for r in page.context["page"]] == [ada.pk]
    toggle = reverse("forums_staff:check_in_toggle", args=[event.pk, ada.pk])
    response = client.post(toggle, {"action": "in"}, HTTP_ACCEPT="application/json")
    assert response.json()["checked_in"] is True
    response = client.post(toggle, {"action": "undo"}, HTTP_ACCEPT="application/json")
    assert response.json()["checked_in"] is False
    response = client.post(toggle, {"action": "in", "q": "byron"})
    assert response.status_code == 302 and "q=byron" in response["Location"]
    ada.refresh_from_db()
    assert ada.checked_in_at is not None


def test_check_in_of_another_events_registration_is_not_found(client, events_manager):
    registration = RegistrationFactory()
    client.force_login(events_manager)
    other = EventFactory()
    response = client.post(
        reverse("forums_staff:check_in_toggle", args=[other.pk, registration.pk])
    )
    assert response.status_code == 404


def test_bulk_attendance_and_no_shows_through_the_page(client, events_manager, past_event):
    client.force_login(events_manager)
    confirmed = list(past_event.registrations.filter(status="confirmed"))
    client.post(
        reverse("forums_staff:attendance", args=[past_event.pk]),
        {"registrations": [confirmed[0].pk, confirmed[1].pk], "attendance": "attended"},
    )
    client.post(reverse("forums_staff:no_shows", args=[past_event.pk]))
    attendance = sorted(
        past_event.registrations.filter(status="confirmed").values_list("attendance", flat=True)
    )
    assert attendance == ["attended", "attended", "no_show", "no_show"]


def test_bulk_attendance_with_nothing_selected_says_so(client, events_manager, past_event):
    client.force_login(events_manager)
    response = client.post(
        reverse("forums_staff:attendance", args=[past_event.pk]),
        {"registrations": ["abc"], "attendance": "bogus"},
        follow=True,
    )
    assert response.status_code == 200
    assert not past_event.registrations.exclude(attendance="").exists()


def test_staff_cancel_promotes_the_waiting_list(client, events_manager, past_event):
    event = EventFactory(capacity=1)
    taken = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status="waitlisted", confirmed_at=None, waitlisted_at=timezone.now()
    )
    client.force_login(events_manager)
    client.post(reverse("forums_staff:registration_cancel", args=[taken.pk]))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_person_page_shows_their_registrations(client, staff):
    registration = RegistrationFactory()
    client.force_login(staff)
    body = client.get(registration.person.get_absolute_url()).content.decode()
    assert "Event registrations" in body and registration.event.title in body


def test_pact_officer_cannot_reach_events_back_office(client, pact_officer):
    client.force_login(pact_officer)
    assert client.get(reverse("forums_staff:event_list")).status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_cancel_never_redirects_off_site(client, user, register, target):
    registration = register(user, EventFactory())
    client.force_login(user)
    response = client.post(
        reverse("forums:registration_cancel", args=[registration.pk]), {"next": target}
    )
    assert response["Location"] == registration.event.get_absolute_url()


def test_organisation_page_shows_registrations_of_its_people(client, staff, organisation):
    registration = RegistrationFactory(organisation=organisation)
    client.force_login(staff)
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert "Event registrations" in body
    assert registration.person.full_name in body and registration.event.title in body


def test_registrations_panel_is_hidden_from_staff_without_the_permission(client, pact_officer):
    registration = RegistrationFactory()
    client.force_login(pact_officer)
    body = client.get(registration.person.get_absolute_url()).content.decode()
    assert "Event registrations" not in body


def test_registration_request_takes_few_queries(client, user, django_assert_max_num_queries):
    from crm.services import person_ensure_for_user

    person_ensure_for_user(user=user)
    event = EventFactory(capacity=5, max_per_organisation=2)
    RegistrationFactory(event=event)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.post(reverse("forums:event_register", args=[event.pk]))
    assert response.status_code == 302


def test_participant_list_shows_consenting_participants_to_confirmed_participants_only(
    client, user, register
):
    event = EventFactory(capacity=3)
    RegistrationFactory(
        event=event,
        on_participant_list=True,
        person=PersonFactory(first_name="Listed", last_name="Person"),
    )
    RegistrationFactory(event=event, person=PersonFactory(first_name="Private", last_name="Person"))
    assert "Listed Person" not in client.get(event.get_absolute_url()).content.decode()
    register(user, event)
    client.force_login(user)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Listed Person" in body and "Private Person" not in body
