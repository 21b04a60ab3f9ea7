"""Reads of the AI Pact, scoped to the user who asks."""

import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.access import is_staff_user
from crm.models import Organisation
from crm.selectors import organisations_acting_for

from .models import (
    Commitment,
    NetworkMembership,
    Pledge,
    PledgeCommitment,
    ProgressReport,
    ProgressReportItem,
)


def _is_pact_staff(user) -> bool:
    return is_staff_user(user) and user.has_perm("pact.view_pledge")


def _with_details(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return queryset.select_related("organisation").prefetch_related(
        Prefetch(
            "commitments",
            queryset=PledgeCommitment.objects.select_related("commitment"),
        )
    )


# --- the representative's pledges ----------------------------------------------------------


def pledges_for_user(*, user) -> QuerySet[Pledge]:
    """Pledges of the organisations the user may act for today."""
    return (
        Pledge.objects.filter(organisation__in=organisations_acting_for(user=user))
        .select_related("organisation")
        .order_by("organisation__name", "-created_at")
    )


def pledge_for_representative(*, user, pk) -> Pledge | None:
    return _with_details(pledges_for_user(user=user)).filter(pk=pk).first()


def pledge_visible(*, user, pk) -> Pledge | None:
    """A pledge its organisation's representatives may see, or pact staff once it has been
    submitted (a draft belongs to its organisation: staff see that it exists, not what it says),
    or None."""
    pledge = pledge_for_representative(user=user, pk=pk)
    if pledge is None and _is_pact_staff(user):
        pledge = (
            _with_details(Pledge.objects.exclude(status=Pledge.Status.DRAFT)).filter(pk=pk).first()
        )
    return pledge


def organisations_without_pledge(*, user) -> QuerySet[Organisation]:
    """Organisations the user acts for that may start a pledge."""
    return (
        organisations_acting_for(user=user)
        .exclude(pledges__status__in=["draft", "submitted", "returned", "published"])
        .order_by("name")
    )


def report_for_representative(*, user, pk) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(
            pk=pk, pledge__organisation__in=organisations_acting_for(user=user)
        )
        .select_related("pledge__organisation")
        .first()
    )


def report_visible(*, user, pk) -> ProgressReport | None:
    """Like `pledge_visible`: staff see a progress report once it has been submitted."""
    report = report_for_representative(user=user, pk=pk)
    if report is None and _is_pact_staff(user):
        report = (
            ProgressReport.objects.exclude(status=ProgressReport.Status.DRAFT)
            .filter(pk=pk)
            .select_related("pledge__organisation")
            .first()
        )
    return report


def report_items(report: ProgressReport) -> QuerySet[ProgressReportItem]:
    return report.items.select_related("pledge_commitment__commitment")


def network_memberships_for_user(*, user) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(
        organisation__in=organisations_acting_for(user=user), status="interested"
    ).select_related("organisation")


# --- staff ---------------------------------------------------------------------------------


def report_overdue_condition(today: datetime.date | None = None) -> Q:
    """Published pledges whose progress report was due before `today` and has not been handed
    in (submitted or accepted) for that due date: those the overdue reminder goes to."""
    handed_in = ProgressReport.objects.filter(
        pledge=OuterRef("pk"),
        due_on=OuterRef("next_report_due"),
        status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED],
    )
    return Q(
        ~Exists(handed_in),
        status=Pledge.Status.PUBLISHED,
        next_report_due__lt=today or timezone.localdate(),
    )


def staff_pledge_list(
    *, user, status: str = "", query: str = "", report_overdue: bool = False
) -> QuerySet[Pledge]:
    if not _is_pact_staff(user):
        return Pledge.objects.none()
    queryset = Pledge.objects.select_related("organisation").annotate(
        commitment_count=Count("commitments")
    )
    if status:
        queryset = queryset.filter(status=status)
    if report_overdue:
        queryset = queryset.filter(report_overdue_condition())
    for word in query.split()[:6]:
        queryset = queryset.filter(
            Q(organisation__name__icontains=word) | Q(organisation__acronym__icontains=word)
        )
    return queryset.order_by("submitted_at", "created_at", "pk")


def staff_pledge_counts(*, user) -> dict[str, int]:
    if not _is_pact_staff(user):
        return {}
    return dict(Pledge.objects.values_list("status").annotate(n=Count("pk")).order_by())


def staff_report_list(*, user, status: str = "") -> QuerySet[ProgressReport]:
    if not _is_pact_staff(user):
        return ProgressReport.objects.none()
    queryset = ProgressReport.objects.select_related("pledge__organisation")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "due_on", "pk")


def staff_network_list(*, user, status: str = "") -> QuerySet[NetworkMembership]:
    if not (is_staff_user(user) and user.has_perm("pact.view_networkmembership")):
        return NetworkMembership.objects.none()
    queryset = NetworkMembership.objects.select_related("organisation", "joined_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-joined_at", "pk")


def catalogue_list(*, user) -> QuerySet[Commitment]:
    if not (is_staff_user(user) and user.has_perm("pact.view_commitment")):
        return Commitment.objects.none()
    return Commitment.objects.order_by("order", "code", "-version")


def current_catalogue() -> list[Commitment]:
    return list(Commitment.objects.filter(is_current=True).order_by("order", "code"))


# --- the public register -------------------------------------------------------------------


def public_pledges() -> QuerySet[Pledge]:
    """Published pledges whose organisations chose to appear in the register; nothing else."""
    return (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, publish_in_register=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def public_withdrawn() -> QuerySet[Pledge]:
    """Pledges that were in the register and have been withdrawn since: the register says so."""
    return (
        Pledge.objects.filter(
            status=Pledge.Status.WITHDRAWN, publish_in_register=True, published_at__isnull=False
        )
        .select_related("organisation")
        .order_by("-withdrawn_at", "pk")
    )


def public_pledge_get(*, pk) -> Pledge | None:
    """A published pledge, or a withdrawn one that was public before (shown as withdrawn)."""
    was_public = Q(
        status=Pledge.Status.WITHDRAWN, publish_in_register=True, published_at__isnull=False
    )
    return (
        _with_details(Pledge.objects.filter(Q(status=Pledge.Status.PUBLISHED) | was_public))
        .filter(pk=pk, publish_in_register=True)
        .prefetch_related("organisation__sectors")
        .first()
    )


def public_reports(pledge: Pledge) -> QuerySet[ProgressReport]:
    return pledge.reports.filter(status=ProgressReport.Status.ACCEPTED).prefetch_related(
        Prefetch(
            "items",
            queryset=ProgressReportItem.objects.select_related("pledge_commitment__commitment"),
        )
    )


def register_counts(queryset: QuerySet[Pledge]) -> dict[str, list[tuple[str, int]]]:
    """How many pledges of `queryset` fall in each value of each filter dimension."""

    def by(field):
        return list(
            queryset.values_list(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
        )

    return {
        "hq_region": by("organisation__hq_region"),
        "country": by("organisation__country"),
        "ai_role": by("ai_role"),
        "type": by("organisation__type"),
        "size": by("organisation__size"),
        "sector": by("organisation__sectors__name"),
        "commitment": by("commitments__commitment__code"),
    }


def open_data_rows(queryset: QuerySet[Pledge]):
    """The register as open data: one row per published pledge."""
    return queryset.prefetch_related(
        "organisation__sectors",
        # Only the codes and versions: the texts and planned actions are not open data, and
        # loading them for every row of the register made the download take seconds.
        Prefetch(
            "commitments",
            queryset=PledgeCommitment.objects.select_related("commitment").only(
                "pledge_id", "commitment_id", "commitment__code", "commitment__version"
            ),
        ),
    )


# --- CRM panels ----------------------------------------------------------------------------


def organisation_pledges(*, user, organisation: Organisation) -> QuerySet[Pledge]:
    if not _is_pact_staff(user):
        return Pledge.objects.none()
    return organisation.pledges.order_by("-created_at")


def organisation_network(*, user, organisation: Organisation) -> QuerySet[NetworkMembership]:
    if not (is_staff_user(user) and user.has_perm("pact.view_networkmembership")):
        return NetworkMembership.objects.none()
    return organisation.pact_network.order_by("-joined_at")


# --- the back office's home (crm.registry dashboard panel) ---------------------------------


# The per-month charts of the back office's home show trends, not counts to act on: they are
# cached for a few minutes, while every figure that links to a list is counted live.
CHART_CACHE_SECONDS = 300


def _per_month(queryset, field: str, since: datetime.datetime) -> list[tuple]:
    return list(
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )


def dashboard_pact(*, user, months: list[datetime.date]) -> dict | None:
    """The AI Pact's figures for the back office's home: published pledges and overdue
    reports, network members (two queries), and per month of `months` pledges received,
    pledges published and organisations joining the network (three more, every few
    minutes)."""
    if not _is_pact_staff(user):
        return None
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    totals = Pledge.objects.aggregate(
        published=Count("pk", filter=Q(status=Pledge.Status.PUBLISHED)),
        overdue=Count("pk", filter=report_overdue_condition()),
    )
    can_see_network = user.has_perm("pact.view_networkmembership")

    def charts():
        return {
            "received_per_month": _per_month(
                Pledge.objects.exclude(submitted_at=None), "submitted_at", since
            ),
            "published_per_month": _per_month(
                Pledge.objects.exclude(published_at=None), "published_at", since
            ),
            "joined_per_month": _per_month(NetworkMembership.objects.all(), "joined_at", since)
            if can_see_network
            else [],
        }

    network = NetworkMembership.objects.filter(status=NetworkMembership.Status.INTERESTED)
    return {
        "published": totals["published"],
        "overdue": totals["overdue"],
        "network": network.count() if can_see_network else None,
        **cache.get_or_set(
            f"pact:dashboard:{months[0]:%Y-%m}:{months[-1]:%Y-%m}:{int(can_see_network)}",
            charts,
            CHART_CACHE_SECONDS,
        ),
    }


# --- work waiting for staff (crm.registry.work_queues) -------------------------------------


def pledges_waiting_review() -> tuple[int, object]:
    waiting = Pledge.objects.filter(status=Pledge.Status.SUBMITTED).aggregate(
        n=Count("pk"), oldest=Min("submitted_at")
    )
    return waiting["n"], waiting["oldest"]


def reports_waiting_review() -> tuple[int, object]:
    waiting = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).aggregate(
        n=Count("pk"), oldest=Min("submitted_at")
    )
    return waiting["n"], waiting["oldest"]
