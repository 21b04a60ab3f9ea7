"""People hear about what happens to their organisation and representative requests."""

import pytest
from django.core import mail
from django.utils import translation

from crm import services
from tests.crm.test_services import REGISTRATION


@pytest.fixture
def registered(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.organisation_register(user=user, **REGISTRATION)


@pytest.mark.django_db
def test_registering_an_organisation_is_acknowledged_with_what_comes_next(user, registered):
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "We received the registration of Nordic Vision AI" in message.subject
    assert "usually within five working days" in message.body
    assert "/me/" in message.body
    assert "Nordic Vision AI" in message.alternatives[0][0]


@pytest.mark.django_db
def test_asking_to_represent_an_organisation_is_acknowledged(
    user, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_request(user=user, organisation=organisation)
    assert mail.outbox[-1].to == [user.email]
    assert f"represent {organisation.name}" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_a_confirmed_representative_is_told_they_may_now_act(
    user, registered, pact_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_confirm(user=pact_officer, affiliation=registered)
    message = mail.outbox[-1]
    assert message.to == [user.email]
    assert "You now represent Nordic Vision AI" in message.subject
    assert "sign its AI Pact pledge" in message.body


@pytest.mark.django_db
def test_a_refused_representative_is_told_why_in_their_language(
    user, registered, pact_officer, django_capture_on_commit_callbacks
):
    person = registered.person
    person.preferred_language = "fr"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_refuse(
            user=pact_officer, affiliation=registered, reason="Not an employee"
        )
    message = mail.outbox[-1]
    assert message.to == [user.email]
    assert "Not an employee" in message.body
    with translation.override("fr"):
        greeting = translation.gettext("Hello,")
    assert greeting != "Hello,"
    assert message.body.startswith(greeting)  # rendered in French
