from datetime import timedelta

import factory
from django.utils import timezone

from forums.models import Event, EventInvitation, Registration
from tests.crm.factories import PersonFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "Practices of the AI Pact network."
    kind = Event.Kind.WORKSHOP
    format = Event.Format.HYBRID
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
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
