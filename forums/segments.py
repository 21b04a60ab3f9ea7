"""Groups of people the expert bodies and events offer to the CRM's mailings."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Person
from crm.registry import MailingSegment, mailing_segments

from .models import Application, Body, Call, Event, Membership, Registration


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _bodies():
    return [(str(b.pk), b.name) for b in Body.objects.order_by("order", "name")]


def _events():
    # Events of the last half year and to come: those people are written to about.
    since = timezone.now() - timedelta(days=183)
    return [
        (str(e.pk), f"{e.title} ({e.starts_at:%Y-%m-%d})")
        for e in Event.objects.filter(starts_at__gte=since).order_by("starts_at")
    ]


def _calls():
    return [
        (str(c.pk), f"{c.title} ({c.body.name})")
        for c in Call.objects.select_related("body").order_by("-opens_at")
    ]


def body_members(value: str):
    return Person.objects.filter(
        pk__in=Membership.objects.filter(
            body_id=_id(value), status=Membership.Status.ACTIVE
        ).values("person_id")
    )


def event_registrants(value: str):
    return Person.objects.filter(
        pk__in=Registration.objects.filter(
            event_id=_id(value), status__in=Registration.ACTIVE
        ).values("person_id")
    )


def call_applicants(value: str):
    return Person.objects.filter(
        pk__in=Application.objects.filter(call_id=_id(value))
        .exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        .values("person_id")
    )


def register() -> None:
    mailing_segments.register(
        MailingSegment(
            "body_members",
            _("Members of"),
            "forums.view_membership",
            body_members,
            choices=_bodies,
            order=20,
        )
    )
    mailing_segments.register(
        MailingSegment(
            "event_registrants",
            _("Registrants of"),
            "forums.view_registration",
            event_registrants,
            choices=_events,
            order=30,
        )
    )
    mailing_segments.register(
        MailingSegment(
            "call_applicants",
            _("Applicants to"),
            "forums.view_application",
            call_applicants,
            choices=_calls,
            order=40,
        )
    )
