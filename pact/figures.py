"""The AI Pact's public figures: one aggregate of the published register, kept in the cache.

The register (`/pact/`: its list, filters and per-dimension counts), the open-data files and
"The AI Pact in figures" all read the same aggregate instead of running SQL aggregates on every
request. It holds one small row per pledge in the register (published, or withdrawn after
publication) plus the few totals the figures page shows; filtering 5,000 rows in Python takes
a few milliseconds, where the joined SQL aggregates took hundreds.

Freshness: every change that alters published data (a pledge published or withdrawn, a progress
report accepted, the catalogue, the network, an organisation in the register edited) calls
`figures_changed()`, which bumps a generation number in the cache when its transaction
commits. Readers look for the aggregate under a key that names that generation, so the next
request after a publication rebuilds it, and a rebuild that raced with a change can only write
under the old generation's key. The key also names `SCHEMA`, so a deployment that changes the
shape of the aggregate never reads the old one.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from core.charts import Series, bar_chart, line_chart, month_label
from core.csv import BYTE_ORDER_MARK, SafeWriter
from crm.countries import HQRegion
from crm.filters import NotStatedChoiceFilter
from crm.models import Organisation, Sector

from .models import AIRole, Commitment, NetworkMembership, Pledge, PledgeCommitment, ProgressReport
from .selectors import current_catalogue

NOT_STATED = NotStatedChoiceFilter.NOT_STATED
SCHEMA = 2  # 2: organisations without a country have no region (crm 0012)
GENERATION_KEY = f"pact:figures:{SCHEMA}:generation"
# A safety net only: every change that alters published data refreshes the figures at once.
TIMEOUT = 60 * 60
DIMENSIONS = ("hq_region", "country", "ai_role", "type", "size", "sector", "commitment")


@dataclass(frozen=True)
class Figures:
    """The aggregate. `pledges` are the register's rows in register order (organisation name);
    `withdrawn` the pledges withdrawn after publication, latest first."""

    built_at: datetime.datetime
    generation: int
    pledges: tuple[dict, ...]
    withdrawn: tuple[dict, ...]
    sector_names: dict[str, str]
    catalogue: tuple[dict, ...]
    network_joined: tuple[str, ...]  # the month each current network member joined, YYYY-MM
    reports_accepted: tuple[str, ...]  # the month each accepted report was accepted, YYYY-MM
    # Results derived from the aggregate (counts of the whole register...), filled by the
    # process that uses them and never stored in the cache.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["memo"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def organisation_ids(self) -> frozenset[int]:
        if "organisation_ids" not in self.memo:
            self.memo["organisation_ids"] = frozenset(
                row["organisation_id"] for row in (*self.pledges, *self.withdrawn)
            )
        return self.memo["organisation_ids"]

    @property
    def total_counts(self) -> dict[str, list[tuple]]:
        """`counts()` of the whole register, computed once per process and generation."""
        if "counts" not in self.memo:
            self.memo["counts"] = counts(self.pledges, self.sector_names)
        return self.memo["counts"]


# --- freshness -----------------------------------------------------------------------------


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh cache (or an evicted key): start from the clock so that the number never
        # goes back to one an older aggregate was stored under.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def figures_changed() -> None:
    """Published data changed: the figures are rebuilt once this transaction commits (at
    once outside a transaction; never if it rolls back). A cache that cannot be reached is
    logged, not raised: the change is committed, and the figures expire within the hour."""
    transaction.on_commit(_bump, robust=True)


def _data_key(generation: int) -> str:
    return f"pact:figures:{SCHEMA}:{generation}"


# The last aggregate this process read, so that a request costs one small cache read (the
# generation) instead of unpickling the whole aggregate; the generation keeps it honest.
_last: list[Figures] = []


def figures_get() -> Figures:
    """The current aggregate, built now if the cache does not hold it for this generation."""
    generation = _generation()
    last = _last[0] if _last else None
    if last is not None and last.generation == generation:
        return last
    key = _data_key(generation)
    figures = cache.get(key)
    if figures is None:
        # One process rebuilds (about a second at 5,000 pledges); meanwhile the others serve
        # the figures they already hold rather than all rebuilding at once.
        if cache.add(f"{key}:building", 1, timeout=60):
            try:
                figures = _build(generation)
                cache.set(key, figures, timeout=TIMEOUT)
            finally:
                cache.delete(f"{key}:building")
        elif last is not None:
            return last
        else:
            figures = _build(generation)
    _last[:] = [figures]
    return figures


# --- building ------------------------------------------------------------------------------


def _month(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m") if moment else ""


def _build(generation: int) -> Figures:
    built_at = timezone.now()
    in_register = Pledge.objects.filter(
        publish_in_register=True, published_at__isnull=False
    ).filter(status__in=(Pledge.Status.PUBLISHED, Pledge.Status.WITHDRAWN))
    rows = list(
        in_register.order_by("organisation__name", "pk").values(
            "pk",
            "status",
            "organisation_id",
            "organisation__name",
            "organisation__acronym",
            "organisation__transparency_register_id",
            "organisation__country",
            "organisation__hq_region",
            "organisation__type",
            "organisation__size",
            "ai_role",
            "best_effort",
            "published_at",
            "withdrawn_at",
            "next_report_due",
        )
    )
    sectors: dict[int, list[str]] = {}
    for organisation_id, code in (
        Organisation.sectors.through.objects.filter(
            organisation_id__in=in_register.values("organisation_id")
        )
        .order_by("sector__name", "sector__code")
        .values_list("organisation_id", "sector__code")
    ):
        sectors.setdefault(organisation_id, []).append(code)
    commitments: dict[int, list[tuple[str, int]]] = {}
    for pledge_id, code, version in (
        PledgeCommitment.objects.filter(pledge__in=in_register)
        .order_by("commitment__order", "commitment__code")
        .values_list("pledge_id", "commitment__code", "commitment__version")
    ):
        commitments.setdefault(pledge_id, []).append((code, version))
    # One URL pattern for every row (reverse() 5,000 times would cost more than the query).
    url_pattern = reverse("pact:public_pledge", kwargs={"pk": 1})
    url_prefix, url_suffix = url_pattern.rsplit("1", 1)

    published, withdrawn = [], []
    for row in rows:
        entry = {
            "id": row["pk"],
            "path": f"{url_prefix}{row['pk']}{url_suffix}",
            "organisation_id": row["organisation_id"],
            "organisation": row["organisation__name"],
            "acronym": row["organisation__acronym"],
            "transparency_register_id": row["organisation__transparency_register_id"] or "",
            "country": row["organisation__country"] or "",
            "hq_region": row["organisation__hq_region"] or "",
            "type": row["organisation__type"] or "",
            "size": row["organisation__size"] or "",
            "sectors": tuple(sectors.get(row["organisation_id"], ())),
            "ai_role": row["ai_role"],
            "best_effort": row["best_effort"],
            "commitments": tuple(commitments.get(row["pk"], ())),
            "published_at": row["published_at"],
            "withdrawn_at": row["withdrawn_at"],
            "next_report_due": row["next_report_due"],
            "search": f"{row['organisation__name']} {row['organisation__acronym']}".casefold(),
        }
        (published if row["status"] == Pledge.Status.PUBLISHED else withdrawn).append(entry)
    withdrawn.sort(key=lambda entry: (entry["withdrawn_at"] or built_at, entry["id"]))
    withdrawn.reverse()

    catalogue = tuple(
        {
            "code": c.code,
            "version": c.version,
            "category": c.category,
            "text": c.text,
            "ai_act_article": c.ai_act_article,
        }
        for c in Commitment.objects.order_by("order", "code", "version")
    )
    network_joined = tuple(
        _month(joined)
        for joined in NetworkMembership.objects.filter(
            status=NetworkMembership.Status.INTERESTED
        ).values_list("joined_at", flat=True)
    )
    reports_accepted = tuple(
        _month(accepted)
        for accepted in ProgressReport.objects.filter(
            status=ProgressReport.Status.ACCEPTED,
            pledge__status=Pledge.Status.PUBLISHED,
            pledge__publish_in_register=True,
        ).values_list("accepted_at", flat=True)
    )
    return Figures(
        built_at=built_at,
        generation=generation,
        pledges=tuple(published),
        withdrawn=tuple(withdrawn),
        sector_names=dict(Sector.objects.values_list("code", "name")),
        catalogue=catalogue,
        network_joined=network_joined,
        reports_accepted=reports_accepted,
    )


# --- reading -------------------------------------------------------------------------------


class RegisterEntry:
    """A row of the register as its page shows it (labels in the reader's language)."""

    def __init__(self, row: dict, sector_names: dict[str, str]):
        self.row = row
        self.pk = self.id = row["id"]
        self.name = row["organisation"]
        self.published_at = row["published_at"]
        self.withdrawn_at = row["withdrawn_at"]
        self.sector_labels = [sector_names.get(code, code) for code in row["sectors"]]

    def get_public_url(self) -> str:
        return self.row["path"]

    @property
    def country_name(self) -> str:
        return countries.name(self.row["country"]) if self.row["country"] else ""

    @property
    def type_label(self) -> str:
        return Organisation.Type(self.row["type"]).label if self.row["type"] else ""

    @property
    def size_label(self) -> str:
        return Organisation.Size(self.row["size"]).label if self.row["size"] else ""

    @property
    def ai_role_label(self) -> str:
        return AIRole(self.row["ai_role"]).label


def rows_matching(rows: Iterable[dict], filters: dict) -> list[dict]:
    """The rows that pass the register's filters (`RegisterFilter`'s cleaned values: empty
    ones do not filter; a sector may be given as a `Sector` or its code)."""
    words = [word.casefold() for word in (filters.get("q") or "").split()[:6]]
    exact = {
        key: str(filters[key])
        for key in ("country", "hq_region", "ai_role", "type", "size")
        if filters.get(key)
    }
    # "Not stated" finds the rows without a value.
    exact = {key: "" if value == NOT_STATED else value for key, value in exact.items()}
    sector = filters.get("sector")
    sector = getattr(sector, "code", sector) or ""
    commitment = filters.get("commitment") or ""
    matching = []
    for row in rows:
        if any((row[key] or "") != value for key, value in exact.items()):
            continue
        if sector and sector not in row["sectors"]:
            continue
        if commitment and all(code != commitment for code, _version in row["commitments"]):
            continue
        if words and not all(word in row["search"] for word in words):
            continue
        matching.append(row)
    return matching


def counts(rows: Iterable[dict], sector_names: dict[str, str]) -> dict[str, list[tuple]]:
    """How many pledges fall in each value of each dimension, most frequent first (as
    `selectors.register_counts` does in SQL); a pledge without a value counts under None."""
    counters = {dimension: Counter() for dimension in DIMENSIONS}
    for row in rows:
        for key in ("hq_region", "country", "ai_role", "type", "size"):
            counters[key][row[key] or None] += 1
        for code in row["sectors"] or (None,):
            counters["sector"][sector_names.get(code, code) if code else None] += 1
        for code in {code for code, _version in row["commitments"]} or {None}:
            counters["commitment"][code] += 1
    return {
        dimension: sorted(counter.items(), key=lambda item: (-item[1], item[0] is None, item[0]))
        for dimension, counter in counters.items()
    }


def by_month(months: Iterable[str]) -> list[tuple[str, int]]:
    """(month, how many up to and including it) for every month from the first to the last."""
    per_month = Counter(month for month in months if month)
    if not per_month:
        return []
    first, last = min(per_month), max(per_month)
    year, month = int(first[:4]), int(first[5:])
    running, series = 0, []
    while True:
        key = f"{year:04d}-{month:02d}"
        running += per_month.get(key, 0)
        series.append((key, running))
        if key >= last:
            return series
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# --- open-data files -----------------------------------------------------------------------


OPEN_DATA_FIELDS = [
    "id",
    "organisation",
    "acronym",
    "transparency_register_id",
    "country",
    "hq_region",
    "organisation_type",
    "size",
    "sectors",
    "ai_role",
    "best_effort",
    "commitments",
    "catalogue_versions",
    "published_at",
    "next_report_due",
    "url",
]


def open_data_record(row: dict, base_url: str) -> dict:
    """One pledge as open data (see docs/open-data.md); `base_url` is the site's address."""
    return {
        "id": row["id"],
        "organisation": row["organisation"],
        "acronym": row["acronym"],
        "transparency_register_id": row["transparency_register_id"],
        "country": row["country"],
        "hq_region": row["hq_region"],
        "organisation_type": row["type"],
        "size": row["size"],
        "sectors": list(row["sectors"]),
        "ai_role": row["ai_role"],
        "best_effort": row["best_effort"],
        "commitments": [code for code, _version in row["commitments"]],
        "catalogue_versions": dict(row["commitments"]),
        "published_at": timezone.localtime(row["published_at"]).date().isoformat()
        if row["published_at"]
        else "",
        "next_report_due": row["next_report_due"].isoformat() if row["next_report_due"] else "",
        "url": base_url + row["path"],
    }


def signatories_csv(rows: Iterable[dict], base_url: str) -> str:
    stream = io.StringIO()
    stream.write(BYTE_ORDER_MARK)
    writer = SafeWriter(stream)
    writer.writerow(OPEN_DATA_FIELDS)
    for row in rows:
        record = open_data_record(row, base_url)
        record["sectors"] = ";".join(record["sectors"])
        record["commitments"] = ";".join(record["commitments"])
        record["catalogue_versions"] = ";".join(
            f"{code}:{version}" for code, version in record["catalogue_versions"].items()
        )
        record["best_effort"] = "yes" if record["best_effort"] else "no"
        writer.writerow([record[name] for name in OPEN_DATA_FIELDS])
    return stream.getvalue()


def signatories_json(
    figures: Figures, rows: Iterable[dict], base_url: str, documentation_url: str
) -> bytes:
    pledges = [open_data_record(row, base_url) for row in rows]
    return json.dumps(
        {
            "generated_at": figures.built_at.isoformat(),
            "licence": "CC BY 4.0",
            "documentation": documentation_url,
            "count": len(pledges),
            "pledges": pledges,
            "commitments": list(figures.catalogue),
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=1,
    ).encode()


def open_data_file(
    kind: str,
    figures: Figures,
    rows: list[dict] | None,
    *,
    base_url: str,
    documentation_url: str,
) -> str | bytes:
    """The CSV (text) or JSON (bytes) file of `rows`; the whole register's file (`rows` None)
    is made once per generation and site address, then served from the cache."""

    def make(selected):
        if kind == "csv":
            return signatories_csv(selected, base_url)
        return signatories_json(figures, selected, base_url, documentation_url)

    if rows is not None:
        return make(rows)
    site = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    memo_key = ("file", kind, site)
    if memo_key in figures.memo:
        return figures.memo[memo_key]
    key = f"pact:figures:{SCHEMA}:{figures.generation}:file:{kind}:{site}"
    body = cache.get(key)
    if body is None:
        body = make(figures.pledges)
        cache.set(key, body, timeout=TIMEOUT)
    # Kept by this process too: a whole file is megabytes, read from the cache once.
    figures.memo[memo_key] = body
    return body


# --- keeping the figures fresh -------------------------------------------------------------


def organisations_changed(organisation_ids) -> None:
    """Organisations were edited (names, countries, types, sizes and sectors appear in the
    register): if one of them is in it, the figures are refreshed when the edit commits.
    Others cost one cache read."""
    cached = cache.get(_data_key(_generation()))
    if cached is not None and not cached.organisation_ids.isdisjoint(organisation_ids):
        figures_changed()


def _organisation_changed(sender, instance=None, **kwargs):
    """A CRM edit, a merge or a deletion of one organisation (Django's signals)."""
    if isinstance(instance, Organisation) and instance.pk is not None:
        organisations_changed([instance.pk])


def connect_signals() -> None:
    """Organisation edits happen in `crm`, which cannot call `pact`: Django's signals tell of
    single edits and `crm.registry.organisation_changes` of bulk ones. The receivers decide
    nothing; they only mark the cached figures stale."""
    from crm.registry import organisation_changes

    organisation_changes.register(organisations_changed)
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="pact_figures_org")
    post_delete.connect(
        _organisation_changed, sender=Organisation, dispatch_uid="pact_figures_org_delete"
    )
    m2m_changed.connect(
        _organisation_changed,
        sender=Organisation.sectors.through,
        dispatch_uid="pact_figures_org_sectors",
    )


# --- "The AI Pact in figures" --------------------------------------------------------------


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def figures_page(data: Figures) -> dict:
    """The headline figures and charts of `/pact/figures/`, in the active language (built once
    per process, generation and language)."""
    key = ("page", get_language())
    if key not in data.memo:
        data.memo[key] = _figures_page(data)
    return data.memo[key]


def _labelled(rows: list[tuple], labels: dict, none_label: str) -> list[tuple[str, int]]:
    return [(str(labels.get(value, value)) if value else none_label, n) for value, n in rows]


def _figures_page(data: Figures) -> dict:
    total = len(data.pledges)
    totals = data.total_counts
    not_stated = _("Not stated")
    regions = dict(totals["hq_region"])
    region_labels = dict(HQRegion.choices)
    headquarters = [
        {"code": code.value, "label": region_labels[code], "count": regions.get(code, 0)}
        for code in (HQRegion.EU, HQRegion.US, HQRegion.OTHER)
    ]
    if regions.get(None):
        # Pledgers whose country nobody stated: counted apart, not put in a region.
        headquarters.append({"code": NOT_STATED, "label": not_stated, "count": regions[None]})
    for region in headquarters:
        region["share"] = _share(region["count"], total)

    pledgers = by_month(_month(row["published_at"]) for row in data.pledges)
    network = by_month(data.network_joined)
    months = sorted({month for month, _n in pledgers} | {month for month, _n in network})
    if months:
        months = [month for month, _n in by_month([months[0], months[-1]])]

    def running(series):
        values, last, index = [], 0, dict(series)
        for month in months:
            last = index.get(month, last)
            values.append(last)
        return values

    month_labels = [month_label(datetime.date(int(m[:4]), int(m[5:]), 1)) for m in months]
    over_time = line_chart(
        month_labels,
        [
            Series(_("Organisations in the AI Pact network"), running(network)),
            Series(_("Published pledges"), running(pledgers)),
        ],
        title=_("Participants and pledgers over time"),
        description=_(
            "Organisations in the AI Pact network and published pledges at the end of each "
            "month, from the first to the latest."
        ),
    )
    language = get_language() or "en"
    catalogue = current_catalogue()
    commitment_names = {
        c.code: f"{c.code}: {Truncator(c.text_in(language)).chars(36)}" for c in catalogue
    }
    commitment_order = {c.code: index for index, c in enumerate(catalogue)}
    charts = [
        bar_chart(
            [(h["label"], h["count"]) for h in headquarters],
            title=_("Pledgers by headquarters"),
            value_label=_("Pledges"),
        ),
        bar_chart(
            _labelled(totals["ai_role"], dict(AIRole.choices), not_stated),
            title=_("Pledgers by AI role"),
            value_label=_("Pledges"),
        ),
        bar_chart(
            _labelled(totals["sector"], {}, not_stated),
            title=_("Pledgers by sector"),
            value_label=_("Pledges"),
        ),
        bar_chart(
            _labelled(
                sorted(totals["size"], key=lambda r: _SIZE_ORDER.get(r[0], 9)),
                dict(Organisation.Size.choices),
                not_stated,
            ),
            title=_("Pledgers by size"),
            value_label=_("Pledges"),
        ),
        bar_chart(
            _labelled(totals["type"], dict(Organisation.Type.choices), not_stated),
            title=_("Pledgers by type of organisation"),
            value_label=_("Pledges"),
        ),
        bar_chart(
            [
                (commitment_names.get(code, code), n)
                for code, n in sorted(
                    totals["commitment"], key=lambda r: commitment_order.get(r[0], 999)
                )
                if code
            ],
            title=_("Commitments chosen"),
            description=_("How many published pledges take each commitment."),
            value_label=_("Pledges"),
        ),
    ]
    return {
        "pledges": total,
        "participants": len(data.network_joined),
        "reports": len(data.reports_accepted),
        "withdrawn": len(data.withdrawn),
        "headquarters": headquarters,
        "over_time": over_time,
        "charts": charts,
    }


_SIZE_ORDER = {code: index for index, code in enumerate(Organisation.Size.values)}
