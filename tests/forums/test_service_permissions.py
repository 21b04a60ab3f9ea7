"""The forums services check who is asking themselves, whatever view calls them: a person acts
only on their own registrations, applications and evaluations, and only the secretariat changes
memberships (tests/core/test_service_checks.py finds services that check nobody)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.errors import DomainError
from forums import services
from forums.models import Application, Evaluation, Registration
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .factories import CallFactory, EventFactory, MembershipFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _registration_of_someone_else(**fields):
    owner = UserFactory()
    return RegistrationFactory(person=PersonFactory(user=owner, email=owner.email), **fields)


def test_nobody_cancels_someone_elses_registration(commit):
    registration = _registration_of_someone_else(event=EventFactory())
    with pytest.raises(PermissionDenied):
        commit(services.registration_cancel, user=UserFactory(), registration=registration)
    registration.refresh_from_db()
    assert registration.is_active


def test_nobody_accepts_a_place_offered_to_someone_else(commit):
    registration = _registration_of_someone_else(
        event=EventFactory(),
        status=Registration.Status.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=5),
    )
    with pytest.raises(PermissionDenied):
        commit(services.registration_accept_offer, user=UserFactory(), registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.OFFERED


def test_nobody_withdraws_someone_elses_application():
    owner = UserFactory()
    application = Application.objects.create(
        call=CallFactory(),
        kind="individual",
        role="member",
        person=PersonFactory(user=owner, email=owner.email),
    )
    with pytest.raises(DomainError):
        services.application_withdraw(user=UserFactory(), application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_only_the_assigned_evaluator_declares_and_scores():
    application = Application.objects.create(
        call=CallFactory(criteria=["Expertise"]),
        kind="individual",
        role="member",
        person=PersonFactory(),
        status=Application.Status.SUBMITTED,
    )
    evaluator, other = make_staff("Body secretariat"), make_staff("Body secretariat")
    evaluation = Evaluation.objects.create(application=application, evaluator=evaluator)
    with pytest.raises(DomainError):
        services.evaluation_declare(user=other, evaluation=evaluation, has_conflict=False)
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    with pytest.raises(DomainError):
        services.evaluation_score(user=other, evaluation=evaluation, scores={"Expertise": 3})
    evaluation.refresh_from_db()
    assert evaluation.scores in ({}, None)


@pytest.mark.parametrize("role", ["Events manager", "Pact officer", None])
def test_only_the_secretariat_changes_memberships(role):
    membership = MembershipFactory()
    user = make_staff(role) if role else UserFactory()
    with pytest.raises(PermissionDenied):
        services.membership_end(user=user, membership=membership, status="ended")
    membership.refresh_from_db()
    assert membership.status == "active"
