"""Reads of the CRM, scoped to the user who asks."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Lower

from core.access import is_staff_user
from core.models import AccessLogEntry

from .models import Affiliation, Consent, ErasureRequest, Organisation, Person
from .text import fold


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


def acts_for_an_organisation(user) -> bool:
    return Affiliation.objects.acting().filter(person__user=user).exists()


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


def _person_search(queryset, query: str):
    """Each word, without case or accents, must appear in the name or email (the folded
    `search_text`, trigram-indexed on PostgreSQL)."""
    for word in fold(query).split()[:6]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _organisation_search(queryset, query: str):
    """Each word, without case or accents, must appear in the name or acronym (the folded
    `search_name`, trigram-indexed on PostgreSQL); a word that looks like a Transparency
    Register ID matches the start of one."""
    for word in fold(query).split()[:6]:
        condition = Q(search_name__contains=word)
        if word[:1].isdigit():
            condition |= Q(transparency_register_id__startswith=word)
        queryset = queryset.filter(condition)
    return queryset


# The columns a list may be sorted by, without regard to case; "-name" sorts descending.
ORGANISATION_SORTS = {
    "name": [Lower("name")],
    "country": ["country", Lower("name")],
    "type": ["type", Lower("name")],
    "size": ["size", Lower("name")],
    "ai_role": ["ai_role", Lower("name")],
    "register_id": ["transparency_register_id"],
    "people": ["people_count", Lower("name")],
    "status": ["status", Lower("name")],
}
PERSON_SORTS = {
    "name": [Lower("last_name"), Lower("first_name")],
    "email": [Lower("email")],
    "language": ["preferred_language", Lower("last_name")],
}


def _ordering(sort: str, sorts: dict, default: str) -> list:
    """The columns to sort by; descending is the exact reverse of ascending (ties too), so that
    one index serves both directions."""
    descending = sort.startswith("-")
    columns = [*(sorts.get(sort.lstrip("-")) or sorts[default]), "pk"]
    if descending:
        columns = [c.desc() if hasattr(c, "desc") else f"-{c}" for c in columns]
    return columns


def organisation_list(*, user, query: str = "", sort: str = "name") -> QuerySet[Organisation]:
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
    return queryset.order_by(*_ordering(sort, ORGANISATION_SORTS, "name"))


def organisation_get(*, user, pk) -> Organisation | None:
    return organisation_list(user=user).filter(pk=pk).prefetch_related("sectors", "tags").first()


def person_list(*, user, query: str = "", sort: str = "name") -> QuerySet[Person]:
    if not (is_staff_user(user) and user.has_perm("crm.view_person")):
        return Person.objects.none()
    queryset = Person.objects.all()
    if query:
        queryset = _person_search(queryset, query)
    return queryset.order_by(*_ordering(sort, PERSON_SORTS, "name"))


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


def affiliation_requests_oldest(*, user, limit: int = 10) -> list[Affiliation]:
    """The requests that have waited longest. The ids first: sorting the requested rows alone
    takes milliseconds, where the planner joined every person before sorting (60 ms with
    2,000 requests waiting)."""
    requests = affiliation_requests(user=user)
    ids = list(requests.values_list("pk", flat=True)[:limit])
    by_id = {affiliation.pk: affiliation for affiliation in requests.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def organisation_search_public(*, query: str, limit: int = 20) -> list[Organisation]:
    """Confirmed organisations matching a name, for a person asking to represent one."""
    query = query.strip()
    if len(query) < 2:
        return []
    queryset = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
    return list(_organisation_search(queryset, query).order_by(Lower("name"), "pk")[:limit])


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
    pending_first = Case(When(status=ErasureRequest.Status.PENDING, then=0), default=1)
    return queryset.order_by(pending_first, "due_on", "pk")


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


def representative_requests_waiting() -> tuple[int, object]:
    """How many requests to represent an organisation wait, and since when the oldest."""
    waiting = Affiliation.objects.filter(status=Affiliation.Status.REQUESTED).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    return waiting["n"], waiting["oldest"]


def work_waiting(*, user) -> list[dict]:
    """For each queue of work the user may do, how many items wait and since when."""

    from .registry import work_queues

    lines = []
    for queue in work_queues.for_user(user):
        count, oldest = queue.waiting()
        lines.append({"queue": queue, "count": count, "oldest": oldest, "url": queue.url()})
    return lines


def erasure_requests_waiting() -> tuple[int, object]:
    """How many erasure requests wait for a decision, and since when the oldest."""
    waiting = ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).aggregate(
        n=Count("pk"), oldest=Min("requested_at")
    )
    return waiting["n"], waiting["oldest"]


# --- duplicates, merges and register refreshes ---------------------------------------------


def record_history(record):
    """The record's history, with that of the records merged into it (and not undone)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    from .models import MergeRecord

    kind = record._meta.model_name
    merged = MergeRecord.objects.filter(
        kind=kind, survivor_id=record.pk, undone_at__isnull=True
    ).values_list("loser_id", flat=True)
    ids = [str(record.pk), *(str(pk) for pk in merged)]
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(record), subject_id__in=ids
    ).select_related("actor")


def merge_kinds_for(user) -> list[str]:
    """The kinds of records the user may merge (those they may change)."""
    if not is_staff_user(user):
        return []
    return [kind for kind in ("organisation", "person") if user.has_perm(f"crm.change_{kind}")]


def latest_duplicate_scan(*, user, kind: str):
    from core.models import Job

    from .dedupe import SCAN_JOB

    if kind not in merge_kinds_for(user):
        return None
    return Job.objects.filter(kind=SCAN_JOB, params__kind=kind).order_by("-created_at").first()


def duplicate_pairs(*, user, kind: str, pairs: list) -> list[dict]:
    """The scan's pairs (one page of them) with both records, leaving out pairs of which a
    record has since gone (merged or deleted)."""
    from .dedupe import REASONS

    if kind not in merge_kinds_for(user):
        return []
    model = Organisation if kind == "organisation" else Person
    ids = {pk for a, b, _reasons in pairs for pk in (a, b)}
    records = model.objects.in_bulk(ids)
    return [
        {"a": records[a], "b": records[b], "reasons": [REASONS[r] for r in reasons]}
        for a, b, reasons in pairs
        if a in records and b in records
    ]


def merge_list(*, user) -> QuerySet:
    from .models import MergeRecord

    return MergeRecord.objects.filter(kind__in=merge_kinds_for(user)).select_related(
        "merged_by", "undone_by"
    )


def merge_get(*, user, pk):
    return merge_list(user=user).filter(pk=pk).first()


def register_refresh_list(*, user) -> QuerySet:
    from .models import RegisterRefresh

    if not (is_staff_user(user) and user.has_perm("crm.change_organisation")):
        return RegisterRefresh.objects.none()
    return RegisterRefresh.objects.select_related("applied_by")
