"""The figures of each staff report, computed once.

`report_figures(kind, filterset)` returns a `Report`: its title, its parameters and its tables
(each perhaps with a chart drawn by core.charts). The CSV (`report_csv`) and the PDF template
both render from this one object, so the two files always hold the same numbers. Every value is
an int or an already formatted string ("75.0 %"), written the same way in both.
"""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from core.charts import Series, bar_chart, line_chart, month_label, stacked_bar_chart
from core.charts import per_month as charts_per_month
from core.csv import BYTE_ORDER_MARK, SafeWriter
from crm.countries import HQRegion
from crm.models import Note, Organisation
from forums.balance import Profile, category_of, evaluate
from forums.models import Application, BalanceRule, Event, Membership, Registration
from pact.models import AIRole, NetworkMembership, Pledge, PledgeCommitment, ProgressReport

from .models import ReportKind

# Terms that end up to this long after the period are listed as "ending".
TERMS_ENDING_AFTER = datetime.timedelta(days=180)
MAX_MONTHS = 36


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    chart: object = None
    note: str = ""
    # Wide lists (participants, members) print in a smaller type.
    listing: bool = False

    def _numeric_columns(self) -> list[bool]:
        """Columns of counts and rates (after the first), which print aligned right."""
        result = []
        for index in range(len(self.columns)):
            values = [row[index] for row in self.rows if index < len(row)]
            result.append(
                index > 0
                and any(_is_number(v) and v != "—" for v in values)
                and all(_is_number(v) for v in values)
            )
        return result

    @property
    def head(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self._numeric_columns(), strict=True))

    @property
    def body(self) -> list[list[tuple[object, bool]]]:
        numeric = self._numeric_columns()
        return [list(zip(row, numeric, strict=False)) for row in self.rows]


def _is_number(value) -> bool:
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and (value.endswith(" %") or value == "—")


@dataclass
class Report:
    kind: str
    title: str
    parameters: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)

    def table(self, title: str) -> Table:
        return next(table for table in self.tables if table.title == title)


def rate(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} %" if whole else "—"


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else "—"


def _date(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        return _day(value)
    return value.isoformat()


def _country_name(code) -> str:
    code = str(code or "")
    return (countries.name(code) or code) if code else _("Not given")


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month) and len(months) < MAX_MONTHS:
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _period(filterset, default_days: int | None = None):
    start, end = filterset.period()
    if default_days is not None:
        end = end or timezone.localdate()
        start = start or end - datetime.timedelta(days=default_days)
    return start, end


def _in_period(field_name: str, start, end) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field_name}__date__gte": start})
    if end:
        q &= Q(**{f"{field_name}__date__lte": end})
    return q


# --- event participation -------------------------------------------------------------------

STATUS_COLUMNS = ("registered", "confirmed", "waitlisted", "cancelled", "attended", "no_shows")


def _status_counts(rows) -> dict:
    counts = dict.fromkeys(STATUS_COLUMNS, 0)
    for row in rows:
        counts["registered"] += 1
        status = row["status"]
        if status == Registration.Status.CONFIRMED:
            counts["confirmed"] += 1
        elif status in (Registration.Status.WAITLISTED, Registration.Status.OFFERED):
            counts["waitlisted"] += 1
        elif status == Registration.Status.CANCELLED:
            counts["cancelled"] += 1
        if row["attendance"] == Registration.Attendance.ATTENDED:
            counts["attended"] += 1
        elif row["attendance"] == Registration.Attendance.NO_SHOW:
            counts["no_shows"] += 1
    return counts


def _breakdown_columns() -> list[str]:
    return [
        _("Registered"),
        _("Confirmed"),
        _("Waiting list"),
        _("Cancelled"),
        _("Attended"),
        _("No-shows"),
        _("Attendance rate"),
    ]


def _breakdown(rows, key, label) -> list[list]:
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    result = []
    for group_key, members in groups.items():
        counts = _status_counts(members)
        result.append(
            [label(group_key)]
            + [counts[name] for name in STATUS_COLUMNS]
            + [rate(counts["attended"], counts["attended"] + counts["no_shows"])]
        )
    return result


class _Org:
    def __init__(self, type_, size):
        self.type, self.size = type_, size


def _category(type_, size) -> str:
    return category_of(_Org(type_, size) if type_ else None)


def event_participation(filterset) -> Report:
    registrations = filterset.qs
    rows = list(
        registrations.values(
            "status",
            "attendance",
            "organisation__country",
            "organisation__type",
            "organisation__size",
            "event__starts_at",
        )
    )
    counts = _status_counts(rows)
    categories = dict(BalanceRule.Stakeholder.choices)
    types = dict(Organisation.Type.choices)
    event = filterset.form.cleaned_data.get("event")
    title = (
        _("Participation in %(event)s") % {"event": event.title}
        if event
        else _("Event participation")
    )
    events = Event.objects.filter(pk__in=registrations.values("event_id")).count()
    summary = Table(
        _("Key figures"),
        [_("Figure"), _("Value")],
        [
            [_("Events"), events],
            [_("Registered"), counts["registered"]],
            [_("Confirmed"), counts["confirmed"]],
            [_("Waiting list"), counts["waitlisted"]],
            [_("Cancelled"), counts["cancelled"]],
            [_("Attended"), counts["attended"]],
            [_("No-shows"), counts["no_shows"]],
            [
                _("Attendance rate"),
                rate(counts["attended"], counts["attended"] + counts["no_shows"]),
            ],
        ],
        note=_(
            "The attendance rate is the share of those attended among the registrations whose "
            "attendance was recorded. The waiting list counts places offered as well."
        ),
    )
    by_country = sorted(
        _breakdown(rows, lambda r: r["organisation__country"] or "", _country_name),
        key=lambda row: (-row[1], row[0]),
    )
    by_type = sorted(
        _breakdown(
            rows,
            lambda r: r["organisation__type"] or "",
            lambda key: str(types.get(key, _("No organisation"))),
        ),
        key=lambda row: (-row[1], row[0]),
    )
    by_category = sorted(
        _breakdown(
            rows,
            lambda r: _category(r["organisation__type"], r["organisation__size"]),
            lambda key: str(categories.get(key, key)),
        ),
        key=lambda row: (-row[1], row[0]),
    )
    by_day = sorted(
        _breakdown(rows, lambda r: _day(r["event__starts_at"]), lambda key: key),
        key=lambda row: row[0],
    )
    columns = _breakdown_columns()
    country_table = Table(_("By country"), [_("Country"), *columns], by_country)
    country_table.chart = bar_chart(
        [(row[0], row[2]) for row in by_country[:12]],
        title=_("Confirmed registrations by country"),
        value_label=_("Confirmed"),
    )
    category_table = Table(_("By stakeholder category"), [_("Category"), *columns], by_category)
    category_table.chart = stacked_bar_chart(
        [row[0] for row in by_category],
        [
            Series(_("Confirmed"), [row[2] for row in by_category]),
            Series(_("Waiting list"), [row[3] for row in by_category]),
            Series(_("Cancelled"), [row[4] for row in by_category]),
        ],
        title=_("Registrations by stakeholder category"),
    )
    participants = (
        registrations.filter(on_participant_list=True)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(
            "person__first_name",
            "person__last_name",
            "organisation__name",
            "organisation__country",
            "event__title",
        )
    )
    participant_rows = [
        [f"{first} {last}".strip(), organisation or "—", _country_name(country)]
        + ([] if event else [title])
        for first, last, organisation, country, title in participants
    ]
    participant_columns = [_("Name"), _("Organisation"), _("Country")] + (
        [] if event else [_("Event")]
    )
    return Report(
        kind=ReportKind.EVENT_PARTICIPATION,
        title=title,
        parameters=[],
        tables=[
            summary,
            country_table,
            Table(_("By organisation type"), [_("Organisation type"), *columns], by_type),
            category_table,
            Table(_("By day"), [_("Day"), *columns], by_day),
            Table(
                _("Participant list"),
                participant_columns,
                participant_rows,
                note=_("Only the participants who agreed to appear on the participant list."),
                listing=True,
            ),
        ],
    )


# --- AI Pact overview ----------------------------------------------------------------------


def _count_by(queryset, field_name: str, labels: dict) -> list[list]:
    rows = queryset.values(field_name).annotate(n=Count("pk", distinct=True)).order_by()
    result = [
        [str(labels.get(row[field_name], row[field_name] or _("Not given"))), row["n"]]
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row[1], row[0]))


def pact_overview(filterset) -> Report:
    start, end = _period(filterset)
    today = timezone.localdate()
    pledges = Pledge.objects.all()
    network = NetworkMembership.objects.all()
    if filterset.narrows():
        organisations = filterset.qs.values("pk")
        pledges = pledges.filter(organisation__in=organisations)
        network = network.filter(organisation__in=organisations)
    published = pledges.filter(status=Pledge.Status.PUBLISHED)
    end_or_today = end or today
    withdrawn = pledges.filter(status=Pledge.Status.WITHDRAWN).filter(
        _in_period("withdrawn_at", start, end)
    )
    reports = ProgressReport.objects.filter(pledge__in=pledges)
    received = reports.filter(submitted_at__isnull=False).filter(
        _in_period("submitted_at", start, end)
    )
    accepted = reports.filter(status=ProgressReport.Status.ACCEPTED).filter(
        _in_period("accepted_at", start, end)
    )
    due_q = Q(next_report_due__lte=end_or_today)
    report_due_q = Q(due_on__lte=end_or_today)
    if start:
        due_q &= Q(next_report_due__gte=start)
        report_due_q &= Q(due_on__gte=start)
    due = (
        published.filter(due_q).count()
        + reports.filter(report_due_q).exclude(status=ProgressReport.Status.DRAFT).count()
    )
    overdue = published.filter(next_report_due__lt=today).count()
    participants = network.filter(status=NetworkMembership.Status.INTERESTED)

    summary = Table(
        _("Key figures"),
        [_("Figure"), _("Value")],
        [
            [_("AI Pact network participants"), participants.count()],
            [
                _("Joined the network in the period"),
                network.filter(_in_period("joined_at", start, end)).count(),
            ],
            [_("Pledgers (published pledges)"), published.count()],
            [
                _("Pledges published in the period"),
                pledges.filter(published_at__isnull=False)
                .filter(_in_period("published_at", start, end))
                .count(),
            ],
            [_("Withdrawals in the period"), withdrawn.count()],
            [_("Progress reports due"), due],
            [_("Progress reports received"), received.count()],
            [_("Progress reports accepted"), accepted.count()],
            [_("Progress reports overdue today"), overdue],
        ],
        note=_(
            "Due: reports whose due date falls in the period (up to its end, or today). "
            "Overdue: published pledges whose next report is past due today."
        ),
    )

    months = _months(
        start or end_or_today.replace(day=1) - datetime.timedelta(days=334), end_or_today
    )

    def per_month(queryset, field_name):
        rows = (
            queryset.filter(**{f"{field_name}__date__gte": months[0]})
            .annotate(month=TruncMonth(field_name))
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
            .order_by()
        )
        return charts_per_month(rows, months)

    joined = per_month(network, "joined_at")
    pledged = per_month(pledges, "published_at")
    left = per_month(pledges.filter(status=Pledge.Status.WITHDRAWN), "withdrawn_at")
    month_labels = [month_label(month) for month in months]
    over_time = Table(
        _("Over time"),
        [_("Month"), _("Joined the network"), _("Pledges published"), _("Withdrawals")],
        [
            [label, a, b, c]
            for label, a, b, c in zip(month_labels, joined, pledged, left, strict=True)
        ],
    )
    over_time.chart = line_chart(
        month_labels,
        [Series(_("Joined the network"), joined), Series(_("Pledges published"), pledged)],
        title=_("Network participants and pledges per month"),
    )
    region_table = Table(
        _("Pledgers by HQ region"),
        [_("HQ region"), _("Pledgers")],
        _count_by(published, "organisation__hq_region", dict(HQRegion.choices)),
    )
    region_table.chart = bar_chart(
        [(row[0], row[1]) for row in region_table.rows],
        title=_("Pledgers by HQ region"),
        value_label=_("Pledgers"),
    )
    role_table = Table(
        _("Pledgers by AI role"),
        [_("AI role"), _("Pledgers")],
        _count_by(published, "ai_role", dict(AIRole.choices)),
    )
    sector_table = Table(
        _("Pledgers by sector"),
        [_("Sector"), _("Pledgers")],
        _count_by(published, "organisation__sectors__name", {}),
        note=_("An organisation in several sectors counts in each."),
    )
    size_table = Table(
        _("Pledgers by size"),
        [_("Size"), _("Pledgers")],
        _count_by(published, "organisation__size", dict(Organisation.Size.choices)),
    )
    type_table = Table(
        _("Pledgers by organisation type"),
        [_("Organisation type"), _("Pledgers")],
        _count_by(published, "organisation__type", dict(Organisation.Type.choices)),
    )
    type_table.chart = bar_chart(
        [(row[0], row[1]) for row in type_table.rows],
        title=_("Pledgers by organisation type"),
        value_label=_("Pledgers"),
    )
    pledger_count = published.count()
    commitment_rows = (
        PledgeCommitment.objects.filter(pledge__in=published)
        .values("commitment__code")
        .annotate(n=Count("pledge", distinct=True))
        .order_by("commitment__code")
    )
    commitments = Table(
        _("Commitments chosen"),
        [_("Commitment"), _("Pledgers"), _("Share of pledgers")],
        [
            [row["commitment__code"], row["n"], rate(row["n"], pledger_count)]
            for row in commitment_rows
        ],
    )
    return Report(
        kind=ReportKind.PACT_OVERVIEW,
        title=_("The AI Pact in figures"),
        parameters=[],
        tables=[
            summary,
            over_time,
            region_table,
            role_table,
            sector_table,
            size_table,
            type_table,
            commitments,
        ],
    )


# --- expert body participation -------------------------------------------------------------


def body_participation(filterset) -> Report:
    body = filterset.form.cleaned_data["body"]
    start, end = _period(filterset, default_days=365)
    now = timezone.now()
    meetings = list(
        Event.objects.filter(body=body, status=Event.Status.PUBLISHED, ends_at__lt=now)
        .filter(_in_period("starts_at", start, end))
        .order_by("starts_at")
        .values("pk", "starts_at", "title")
    )
    memberships = list(
        Membership.objects.filter(body=body, term_start__lte=end)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gte=start))
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    attended = set(
        Registration.objects.filter(
            event_id__in=[m["pk"] for m in meetings], attendance=Registration.Attendance.ATTENDED
        ).values_list("person_id", "event_id")
    )
    categories = dict(BalanceRule.Stakeholder.choices)
    member_rows = []
    per_category = defaultdict(lambda: [0, 0, 0])
    for membership in memberships:
        last = membership.ceased_on or membership.term_end
        held = [
            m
            for m in meetings
            if timezone.localtime(m["starts_at"]).date() >= membership.term_start
            and (last is None or timezone.localtime(m["starts_at"]).date() <= last)
        ]
        present = sum(1 for m in held if (membership.person_id, m["pk"]) in attended)
        category = category_of(membership.organisation)
        label = str(categories.get(category, category))
        member_rows.append(
            [
                membership.person.full_name,
                label,
                membership.get_role_display(),
                len(held),
                present,
                rate(present, len(held)),
            ]
        )
        per_category[label][0] += 1
        per_category[label][1] += len(held)
        per_category[label][2] += present
    category_rows = sorted(
        (
            [label, n, held, present, rate(present, held)]
            for label, (n, held, present) in per_category.items()
        ),
        key=lambda row: (-row[1], row[0]),
    )
    total_held = sum(row[3] for row in member_rows)
    total_present = sum(row[4] for row in member_rows)
    ending = (
        Membership.objects.filter(
            body=body,
            status=Membership.Status.ACTIVE,
            term_end__gte=start,
            term_end__lte=end + TERMS_ENDING_AFTER,
        )
        .select_related("person")
        .order_by("term_end", "person__last_name", "pk")
    )
    active = list(
        Membership.objects.filter(body=body, status=Membership.Status.ACTIVE).select_related(
            "person", "organisation"
        )
    )
    profiles = [
        Profile(
            key=m.pk,
            gender=m.person.gender or "",
            country=str(m.person.nationality or "")
            or (str(m.organisation.country or "") if m.organisation else ""),
            category=category_of(m.organisation),
        )
        for m in active
    ]
    rules = list(BalanceRule.objects.filter(body=body).order_by("pk"))
    balance_rows = [
        [
            result.rule.description or result.rule.get_dimension_display(),
            result.constraint.group,
            result.count,
            result.base,
            rate(result.count, result.base),
            _("Met") if result.ok else _("Not met"),
        ]
        for result in evaluate(profiles, rules)
    ]
    summary = Table(
        _("Key figures"),
        [_("Figure"), _("Value")],
        [
            [_("Meetings held"), len(meetings)],
            [_("Members in the period"), len(memberships)],
            [_("Attendances"), total_present],
            [_("Attendance rate"), rate(total_present, total_held)],
            [_("Current members"), len(active)],
            [_("Terms ending"), ending.count()],
            [_("Balance rules not met"), sum(1 for row in balance_rows if row[5] == _("Not met"))],
        ],
        note=_(
            "A member's rate counts the meetings held while they were a member. Terms ending: "
            "from the start of the period to six months after its end."
        ),
    )
    category_table = Table(
        _("Attendance per category"),
        [_("Category"), _("Members"), _("Meetings held"), _("Attended"), _("Attendance rate")],
        category_rows,
    )
    category_table.chart = bar_chart(
        [(row[0], row[3]) for row in category_rows],
        title=_("Attendances per stakeholder category"),
        value_label=_("Attended"),
    )
    return Report(
        kind=ReportKind.BODY_PARTICIPATION,
        title=_("Participation in %(body)s") % {"body": body.name},
        parameters=[(_("Period"), f"{start.isoformat()} – {end.isoformat()}")],
        tables=[
            summary,
            Table(
                _("Meetings held"),
                [_("Date"), _("Meeting"), _("Attended")],
                [
                    [
                        _day(m["starts_at"]),
                        m["title"],
                        sum(1 for pair in attended if pair[1] == m["pk"]),
                    ]
                    for m in meetings
                ],
            ),
            Table(
                _("Attendance per member"),
                [
                    _("Member"),
                    _("Category"),
                    _("Role"),
                    _("Meetings held"),
                    _("Attended"),
                    _("Attendance rate"),
                ],
                member_rows,
                listing=True,
            ),
            category_table,
            Table(
                _("Terms ending"),
                [_("Member"), _("Term ends")],
                [[m.person.full_name, _date(m.term_end)] for m in ending],
            ),
            Table(
                _("Balance of the current membership"),
                [
                    _("Rule"),
                    _("Group"),
                    _("Members in the group"),
                    _("Of"),
                    _("Share"),
                    _("Result"),
                ],
                balance_rows,
            ),
        ],
    )


# --- organisation engagement ---------------------------------------------------------------


def organisation_engagement(filterset) -> Report:
    organisation = Organisation.objects.get(pk=filterset.form.cleaned_data["organisation"])
    start, end = _period(filterset)
    pledges = list(
        Pledge.objects.filter(organisation=organisation)
        .annotate(n=Count("commitments"))
        .order_by("-created_at")
    )
    reports = list(
        ProgressReport.objects.filter(pledge__organisation=organisation).order_by("due_on", "pk")
    )
    network = list(
        NetworkMembership.objects.filter(organisation=organisation).order_by("joined_at")
    )
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("body", "person")
        .order_by("-term_start", "pk")
    )
    applications = list(
        Application.objects.filter(organisation=organisation)
        .exclude(status=Application.Status.DRAFT)
        .select_related("call", "person")
        .order_by("-submitted_at", "pk")
    )
    attended = list(
        Registration.objects.filter(
            organisation=organisation, attendance=Registration.Attendance.ATTENDED
        )
        .filter(_in_period("event__starts_at", start, end))
        .select_related("event", "person")
        .order_by("event__starts_at", "pk")
    )
    notes = Note.objects.filter(organisation=organisation).count()
    summary = Table(
        _("Key figures"),
        [_("Figure"), _("Value")],
        [
            [_("Pledges"), len(pledges)],
            [_("Progress reports received"), sum(1 for r in reports if r.submitted_at)],
            [
                _("Progress reports accepted"),
                sum(1 for r in reports if r.status == ProgressReport.Status.ACCEPTED),
            ],
            [
                _("AI Pact network"),
                network[-1].get_status_display() if network else _("Not a participant"),
            ],
            [_("Expert body memberships"), len(memberships)],
            [_("Applications to calls"), len(applications)],
            [_("Events attended"), len(attended)],
            [_("Notes"), notes],
        ],
    )
    return Report(
        kind=ReportKind.ORGANISATION_ENGAGEMENT,
        title=_("Engagement of %(organisation)s") % {"organisation": organisation.name},
        parameters=[],
        tables=[
            summary,
            Table(
                _("Pledges"),
                [
                    _("Pledge"),
                    _("Status"),
                    _("AI role"),
                    _("Submitted"),
                    _("Published"),
                    _("Commitments"),
                ],
                [
                    [
                        p.pk,
                        p.get_status_display(),
                        p.get_ai_role_display(),
                        _date(p.submitted_at),
                        _date(p.published_at),
                        p.n,
                    ]
                    for p in pledges
                ],
            ),
            Table(
                _("Progress reports"),
                [_("Due"), _("Status"), _("Submitted"), _("Accepted")],
                [
                    [
                        _date(r.due_on),
                        r.get_status_display(),
                        _date(r.submitted_at),
                        _date(r.accepted_at),
                    ]
                    for r in reports
                ],
            ),
            Table(
                _("AI Pact network"),
                [_("Status"), _("Joined"), _("Left")],
                [[n.get_status_display(), _date(n.joined_at), _date(n.left_at)] for n in network],
            ),
            Table(
                _("Expert body memberships"),
                [_("Body"), _("Member"), _("Type"), _("Role"), _("Term"), _("Status")],
                [
                    [
                        m.body.name,
                        m.person.full_name,
                        m.get_member_type_display(),
                        m.get_role_display(),
                        f"{_date(m.term_start)} – {_date(m.term_end)}",
                        m.get_status_display(),
                    ]
                    for m in memberships
                ],
            ),
            Table(
                _("Applications"),
                [_("Call"), _("Applicant"), _("Status"), _("Submitted")],
                [
                    [
                        a.call.title,
                        a.person.full_name,
                        a.get_status_display(),
                        _date(a.submitted_at),
                    ]
                    for a in applications
                ],
            ),
            Table(
                _("Events attended"),
                [_("Day"), _("Event"), _("Participant")],
                [[_day(r.event.starts_at), r.event.title, r.person.full_name] for r in attended],
                listing=True,
            ),
        ],
    )


COMPUTE = {
    ReportKind.EVENT_PARTICIPATION: event_participation,
    ReportKind.PACT_OVERVIEW: pact_overview,
    ReportKind.BODY_PARTICIPATION: body_participation,
    ReportKind.ORGANISATION_ENGAGEMENT: organisation_engagement,
}


def report_figures(kind: str, filterset) -> Report:
    """The figures of a report of `kind` for a valid, bound filter set."""
    from .filters import parameter_labels

    report = COMPUTE[kind](filterset)
    report.parameters = parameter_labels(filterset) + report.parameters
    return report


def report_csv(report: Report) -> bytes:
    """The report as CSV (UTF-8 with a byte-order mark): each table under its title."""
    stream = io.StringIO()
    stream.write(BYTE_ORDER_MARK)
    writer = SafeWriter(stream)
    writer.writerow([report.title])
    for label, value in report.parameters:
        writer.writerow([label, value])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    return stream.getvalue().encode("utf-8")
