"""The events module's share of the data-subject rights, the retention purge and the access
log. Registered from `ForumsConfig.ready()`.

Registrations stay (with their event, status, organisation and attendance) so that every
figure of an event keeps adding up; what they say about the person is removed.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AccessLogEntry
from crm.models import Affiliation, Person
from crm.privacy import ERASED_EMAIL_SUFFIX
from crm.registry import person_data

from . import selectors
from .filters import RegistrationFilter
from .models import (
    Application,
    Declaration,
    DeclaredInterest,
    Event,
    EventInvitation,
    Membership,
    Nomination,
    Registration,
)


def export_person(*, person: Person) -> dict:
    registrations = Registration.objects.filter(person=person).select_related(
        "event", "organisation"
    )
    return {
        "event_registrations": [
            {
                "event": r.event.title,
                "starts_at": r.event.starts_at,
                "organisation": r.organisation.name if r.organisation else "",
                "status": r.status,
                "registered_at": r.created_at,
                "confirmed_at": r.confirmed_at,
                "cancelled_at": r.cancelled_at,
                "no_photos_or_recordings": r.photo_opt_out,
                "on_participant_list": r.on_participant_list,
                "special_requirements": r.special_requirements,
                "special_requirements_deleted_at": r.special_requirements_purged_at,
                "checked_in_at": r.checked_in_at,
                "attendance": r.attendance,
            }
            for r in registrations.order_by("event__starts_at", "pk")
        ],
        "speaking_at": [
            {"event": item.event.title, "item": item.title, "starts_at": item.starts_at}
            for item in person.agenda_items.select_related("event").order_by("starts_at")
        ],
        "event_invitations": list(
            EventInvitation.objects.filter(person=person)
            .order_by("event__starts_at")
            .values_list("event__title", flat=True)
        ),
        "expert_body_applications": [
            {
                "call": a.call.title,
                "body": a.call.body.name,
                "applying": a.kind,
                "organisation": a.organisation.name if a.organisation else "",
                "role_sought": a.role,
                "expertise": a.expertise,
                "motivation": a.motivation,
                "nationality": str(a.nationality),
                "gender": a.gender,
                "cv_attached": bool(a.cv),
                "status": a.status,
                "submitted_at": a.submitted_at,
                "withdrawn_at": a.withdrawn_at,
            }
            for a in Application.objects.filter(person=person)
            .select_related("call__body", "organisation")
            .order_by("created_at", "pk")
        ],
        "expert_body_memberships": [
            {
                "body": m.body.name,
                "organisation": m.organisation.name if m.organisation else "",
                "member_type": m.member_type,
                "role": m.role,
                "term_start": m.term_start,
                "term_end": m.term_end,
                "status": m.status,
                "ceased_on": m.ceased_on,
                "ceased_reason": m.ceased_reason,
                "publication": m.publication,
            }
            for m in Membership.objects.filter(person=person)
            .select_related("body", "organisation")
            .order_by("term_start", "pk")
        ],
        "declarations_of_interest": [
            {
                "version": d.version,
                "no_interests": d.no_interests,
                "signed_name": d.signed_name,
                "signed_at": d.signed_at,
                "assessment": d.assessment,
                "assessment_reason": d.assessment_reason,
                "assessed_at": d.assessed_at,
                "interests": [
                    {
                        "category": i.category,
                        "organisation": i.organisation,
                        "description": i.description,
                        "from": i.started_on,
                        "until": i.ended_on,
                        "amount": i.amount,
                    }
                    for i in d.interests.all()
                ],
            }
            for d in Declaration.objects.filter(person=person)
            .prefetch_related("interests")
            .order_by("version")
        ],
        "nominated_by_organisations": [
            {
                "call": n.application.call.title,
                "organisation": getattr(n.application.organisation, "name", ""),
                "as": n.seat,
            }
            for n in Nomination.objects.filter(person=person).select_related(
                "application__call", "application__organisation"
            )
        ],
    }


def erase_person(*, person: Person, actor) -> dict[str, int]:
    now = timezone.now()
    registrations = Registration.objects.filter(person=person)
    purged = registrations.exclude(special_requirements="").update(
        special_requirements="", special_requirements_purged_at=now
    )
    applications = Application.objects.filter(person=person)
    for application in applications.exclude(cv=""):
        application.cv.delete(save=False)
    erased_applications = applications.update(
        expertise="", motivation="", gender="", nationality="", cv=""
    )
    unpublished = Membership.objects.filter(person=person).update(
        publication=Membership.Publication.NOT_PUBLISHED
    )
    # The declarations stay as the record that they were filed and assessed; what they declared
    # is erased (and, with the membership unpublished, nothing of them is public any more).
    erased_interests = DeclaredInterest.objects.filter(declaration__person=person).update(
        organisation="", description=""
    )
    Declaration.objects.filter(person=person).update(signed_name="")
    return {
        "registrations": registrations.update(on_participant_list=False, photo_opt_out=False),
        "special_requirements": purged,
        "expert_body_applications": erased_applications,
        "expert_body_memberships_unpublished": unpublished,
        "declared_interests": erased_interests,
    }


def purge_special_requirements(*, before, now) -> int:
    """Dietary and accessibility needs, after the event has ended."""
    return (
        Registration.objects.filter(event__ends_at__lt=before)
        .exclude(special_requirements="")
        .update(special_requirements="", special_requirements_purged_at=now)
    )


def purge_event_registrations(*, before, now) -> int:
    """Registrations of events that ended before `before`: their personal details go, and the
    people known only through such registrations (no account, no current affiliation, nothing
    newer) are anonymised in every app. The registrations themselves stay for the figures."""
    old = Registration.objects.filter(event__ends_at__lt=before)
    details = old.filter(
        Q(registered_by__isnull=False)
        | Q(checked_in_at__isnull=False)
        | Q(photo_opt_out=True)
        | Q(on_participant_list=True)
        | ~Q(special_requirements="")
    ).update(
        registered_by=None,
        checked_in_at=None,
        photo_opt_out=False,
        on_participant_list=False,
        special_requirements="",
    )
    newer = Registration.objects.filter(person=OuterRef("pk"), event__ends_at__gte=before)
    invited = EventInvitation.objects.filter(person=OuterRef("pk"), event__ends_at__gte=before)
    affiliated = Affiliation.objects.filter(person=OuterRef("pk"), valid_to__isnull=True)
    forgotten = (
        Person.objects.filter(user__isnull=True, created_at__lt=before, registrations__in=old)
        .exclude(email__endswith=ERASED_EMAIL_SUFFIX)
        .exclude(Exists(newer))
        .exclude(Exists(invited))
        .exclude(Exists(affiliated))
        .distinct()
    )
    people = 0
    for person in forgotten.iterator(chunk_size=200):
        person_data.erase(person=person, actor=None)
        people += 1
    return details + people


def _event_title(pk) -> str | None:
    return Event.objects.filter(pk=pk).values_list("title", flat=True).first()


def _registrations_described(request, pk, what):
    title = _event_title(pk)
    if title is None:
        return None
    event = Event(pk=pk)
    queryset = selectors.registrations_staff(
        user=request.user, event=event, query=request.GET.get("q", "").strip()
    )
    filtered = RegistrationFilter(request.GET or None, queryset=queryset).qs
    return {
        "subject_type": "forums.event",
        "subject_id": pk,
        "person_ids": filtered.order_by().values_list("person_id", flat=True),
        "description": what % {"event": title},
    }


def describe_event_registrations(request, pk):
    return _registrations_described(request, pk, _("Registrations of %(event)s"))


def describe_registrations_csv(request, pk):
    return _registrations_described(request, pk, _("CSV of the registrations of %(event)s"))


def describe_check_in(request, pk):
    title = _event_title(pk)
    if title is None:
        return None
    return {
        "subject_type": "forums.event",
        "subject_id": pk,
        "person_ids": Registration.objects.filter(
            event_id=pk, status=Registration.Status.CONFIRMED
        ).values_list("person_id", flat=True),
        "description": _("Check-in list of %(event)s") % {"event": title},
    }


def describe_declaration(request, pk):
    person_id = Declaration.objects.filter(pk=pk).values_list("person_id", flat=True).first()
    if person_id is None:
        return None
    return {
        "subject_type": "forums.declaration",
        "subject_id": pk,
        "person_ids": [person_id],
        "description": _("Declaration of interests"),
    }


def describe_application(request, pk):
    row = Application.objects.filter(pk=pk).values_list("person_id", "call__title").first()
    if row is None:
        return None
    person_ids = [row[0]] + list(
        Nomination.objects.filter(application_id=pk).values_list("person_id", flat=True)
    )
    return {
        "subject_type": "forums.application",
        "subject_id": pk,
        "person_ids": person_ids,
        "description": _("Application to %(call)s") % {"call": row[1]},
    }


def register():
    """Called from `ForumsConfig.ready()`."""
    from core.registry import AccessRule, RetentionKind, registry
    from crm.registry import PersonDataPart

    person_data.register(
        PersonDataPart(
            "forums",
            export_person,
            erase_person,
            order=30,
            covers=(
                "forums.Registration.person",
                "forums.EventInvitation.person",
                "forums.AgendaItem.speakers",
                "forums.Application.person",
                "forums.Membership.person",
                "forums.Declaration.person",
                "forums.Nomination.person",
            ),
        )
    )
    registry.add_retention_kind(
        RetentionKind(
            "special_requirements",
            gettext_lazy("Dietary and accessibility needs"),
            purge_special_requirements,
            order=30,
        )
    )
    registry.add_retention_kind(
        RetentionKind(
            "event_registrations",
            gettext_lazy("Event registrations"),
            purge_event_registrations,
            order=31,
        )
    )
    view = AccessLogEntry.Action.VIEW
    registry.add_access_rule(
        AccessRule("forums_staff:event_detail", view, describe_event_registrations)
    )
    registry.add_access_rule(
        AccessRule(
            "forums_staff:registrations_csv",
            AccessLogEntry.Action.EXPORT,
            describe_registrations_csv,
        )
    )
    registry.add_access_rule(AccessRule("forums_staff:check_in", view, describe_check_in))
    registry.add_access_rule(
        AccessRule("forums_bodies_staff:declaration_detail", view, describe_declaration)
    )
    registry.add_access_rule(
        AccessRule("forums_bodies_staff:application_detail", view, describe_application)
    )
