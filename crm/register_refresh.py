"""Refreshing organisations from an EU Transparency Register open-data export.

The register publishes its full list daily (XML, and XLS that people often save as CSV). A
refresh matches rows to CRM organisations by Identification Number, shows what would change
(name, acronym, category, country, website), and applies it all at once in a `core` job: each
matched ID is recorded as verified; with a full export, organisations whose ID is no longer in
the register are flagged (and unflagged when it is back). Every row is accepted or refused
with a reason. Column names changed across versions of the export: they are matched without
case, spaces or punctuation, with the aliases below. Organisations the CRM does not hold are
not created: the CRM keeps the organisations the AI Office works with, not the register.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from core.access import require_staff
from core.audit import audit_log, audit_log_bulk
from core.errors import DomainError
from core.jobs import JobResult, job_kind

from .imports import decode
from .models import Organisation, RegisterRefresh
from .registry import organisation_changes
from .text import fold
from .validators import TRANSPARENCY_REGISTER_ID, normalize_transparency_register_id

REFRESH_JOB = "crm.register_refresh"
MAX_ROWS = 100_000
KEPT = 5000  # changes and refusals kept with a refresh (the counts are exact)

COLUMNS = {
    "register_id": (
        "identificationnumber",
        "identificationcode",
        "identificationcodeoftheorganisation",
        "registrationnumber",
        "id",
    ),
    "name": ("name", "organisationname", "organizationname", "originalname"),
    "acronym": ("acronym",),
    "category": ("categoryofregistration", "subsection", "registrationcategory", "category"),
    "country": ("headofficecountry", "country"),
    "website": ("websiteurl", "websiteaddress", "website", "websiteurl"),
}
REQUIRED = ("register_id", "name")
FIELDS = {
    "name": "name",
    "acronym": "acronym",
    "category": "transparency_register_category",
    "country": "country",
    "website": "website",
}
# Register spellings that differ from ISO short names (the 2018 export wrote "Bosnia-herzegovina").
COUNTRY_ALIASES = {
    "unitedstates": "US",
    "usa": "US",
    "unitedkingdom": "GB",
    "uk": "GB",
    "bosniaherzegovina": "BA",
    "bosniaandherzegovina": "BA",
    "czechrepublic": "CZ",
    "turkey": "TR",
    "russia": "RU",
    "southkorea": "KR",
    "korearepublicof": "KR",
    "moldova": "MD",
    "macedonia": "MK",
    "formeryugoslavrepublicofmacedonia": "MK",
    "northmacedonia": "MK",
    "vatican": "VA",
    "taiwan": "TW",
}
CATEGORY_ALIASES = {"Companies groups": "Companies & groups"}


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


_COUNTRY_CODES = None


def country_code(name: str) -> str | None:
    global _COUNTRY_CODES
    if _COUNTRY_CODES is None:
        _COUNTRY_CODES = {_compact(str(label)): code for code, label in countries}
        with translation.override("en"):
            _COUNTRY_CODES.update({_compact(str(label)): code for code, label in countries})
    key = _compact(name)
    return _COUNTRY_CODES.get(key) or COUNTRY_ALIASES.get(key)


@dataclass
class RefreshRow:
    line: int
    register_id: str = ""
    values: dict = field(default_factory=dict)
    organisation_id: int | None = None
    changes: dict = field(default_factory=dict)
    refused: str = ""


@dataclass
class RefreshPlan:
    rows: list[RefreshRow]
    export_date: str = ""
    full_export: bool = False
    left: list[int] = field(default_factory=list)  # organisations whose ID left the register
    back: list[int] = field(default_factory=list)  # flagged before, in the register again
    names: dict = field(default_factory=dict)  # organisation id -> name, for the preview

    @property
    def changed(self) -> list[RefreshRow]:
        return [r for r in self.rows if r.changes and not r.refused]

    @property
    def refused(self) -> list[RefreshRow]:
        return [r for r in self.rows if r.refused]

    @property
    def matched(self) -> list[RefreshRow]:
        return [r for r in self.rows if r.organisation_id and not r.refused]

    def counts(self) -> dict:
        return {
            "rows": len(self.rows),
            "matched": len(self.matched),
            "changed": len(self.changed),
            "unchanged": len(self.matched) - len(self.changed),
            "not_in_crm": sum(1 for r in self.rows if not r.organisation_id and not r.refused),
            "refused": len(self.refused),
            "left": len(self.left),
            "back": len(self.back),
        }


# --- reading the export --------------------------------------------------------------------


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _read_csv(text: str) -> tuple[list[dict], str]:
    # The delimiter is the one the header line uses most: long quoted cells (the "Goals" column
    # holds paragraphs) mislead csv.Sniffer.
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    dialect = csv.excel
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect, delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise DomainError(_("The file is empty."), field="file")
    index = {}
    for i, column in enumerate(header):
        compact = _compact(column)
        for name, aliases in COLUMNS.items():
            if name not in index and compact in aliases:
                index[name] = i
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise DomainError(
            _(
                "This file has no “Identification Number” and “Name” columns: is it a "
                "Transparency Register export?"
            ),
            field="file",
        )
    records = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        records.append({name: row[i] if i < len(row) else "" for name, i in index.items()})
    return records, ""


_FORBIDDEN_REFS = re.compile(
    r"&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*(?:[0-8]|1[1249]|2[0-9]|3[01]));", re.I
)


def _read_xml(raw: bytes) -> tuple[list[dict], str]:
    """The register's XML is XML 1.1 with character references XML 1.0 forbids: read it as 1.0
    without them (Python's parser knows only 1.0)."""
    text = raw.decode("utf-8", errors="replace")
    text = re.sub(
        r"^<\?xml[^>]*\?>", '<?xml version="1.0" encoding="UTF-8"?>', text.lstrip("\ufeff")
    )
    text = _FORBIDDEN_REFS.sub(" ", text)
    if "<!DOCTYPE" in text[:5000] or "<!ENTITY" in text:
        # The export declares no entities; a file that does is refused rather than expanded.
        raise DomainError(_("This XML file declares entities; it is not a register export."))
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))  # noqa: S314 (no DTD, see above)
    except ElementTree.ParseError as exc:
        raise DomainError(
            _("The XML file could not be read (%(error)s).") % {"error": exc}, field="file"
        ) from exc

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    def child(element, *path):
        for step in path:
            element = next((c for c in element if local(c.tag) == step), None)
            if element is None:
                return ""
        return element.text or ""

    export_date = ""
    records = []
    for element in root.iter():
        tag = local(element.tag)
        if tag == "exportDate":
            export_date = (element.text or "")[:40]
        elif tag == "interestRepresentative":
            records.append(
                {
                    "register_id": child(element, "identificationCode"),
                    "name": child(element, "name", "originalName") or child(element, "name"),
                    "acronym": child(element, "acronym"),
                    "category": child(element, "registrationCategory"),
                    "country": child(element, "headOffice", "country"),
                    "website": child(element, "webSiteURL"),
                }
            )
    if not records:
        raise DomainError(
            _("The XML file holds no organisations: is it a Transparency Register export?"),
            field="file",
        )
    return records, export_date


def read_export(raw: bytes, encoding: str = "") -> tuple[list[dict], str]:
    if raw[:2] == b"\xd0\xcf" or raw[:2] == b"PK":
        raise DomainError(
            _("Excel files cannot be read: save the sheet as CSV (UTF-8), or use the XML export."),
            field="file",
        )
    head = raw[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        records, export_date = _read_xml(raw)
    else:
        text, _used = decode(raw, encoding)
        records, export_date = _read_csv(text)
    if len(records) > MAX_ROWS:
        raise DomainError(
            _("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"}, field="file"
        )
    return records, export_date


# --- planning -------------------------------------------------------------------------------


def row_values(record: dict) -> tuple[dict, str]:
    """The CRM values a register row gives, or the reason it is refused."""
    name = _clean(record.get("name"))
    acronym = _clean(record.get("acronym"))
    if acronym.upper() in ("N/A", "NA", "-"):
        acronym = ""
    if not name:
        return {}, _("No name.")
    if not acronym and name.endswith(")") and " (" in name:
        # The 2018 export appended the acronym to the name: "Telepass S.p.a (TLP)".
        bare, _sep, bracket = name.rpartition(" (")
        bracket = bracket[:-1].strip()
        if bare and bracket and len(bracket) <= 40:
            name = bare
            acronym = "" if fold(bracket) == fold(bare) else bracket
    if len(name) > 255:
        return {}, _("The name is longer than 255 characters.")
    values = {"name": name}
    if acronym:
        values["acronym"] = acronym[:40] if len(acronym) <= 40 else ""
    category = _clean(record.get("category"))
    if category:
        values["category"] = CATEGORY_ALIASES.get(category, category)[:120]
    country = _clean(record.get("country"))
    if country:
        code = country_code(country)
        if code is None:
            return {}, _("Unknown country “%(value)s”.") % {"value": country[:60]}
        values["country"] = code
    website = _clean(record.get("website"))
    if website and website.upper() not in ("N/A", "NA"):
        url = website if "://" in website else f"https://{website}"
        try:
            URLValidator()(url)
        except ValidationError:
            return {}, _("The website “%(value)s” is not a web address.") % {"value": website[:80]}
        if len(url) <= 200:
            values["website"] = url
    return values, ""


def plan_refresh(records: list[dict], *, export_date: str = "", full_export: bool = False):
    """What the refresh would change, without changing anything."""
    existing = {
        o["transparency_register_id"]: o
        for o in Organisation.objects.filter(transparency_register_id__isnull=False).values(
            "pk",
            "name",
            "acronym",
            "transparency_register_id",
            "transparency_register_category",
            "country",
            "website",
            "transparency_register_left_at",
        )
    }
    plan = RefreshPlan(rows=[], export_date=export_date, full_export=full_export)
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=2):
        row = RefreshRow(line=number)
        register_id = normalize_transparency_register_id(record.get("register_id")) or ""
        row.register_id = register_id[:20]
        if not TRANSPARENCY_REGISTER_ID.match(register_id):
            row.refused = _("“%(value)s” is not a Transparency Register ID.") % {
                "value": _clean(record.get("register_id"))[:30]
            }
        elif register_id in seen:
            row.refused = _("The same ID is also on line %(line)d.") % {"line": seen[register_id]}
        else:
            seen[register_id] = number
            row.values, row.refused = row_values(record)
        if not row.refused and register_id in existing:
            organisation = existing[register_id]
            row.organisation_id = organisation["pk"]
            plan.names[row.organisation_id] = organisation["name"]
            for key, model_field in FIELDS.items():
                new, old = row.values.get(key), organisation[model_field] or ""
                if new and new != old and not (key == "name" and _clean(old) == new):
                    row.changes[model_field] = [old, new]
        plan.rows.append(row)
    in_file = set(seen)
    for register_id, organisation in existing.items():
        if (
            full_export
            and register_id not in in_file
            and not organisation["transparency_register_left_at"]
        ):
            plan.left.append(organisation["pk"])
            plan.names[organisation["pk"]] = organisation["name"]
        if register_id in in_file and organisation["transparency_register_left_at"]:
            plan.back.append(organisation["pk"])
    return plan


# --- applying --------------------------------------------------------------------------------


def apply_refresh(*, actor, plan: RefreshPlan, file_name: str, progress=lambda p, m="": None):
    """Carry out a plan, all at once. `actor` is the staff member (None from the command line)."""
    now = timezone.now()
    with transaction.atomic():
        changed = plan.changed
        records = Organisation.objects.select_for_update().in_bulk(
            [row.organisation_id for row in changed]
        )
        progress(30, _("Updating organisations"))
        for row in changed:
            record = records[row.organisation_id]
            for model_field, (_old, new) in row.changes.items():
                setattr(record, model_field, new)
            record.prepare_derived_fields()
        _save_fields(list(records.values()), [*FIELDS.values(), "hq_region", "search_name"], now)
        organisation_changes.notify(records)
        progress(70, _("Recording what was verified"))
        matched = [row.organisation_id for row in plan.matched]
        for start in range(0, len(matched), 5000):
            Organisation.objects.filter(pk__in=matched[start : start + 5000]).update(
                transparency_register_verified_at=now,
                transparency_register_left_at=None,
                updated_at=now,
            )
        Organisation.objects.filter(pk__in=plan.left).update(
            transparency_register_left_at=now, updated_at=now
        )
        refresh = RegisterRefresh.objects.create(
            file_name=file_name[:200],
            export_date=plan.export_date,
            full_export=plan.full_export,
            counts=plan.counts(),
            changes=[
                {
                    "organisation": row.organisation_id,
                    "register_id": row.register_id,
                    "name": plan.names.get(row.organisation_id, ""),
                    "changes": row.changes,
                }
                for row in changed[:KEPT]
            ]
            + [
                {"organisation": pk, "name": plan.names.get(pk, ""), "left": True}
                for pk in plan.left[:KEPT]
            ],
            refused=[
                {"line": row.line, "register_id": row.register_id, "reason": str(row.refused)}
                for row in plan.refused[:KEPT]
            ],
            applied_by=actor,
        )
        audit_log_bulk(
            [
                (
                    actor,
                    "crm.organisation.register_refreshed",
                    Organisation(pk=row.organisation_id),
                    {"changes": row.changes, "refresh": refresh.pk},
                )
                for row in changed
            ]
            + [
                (
                    actor,
                    "crm.organisation.register_left",
                    Organisation(pk=pk),
                    {"refresh": refresh.pk},
                )
                for pk in plan.left
            ]
        )
        audit_log(actor=actor, action="crm.register.refreshed", subject=refresh, data=plan.counts())
    return refresh


def _save_fields(records: list, names: list[str], now) -> None:
    """One UPDATE per record, sent together (psycopg pipelines executemany). bulk_update builds
    a CASE per field and record in Python, which took a minute for 11,000 organisations."""
    if not records:
        return
    quote = connection.ops.quote_name
    fields = [Organisation._meta.get_field(name) for name in [*names, "updated_at"]]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    query = f"UPDATE {quote(Organisation._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 (model names only)
    rows = []
    for record in records:
        record.updated_at = now
        rows.append(
            [f.get_db_prep_save(getattr(record, f.attname), connection) for f in fields]
            + [record.pk]
        )
    with connection.cursor() as cursor:
        cursor.executemany(query, rows)


def register_refresh_commit(*, user, plan: RefreshPlan, file_name: str, progress=None):
    require_staff(user, "crm.change_organisation")
    return apply_refresh(
        actor=user, plan=plan, file_name=file_name, progress=progress or (lambda p, m="": None)
    )


def store_export(upload) -> str:
    if upload.size > 200 * 1024 * 1024:
        raise DomainError(_("The file is larger than 200 MB."), field="file")
    return default_storage.save("imports/register.dat", ContentFile(upload.read()))


def load_plan(path: str, *, full_export: bool, encoding: str = "") -> RefreshPlan:
    with default_storage.open(path, "rb") as handle:
        records, export_date = read_export(handle.read(), encoding)
    return plan_refresh(records, export_date=export_date, full_export=full_export)


def _can_view(user, job) -> bool:
    return user.has_perm("crm.change_organisation")


@job_kind(REFRESH_JOB, can_view=_can_view)
def run_refresh(job, progress):
    from django.contrib.auth import get_user_model

    params = job.params
    progress(5, _("Reading the file"))
    plan = load_plan(params["path"], full_export=params.get("full_export", False))
    user = get_user_model().objects.filter(pk=job.created_by_id).first()
    refresh = register_refresh_commit(
        user=user, plan=plan, file_name=params.get("name", ""), progress=progress
    )
    default_storage.delete(params["path"])
    counts = refresh.counts
    summary = (
        _(
            "%(changed)d organisations updated, %(unchanged)d unchanged, %(refused)d rows refused, "
            "%(left)d no longer in the register."
        )
        % counts
    )
    return JobResult(data={**counts, "summary": summary, "refresh": refresh.pk})
