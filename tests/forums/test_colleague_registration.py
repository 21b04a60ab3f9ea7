"""A representative registers colleagues: only people of their organisation, no consents in
another person's name, and nothing revealed about people of other organisations."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from crm.models import Affiliation, Consent, Person
from forums import services
from forums.models import Registration
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
)

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def _register(rep, organisation, event, **fields):
    data = {"first_name": "Typed", "last_name": "Name", "email": "new@example.org"} | fields
    return services.registration_create_for_colleague(
        user=rep, event=event, organisation=organisation, **data
    )


def test_a_representative_without_a_verified_email_cannot_register_colleagues(organisation):
    rep = make_representative(organisation, verified=False)
    event = EventFactory()
    with pytest.raises(DomainError) as info:
        _register(rep, organisation, event)
    assert "confirm your email" in str(info.value)
    assert not event.registrations.exists()
    assert not Person.objects.filter(email="new@example.org").exists()


def test_a_new_email_creates_a_person_affiliated_with_the_organisation(organisation):
    rep = make_representative(organisation)
    registration = _register(rep, organisation, EventFactory())
    person = registration.person
    assert (person.first_name, person.email) == ("Typed", "new@example.org")
    assert Affiliation.objects.filter(
        person=person, organisation=organisation, status=Affiliation.Status.CONFIRMED
    ).exists()


def test_an_affiliated_colleague_is_registered_under_the_organisation(organisation):
    rep = make_representative(organisation)
    colleague = PersonFactory(email="colleague@example.org")
    AffiliationFactory(person=colleague, organisation=organisation)
    registration = _register(rep, organisation, EventFactory(), email="Colleague@example.org")
    assert registration.person == colleague
    assert registration.organisation == organisation


def test_a_person_of_another_organisation_is_refused_without_revealing_them(organisation):
    rep = make_representative(organisation)
    stranger = PersonFactory(first_name="Secretia", last_name="Hidden", email="s@other.org")
    AffiliationFactory(person=stranger, organisation=OrganisationFactory())
    event = EventFactory()
    with pytest.raises(DomainError) as stranger_refusal:
        _register(rep, organisation, event, email="s@other.org", on_participant_list=True)
    with pytest.raises(DomainError) as not_representative:
        _register(make_representative(OrganisationFactory()), organisation, event)
    assert str(stranger_refusal.value) == str(not_representative.value)
    assert "Secretia" not in str(stranger_refusal.value)
    assert "Hidden" not in str(stranger_refusal.value)
    assert not event.registrations.exists()
    assert not Consent.objects.filter(person=stranger).exists()
    assert not stranger.affiliations.filter(organisation=organisation).exists()


def test_a_person_with_no_affiliation_is_refused_too(organisation):
    rep = make_representative(organisation)
    PersonFactory(email="loner@example.org")
    with pytest.raises(DomainError) as info:
        _register(rep, organisation, EventFactory(), email="loner@example.org")
    assert info.value.code == "not_a_colleague"


def test_no_consent_is_recorded_in_an_existing_colleagues_name(organisation):
    rep = make_representative(organisation)
    colleague = PersonFactory(email="colleague@example.org")
    AffiliationFactory(person=colleague, organisation=organisation)
    event = EventFactory()
    with pytest.raises(DomainError) as info:
        _register(rep, organisation, event, email="colleague@example.org", on_participant_list=True)
    assert info.value.code == "consent_not_theirs"
    assert not Consent.objects.filter(person=colleague).exists()
    assert not event.registrations.exists()


def test_the_success_message_shows_only_what_the_representative_typed(client, organisation):
    rep = make_representative(organisation)
    colleague = PersonFactory(first_name="Realfirst", last_name="Realname", email="c@example.org")
    AffiliationFactory(person=colleague, organisation=organisation)
    event = EventFactory()
    client.force_login(rep)
    response = client.post(
        reverse("forums:event_register_colleague", args=[event.pk]),
        {
            "organisation": organisation.pk,
            "first_name": "Cee",
            "last_name": "Typed",
            "email": "c@example.org",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Cee Typed is registered" in page
    assert "Realname" not in page
    assert Registration.objects.get(event=event).person == colleague


def test_a_refused_colleague_page_reveals_nothing(client, organisation):
    rep = make_representative(organisation)
    PersonFactory(first_name="Secretia", last_name="Hidden", email="s@other.org")
    event = EventFactory()
    client.force_login(rep)
    response = client.post(
        reverse("forums:event_register_colleague", args=[event.pk]),
        {
            "organisation": organisation.pk,
            "first_name": "X",
            "last_name": "Y",
            "email": "s@other.org",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Secretia" not in page and "Hidden" not in page
    assert not event.registrations.exists()
