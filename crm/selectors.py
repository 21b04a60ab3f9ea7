"""Reads of the CRM, scoped to the user who asks."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.access import is_staff_user
from core.models import AccessLogEntry

from .models import Affiliation, Consent, ErasureRequest, Organisation, Person


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def organisations_acting_for(*, user) -> QuerySet[Organisation]:
    """Organisations the user may act for today (a confirmed, current representative role)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Affiliation.objects.acting().filter(person__user=user).values("organisation_id")
    )


def user_can_act_for(*, user, organisation: Organisation) -> bool:
    return organisations_acting_for(user=user).filter(pk=organisation.pk).exists()


def affiliations_for_user(*, user) -> QuerySet[Affiliation]:
    if not user.is_authenticated:
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(person__user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _search(queryset, query: str, fields: list[str]):
    """Case-insensitive search over a few fields; each word must match one of them.

    On PostgreSQL the `Lower()` expression indexes (and trigram indexes added by a migration)
    serve these lookups.
    """
    for word in query.split()[:6]:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def _organisation_search(queryset, query: str):
    """Each word must match the name or acronym (trigram-indexed on PostgreSQL); a word that
    looks like a Transparency Register ID matches the start of one."""
    for word in query.split()[:6]:
        condition = Q(name__icontains=word) | Q(acronym__icontains=word)
        if word[:1].isdigit():
            condition |= Q(transparency_register_id__startswith=word)
        queryset = queryset.filter(condition)
    return queryset


def organisation_list(*, user, query: str = "") -> QuerySet[Organisation]:
    if not (is_staff_user(user) and user.has_perm("crm.view_organisation")):
        return Organisation.objects.none()
    # A subquery rather than a join with GROUP BY, so the paginator's count stays a plain
    # count over organisations.
    people = (
        Affiliation.objects.filter(organisation=OuterRef("pk"))
        .exclude(status=Affiliation.Status.REFUSED)
        .order_by()
        .values("organisation")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    queryset = Organisation.objects.annotate(
        people_count=Coalesce(Subquery(people, output_field=IntegerField()), 0)
    )
    if query:
        queryset = _organisation_search(queryset, query)
    return queryset.order_by("name", "pk")


def organisation_get(*, user, pk) -> Organisation | None:
    return organisation_list(user=user).filter(pk=pk).prefetch_related("sectors", "tags").first()


def person_list(*, user, query: str = "") -> QuerySet[Person]:
    if not (is_staff_user(user) and user.has_perm("crm.view_person")):
        return Person.objects.none()
    queryset = Person.objects.all()
    if query:
        queryset = _search(queryset, query, ["first_name", "last_name", "email"])
    return queryset.order_by("last_name", "first_name", "pk")


def person_get(*, user, pk) -> Person | None:
    return person_list(user=user).filter(pk=pk).prefetch_related("tags").first()


def affiliation_requests(*, user) -> QuerySet[Affiliation]:
    if not (is_staff_user(user) and user.has_perm("crm.confirm_affiliation")):
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(status=Affiliation.Status.REQUESTED)
        .select_related("person", "organisation")
        .order_by("created_at")
    )


def organisation_search_public(*, query: str, limit: int = 20) -> list[Organisation]:
    """Confirmed organisations matching a name, for a person asking to represent one."""
    query = query.strip()
    if len(query) < 2:
        return []
    queryset = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
    return list(_search(queryset, query, ["name", "acronym", "transparency_register_id"])[:limit])


def consents_for_user(*, user) -> QuerySet[Consent]:
    if not user.is_authenticated:
        return Consent.objects.none()
    return Consent.objects.filter(person__user=user).order_by("-given_at", "-pk")


def erasure_requests_for_user(*, user) -> QuerySet[ErasureRequest]:
    if not user.is_authenticated:
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(person__user=user).order_by("-requested_at")


def erasure_request_list(*, user, status: str = "") -> QuerySet[ErasureRequest]:
    """Erasure requests for the data-protection coordinator, the most urgent first."""
    if not (is_staff_user(user) and user.has_perm("crm.handle_erasure_request")):
        return ErasureRequest.objects.none()
    queryset = ErasureRequest.objects.select_related("person", "decided_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "due_on", "pk")


def erasure_request_get(*, user, pk) -> ErasureRequest | None:
    return erasure_request_list(user=user).filter(pk=pk).first()


def access_log_list(*, user, person_id: int | None = None) -> QuerySet[AccessLogEntry]:
    """Who saw or exported personal data, newest first; for one person when given."""
    if not (is_staff_user(user) and user.has_perm("core.view_accesslogentry")):
        return AccessLogEntry.objects.none()
    queryset = AccessLogEntry.objects.select_related("actor")
    if person_id is not None:
        queryset = queryset.filter(people__person_id=person_id)
    return queryset.order_by("-at", "-pk")
