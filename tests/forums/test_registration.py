from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.errors import DomainError
from crm.models import Consent
from forums import services
from forums.models import Event, Registration
from tests.crm.factories import (
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_representative,
)

from .conftest import member_of
from .factories import EventFactory, InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _refusal(register, user, event, **choices) -> str:
    with pytest.raises(DomainError) as info:
        register(user, event, **choices)
    return info.value.code


def test_registration_is_confirmed_while_places_remain_and_emails_an_ics(
    register, user, mailoutbox
):
    event = EventFactory(capacity=2, format="online")
    registration = register(user, event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.person.user == user
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert event.title in message.subject
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"event-{event.pk}.ics"
    assert mimetype == "text/calendar"
    vevent = Calendar.from_ical(content).walk("VEVENT")[0]
    assert "https://stream.example.eu/live" in str(vevent["description"])


def test_registration_joins_the_waiting_list_with_its_position_when_full(register, mailoutbox):
    event = EventFactory(capacity=1)
    register(UserFactory(), event)
    second = register(UserFactory(), event)
    third = register(UserFactory(), event)
    assert second.status == third.status == Registration.Status.WAITLISTED
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    assert "number 2" in mailoutbox[-1].body
    assert not mailoutbox[-1].attachments


def test_full_event_without_waiting_list_refuses(register):
    event = EventFactory(capacity=1, waitlist_enabled=False)
    register(UserFactory(), event)
    assert _refusal(register, UserFactory(), event) == "full"
    assert event.registrations.count() == 1


def test_unlimited_event_confirms_everyone(register):
    event = EventFactory(capacity=None, waitlist_enabled=False)
    statuses = {register(UserFactory(), event).status for _ in range(5)}
    assert statuses == {Registration.Status.CONFIRMED}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": Event.Status.DRAFT}, "closed"),
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not_yet_open"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
        (
            {
                "starts_at": timezone.now() - timedelta(hours=1),
                "ends_at": timezone.now() + timedelta(hours=1),
            },
            "closed",
        ),
    ],
)
def test_registration_outside_the_window_is_refused(register, user, changes, code):
    event = EventFactory(**changes)
    assert _refusal(register, user, event) == code
    assert not event.registrations.exists()


def test_same_person_cannot_register_twice(register, user):
    event = EventFactory()
    register(user, event)
    assert _refusal(register, user, event) == "already_registered"


def test_person_may_register_again_after_cancelling(register, commit, user):
    event = EventFactory()
    first = register(user, event)
    commit(services.registration_cancel, user=user, registration=first)
    assert register(user, event).status == Registration.Status.CONFIRMED


def test_invited_event_refuses_people_not_invited(register, user):
    event = EventFactory(audience=Event.Audience.INVITED)
    assert _refusal(register, user, event) == "not_invited"


def test_invited_event_accepts_an_invited_person(register, user):
    from crm.services import person_ensure_for_user

    event = EventFactory(audience=Event.Audience.INVITED)
    InvitationFactory(event=event, person=person_ensure_for_user(user=user))
    assert register(user, event).status == Registration.Status.CONFIRMED


def test_invited_event_accepts_people_of_an_invited_organisation(register, organisation):
    event = EventFactory(audience=Event.Audience.INVITED)
    InvitationFactory(event=event, organisation=organisation)
    assert register(member_of(organisation), event).organisation == organisation
    assert _refusal(register, member_of(OrganisationFactory()), event) == "not_invited"


def test_organisation_cap_refuses_one_place_too_many(register, organisation):
    event = EventFactory(capacity=10, max_per_organisation=2)
    register(member_of(organisation), event)
    register(member_of(organisation), event)
    assert _refusal(register, member_of(organisation), event) == "organisation_full"
    assert register(member_of(OrganisationFactory()), event).status == "confirmed"


def test_waiting_list_places_count_towards_the_organisation_cap(register, organisation):
    event = EventFactory(capacity=1, max_per_organisation=2)
    register(UserFactory(), event)
    assert register(member_of(organisation), event).status == "waitlisted"
    register(member_of(organisation), event)
    assert _refusal(register, member_of(organisation), event) == "organisation_full"


def test_representative_registering_colleagues_respects_cap_and_capacity(commit, organisation):
    rep = make_representative(organisation)
    event = EventFactory(capacity=2, max_per_organisation=3, waitlist_enabled=False)

    def colleague(n):
        return commit(
            services.registration_create_for_colleague,
            user=rep,
            event=event,
            organisation=organisation,
            first_name="Col",
            last_name=f"League{n}",
            email=f"colleague{n}@example.org",
        )

    assert colleague(1).organisation == organisation
    assert colleague(2).status == "confirmed"
    with pytest.raises(DomainError) as info:
        colleague(3)
    assert info.value.code == "full"
    assert event.registrations.filter(status="confirmed").count() == 2


def test_colleague_registration_counts_towards_the_cap(commit, organisation):
    rep = make_representative(organisation)
    event = EventFactory(capacity=10, max_per_organisation=1)
    kwargs = {"user": rep, "event": event, "organisation": organisation, "first_name": "A"}
    commit(
        services.registration_create_for_colleague, last_name="B", email="b@example.org", **kwargs
    )
    with pytest.raises(DomainError) as info:
        commit(
            services.registration_create_for_colleague,
            last_name="C",
            email="c@example.org",
            **kwargs,
        )
    assert info.value.code == "organisation_full"


def test_only_a_representative_may_register_colleagues(commit, organisation):
    user = member_of(organisation)
    with pytest.raises(DomainError):
        commit(
            services.registration_create_for_colleague,
            user=user,
            event=EventFactory(),
            organisation=organisation,
            first_name="A",
            last_name="B",
            email="ab@example.org",
        )


def test_special_requirements_need_their_own_consent(register, user):
    event = EventFactory()
    with pytest.raises(DomainError) as info:
        register(user, event, special_requirements="Wheelchair access")
    assert info.value.field == "special_requirements_consent"
    assert not event.registrations.exists()


def test_consents_are_recorded_with_the_events_privacy_notice(register, user):
    event = EventFactory(privacy_notice="Events notice", privacy_notice_version="2026-02")
    registration = register(
        user,
        event,
        on_participant_list=True,
        photo_opt_out=True,
        special_requirements="Vegetarian",
        special_requirements_consent=True,
    )
    consents = Consent.objects.filter(person=registration.person)
    assert {c.purpose for c in consents} == {
        Consent.Purpose.EVENT_PARTICIPANT_LIST,
        Consent.Purpose.SPECIAL_REQUIREMENTS,
    }
    assert {(c.privacy_notice, c.notice_version) for c in consents} == {
        ("Events notice", "2026-02")
    }
    assert registration.photo_opt_out and registration.special_requirements == "Vegetarian"


def test_registration_writes_an_audit_entry(register, user):
    from core.audit import audit_entries_for

    registration = register(user, EventFactory())
    assert [e.action for e in audit_entries_for(registration)] == ["forums.registration.confirmed"]


def test_registration_takes_few_queries(register, user, django_assert_max_num_queries):
    event = EventFactory(capacity=5, max_per_organisation=2)
    register(UserFactory(), event)
    register(user, EventFactory())  # the person record exists, as for a returning participant
    with django_assert_max_num_queries(8):
        register(user, event)


def test_registration_status_and_waitlist_position_of_existing_factory_rows():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status="waitlisted", confirmed_at=None, waitlisted_at=timezone.now()
    )
    from forums.selectors import waitlist_position

    assert waitlist_position(waiting) == 1


def test_invitation_of_any_of_my_organisations_lets_me_register(register, organisation):
    from tests.crm.factories import AffiliationFactory

    event = EventFactory(audience=Event.Audience.INVITED)
    InvitationFactory(event=event, organisation=organisation)
    user = make_representative(OrganisationFactory())  # my first organisation is not invited
    AffiliationFactory(person=user.person, organisation=organisation)
    assert register(user, event).status == Registration.Status.CONFIRMED


def test_an_event_for_the_members_of_a_body_admits_its_active_members_only(register):
    from forums.models import EventInvitation

    from .factories import BodyFactory, MembershipFactory

    body = BodyFactory()
    event = EventFactory(audience=Event.Audience.INVITED)
    EventInvitation.objects.create(event=event, body=body)
    member, former, outsider = UserFactory(), UserFactory(), UserFactory()
    for user, status in ((member, "active"), (former, "ended")):
        person = PersonFactory(user=user, email=user.email)
        MembershipFactory(body=body, person=person, status=status)
    assert register(member, event).status == Registration.Status.CONFIRMED
    assert _refusal(register, former, event) == "not_invited"
    assert _refusal(register, outsider, event) == "not_invited"
    from forums import selectors

    assert selectors.event_get(user=member, pk=event.pk) is not None
    assert selectors.event_get(user=outsider, pk=event.pk) is None
