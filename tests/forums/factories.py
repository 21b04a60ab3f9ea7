from datetime import timedelta

import factory
from django.utils import timezone

from forums.models import (
    BalanceRule,
    Body,
    Call,
    Declaration,
    Event,
    EventInvitation,
    Membership,
    Registration,
)
from tests.crm.factories import PersonFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "Practices of the AI Pact network."
    kind = Event.Kind.WORKSHOP
    format = Event.Format.IN_PERSON
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue = "Rue Froissart 36, Brussels"
    stream_url = "https://stream.example.eu/live"
    capacity = 10
    waitlist_enabled = True
    status = Event.Status.PUBLISHED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventInvitation

    event = factory.SubFactory(EventFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Expert group {n}")
    slug = factory.Sequence(lambda n: f"expert-group-{n}")
    description = "Advises the AI Office."
    kind = Body.Kind.OTHER
    legal_basis = "Regulation (EU) 2024/1689"
    term_months = 24
    max_service_months = 48


class BalanceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BalanceRule

    body = factory.SubFactory(BodyFactory)
    dimension = BalanceRule.Dimension.EU_EEA
    value = "eu_eea"
    operator = BalanceRule.Operator.MIN_SHARE
    threshold = 80
    description = "At least 80 % EU/EEA nationals"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Call {n}")
    text = "Apply to join."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    roles = ["member", "chair"]
    criteria = ["Expertise"]
    # The tests of declarations of interest turn this on; the others apply without one.
    declaration_required = False
    status = Call.Status.PUBLISHED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    member_type = Membership.MemberType.PERSONAL
    term_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    publication = Membership.Publication.LEGAL_BASIS


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    person = factory.SubFactory(PersonFactory)
    version = factory.Sequence(lambda n: n + 1)
    no_interests = True
    signed_name = factory.LazyAttribute(lambda o: o.person.full_name)
    signed_at = factory.LazyFunction(timezone.now)
