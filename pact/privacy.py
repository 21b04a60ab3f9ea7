"""The AI Pact's share of the data-subject rights, the retention purge and the access log.

Registered from `PactConfig.ready()`. Pledges and network memberships belong to organisations:
erasure keeps them (and every count of them) and removes only what names the person.
"""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AccessLogEntry
from crm.models import Person
from crm.privacy import ERASED_EMAIL_SUFFIX, ERASED_NAME, erased_email

from .models import NetworkMembership, Pledge, ProgressReport


def _pledges_signed_by(person: Person):
    condition = Q(
        signatory_name__iexact=person.full_name,
        organisation__affiliations__person=person,
    )
    if person.user_id is not None:
        condition |= Q(created_by_id=person.user_id) | Q(submitted_by_id=person.user_id)
    return Pledge.objects.filter(condition).distinct()


def _memberships_of(person: Person):
    condition = Q(contact_email__iexact=person.email)
    if person.user_id is not None:
        condition |= Q(joined_by_id=person.user_id)
    return NetworkMembership.objects.filter(condition)


def export_person(*, person: Person) -> dict:
    reports = (
        ProgressReport.objects.filter(created_by_id=person.user_id).select_related(
            "pledge__organisation"
        )
        if person.user_id is not None
        else ProgressReport.objects.none()
    )
    return {
        "pledges": [
            {
                "organisation": pledge.organisation.name,
                "status": pledge.status,
                "signatory_name": pledge.signatory_name,
                "signatory_function": pledge.signatory_function,
                "started_by_me": pledge.created_by_id == person.user_id,
                "submitted_by_me": pledge.submitted_by_id == person.user_id,
                "created_at": pledge.created_at,
                "submitted_at": pledge.submitted_at,
                "published_at": pledge.published_at,
            }
            for pledge in _pledges_signed_by(person).select_related("organisation")
        ],
        "progress_reports_started": [
            {
                "organisation": report.pledge.organisation.name,
                "due_on": report.due_on,
                "status": report.status,
                "created_at": report.created_at,
            }
            for report in reports
        ],
        "network_memberships": [
            {
                "organisation": membership.organisation.name,
                "status": membership.status,
                "contact_email": membership.contact_email,
                "interests": membership.interests,
                "joined_at": membership.joined_at,
                "left_at": membership.left_at,
            }
            for membership in _memberships_of(person).select_related("organisation")
        ],
    }


def erase_person(*, person: Person, actor) -> dict[str, int]:
    """Pledges keep the organisation's published content but lose the signatory's name;
    network memberships keep counting but lose the person's email as contact."""
    pledges = Pledge.objects.filter(pk__in=_pledges_signed_by(person).values("pk")).exclude(
        signatory_name__in=["", ERASED_NAME]
    )
    return {
        "pledges": pledges.update(signatory_name=ERASED_NAME),
        "network_memberships": NetworkMembership.objects.filter(
            contact_email__iexact=person.email
        ).update(contact_email=erased_email(person)),
    }


def purge_network_contacts(*, before, now) -> int:
    """The contact email of organisations that left the network."""
    return (
        NetworkMembership.objects.filter(status=NetworkMembership.Status.LEFT, left_at__lt=before)
        .exclude(contact_email__endswith=ERASED_EMAIL_SUFFIX)
        .update(
            contact_email=Concat(
                Value("network-"), Cast("pk", CharField()), Value(ERASED_EMAIL_SUFFIX)
            )
        )
    )


def _persons_of_users(*user_ids) -> list[int]:
    ids = [pk for pk in user_ids if pk]
    if not ids:
        return []
    return list(Person.objects.filter(user_id__in=ids).values_list("pk", flat=True))


def describe_pledge_view(request, pk):
    pledge = (
        Pledge.objects.filter(pk=pk)
        .values("organisation__name", "created_by_id", "submitted_by_id")
        .first()
    )
    if pledge is None:
        return None
    return {
        "subject_type": "pact.pledge",
        "subject_id": pk,
        "person_ids": _persons_of_users(pledge["created_by_id"], pledge["submitted_by_id"]),
        "description": _("Pledge of %(organisation)s")
        % {"organisation": pledge["organisation__name"]},
    }


def describe_report_view(request, pk):
    report = (
        ProgressReport.objects.filter(pk=pk)
        .values("pledge__organisation__name", "created_by_id")
        .first()
    )
    if report is None:
        return None
    return {
        "subject_type": "pact.progressreport",
        "subject_id": pk,
        "person_ids": _persons_of_users(report["created_by_id"]),
        "description": _("Progress report of %(organisation)s")
        % {"organisation": report["pledge__organisation__name"]},
    }


def describe_network_view(request):
    return {
        "subject_type": "pact.networkmembership",
        "description": _("AI Pact network contacts, page %(page)s")
        % {"page": request.GET.get("page", "1")[:10]},
    }


def register():
    """Called from `PactConfig.ready()`."""
    from core.registry import AccessRule, RetentionKind, registry
    from crm.registry import PersonDataPart, person_data

    person_data.register(
        PersonDataPart(
            "pact",
            export_person,
            erase_person,
            order=20,
            covers=(
                "pact.Pledge.created_by",
                "pact.Pledge.submitted_by",
                "pact.ProgressReport.created_by",
                "pact.NetworkMembership.joined_by",
            ),
        )
    )
    registry.add_retention_kind(
        RetentionKind(
            "network_contacts",
            gettext_lazy("Contact emails of organisations that left the AI Pact network"),
            purge_network_contacts,
            order=20,
        )
    )
    view = AccessLogEntry.Action.VIEW
    registry.add_access_rule(AccessRule("pact_staff:pledge_detail", view, describe_pledge_view))
    registry.add_access_rule(AccessRule("pact_staff:report_detail", view, describe_report_view))
    registry.add_access_rule(AccessRule("pact_staff:network", view, describe_network_view))
