"""Fixtures of the CRM's tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm import services
from pact import services as pact_services
from tests.forums.factories import EventFactory, RegistrationFactory
from tests.pact.factories import make_pledge

from .factories import make_representative, make_staff


@pytest.fixture
def coordinator():
    return make_staff("Data-protection coordinator")


@pytest.fixture
def rich_representative(organisation, pact_officer):
    """A representative with a published pledge, a network membership, a consent, a staff
    note and registrations for a past and a future event."""
    user = make_representative(organisation, first_name="Grace", last_name="Hopper")
    person = user.person
    make_pledge(
        organisation, user, status="published", reviewer=pact_officer, signatory_name="Grace Hopper"
    )
    pact_services.network_join(
        user=user, organisation=organisation, interests=["webinars"], contact_email=user.email
    )
    services.consent_give(person=person, purpose="newsletter", privacy_notice="Newsletter")
    services.note_add(user=pact_officer, person=person, text="Called about the pledge")
    past = EventFactory(
        title="Past workshop",
        starts_at=timezone.now() - timedelta(days=5),
        ends_at=timezone.now() - timedelta(days=5) + timedelta(hours=2),
    )
    RegistrationFactory(
        event=past,
        person=person,
        organisation=organisation,
        special_requirements="Vegetarian",
        attendance="attended",
        on_participant_list=True,
    )
    RegistrationFactory(event=EventFactory(title="Future webinar"), person=person)
    return user
