"""CSV import of organisations and people: read a file, map its columns, plan every row
(create, update, unchanged, or refused with the row, column and reason), then carry out the plan
in one transaction as a `core` job.

The plan is made twice: for the preview, and again inside the job's transaction, so that what
is imported is checked against the records as they are then. One refused row stops the whole
import: nothing is half imported.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.access import require_staff
from core.audit import audit_log_bulk
from core.errors import DomainError
from core.jobs import JobResult, job_kind

from .models import Affiliation, Organisation, Person, Sector, Tag, prepared
from .services import ORGANISATION_FIELDS, PERSON_FIELDS
from .text import fold
from .validators import TRANSPARENCY_REGISTER_ID, normalize_transparency_register_id

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
IMPORT_JOB = "crm.import"

ORGANISATIONS, PEOPLE = "organisations", "people"
KINDS = {ORGANISATIONS: gettext_lazy("Organisations"), PEOPLE: gettext_lazy("People")}

# The fields a column can fill, with the header names people use for them (compared folded,
# without spaces or punctuation: "E-mail address" is "emailaddress").
FIELDS = {
    ORGANISATIONS: {
        "name": ("name", "organisation", "organisationname", "organization", "organizationname"),
        "acronym": ("acronym", "abbreviation", "shortname"),
        "transparency_register_id": (
            "transparencyregisterid",
            "transparencyregister",
            "identificationnumber",
            "registrationnumber",
            "trid",
            "registerid",
        ),
        "country": ("country", "headofficecountry", "hqcountry", "countryofheadquarters"),
        "type": ("type", "organisationtype", "typeoforganisation", "category"),
        "size": ("size", "sizeclass", "companysize"),
        "ai_role": ("airole", "role", "roleinai"),
        "website": ("website", "webaddress", "url", "site"),
        "sectors": ("sectors", "sector"),
        "tags": ("tags", "tag"),
    },
    PEOPLE: {
        "first_name": ("firstname", "givenname", "forename"),
        "last_name": ("lastname", "surname", "familyname", "name"),
        "email": ("email", "emailaddress", "mail"),
        "phone": ("phone", "telephone", "phonenumber"),
        "nationality": ("nationality", "citizenship"),
        "preferred_language": ("preferredlanguage", "language"),
        "organisation": ("organisation", "organization", "employer", "company"),
        "position": ("position", "jobtitle", "function", "role"),
        "tags": ("tags", "tag"),
    },
}
REQUIRED = {ORGANISATIONS: ("name",), PEOPLE: ("first_name", "last_name", "email")}
LABELS = {
    "name": gettext_lazy("Name"),
    "acronym": gettext_lazy("Acronym"),
    "transparency_register_id": gettext_lazy("Transparency Register ID"),
    "country": gettext_lazy("Country"),
    "type": gettext_lazy("Type"),
    "size": gettext_lazy("Size"),
    "ai_role": gettext_lazy("AI role"),
    "website": gettext_lazy("Website"),
    "sectors": gettext_lazy("Sectors"),
    "tags": gettext_lazy("Tags"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "nationality": gettext_lazy("Nationality"),
    "preferred_language": gettext_lazy("Preferred language"),
    "organisation": gettext_lazy("Organisation (name or register ID)"),
    "position": gettext_lazy("Position"),
}

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class RowPlan:
    line: int  # the row's line in the file, header being line 1
    action: str = CREATE
    values: dict = field(default_factory=dict)
    record_id: int | None = None
    changes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column header, message)


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]


# --- reading the file -------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def decode(raw: bytes, encoding: str = "") -> tuple[str, str]:
    """The file's text and the encoding that read it: the one asked for, else UTF-8 (with or
    without a byte-order mark), then Windows-1252, then Latin-1."""
    for candidate in (encoding,) if encoding else ENCODINGS:
        try:
            return raw.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    raise DomainError(
        _("The file could not be read in %(encoding)s; choose another encoding.")
        % {"encoding": encoding or "UTF-8"},
        field="encoding",
    )


def read_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows; the delimiter (comma, semicolon or tab) is recognised."""
    # The delimiter is the one the header line uses most: csv.Sniffer is misled by quoted
    # cells that hold paragraphs (as the Transparency Register's "Goals" do).
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DomainError(_("The file is empty."), field="file") from None
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append(row)
        if len(rows) > MAX_ROWS:
            raise DomainError(
                _("The file has more than %(n)s rows; split it into smaller files.")
                % {"n": f"{MAX_ROWS:,}"},
                field="file",
            )
    if not rows:
        raise DomainError(_("The file has a header but no rows."), field="file")
    return header, rows


def guess_mapping(kind: str, header: list[str]) -> dict[str, str]:
    """{field: column header} for the columns whose names say what they hold."""
    mapping = {}
    for column in header:
        compact = _compact(column)
        for name, aliases in FIELDS[kind].items():
            if name not in mapping and compact in aliases:
                mapping[name] = column
                break
    return mapping


def store_upload(upload) -> str:
    """Keep the uploaded file where only the import can read it (never served)."""
    if upload.size > MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB; split it."), field="file")
    raw = upload.read()
    if b"\x00" in raw[:4096]:
        raise DomainError(_("This is not a CSV text file."), field="file")
    return default_storage.save("imports/upload.csv", ContentFile(raw))


def load(path: str, encoding: str = "") -> tuple[list[str], list[list[str]], str]:
    with default_storage.open(path, "rb") as handle:
        text, used = decode(handle.read(), encoding)
    header, rows = read_rows(text)
    return header, rows, used


# --- planning ---------------------------------------------------------------------------


def _choice(model_choices, value: str):
    wanted = fold(value)
    for code, label in model_choices:
        if wanted in (fold(code), fold(str(label))):
            return code
    return None


def _country(value: str):
    value = value.strip()
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    return countries.by_name(value) or None


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]


def _cells(header, row, mapping) -> dict[str, str]:
    index = {column: i for i, column in enumerate(header)}
    cells = {}
    for name, column in mapping.items():
        i = index.get(column)
        cells[name] = " ".join(row[i].split()) if i is not None and i < len(row) else ""
    return cells


def _organisation_values(cells, errors, column, lookups) -> dict:
    values = {}
    for name, raw in cells.items():
        if not raw:
            continue
        if name in ("name", "acronym"):
            limit = 255 if name == "name" else 40
            if len(raw) > limit:
                errors.append((column[name], _("Longer than %(n)d characters.") % {"n": limit}))
            values[name] = raw
        elif name == "transparency_register_id":
            tr_id = normalize_transparency_register_id(raw)
            if not TRANSPARENCY_REGISTER_ID.match(tr_id or ""):
                errors.append(
                    (column[name], _("Not a Transparency Register ID (e.g. 86045688255-44)."))
                )
            values[name] = tr_id
        elif name == "country":
            code = _country(raw)
            if code is None:
                errors.append((column[name], _("Unknown country “%(value)s”.") % {"value": raw}))
            values[name] = code
        elif name in ("type", "size", "ai_role"):
            code = _choice(Organisation._meta.get_field(name).choices, raw)
            if code is None:
                errors.append((column[name], _("Unknown value “%(value)s”.") % {"value": raw}))
            values[name] = code
        elif name == "website":
            url = raw if "://" in raw else f"https://{raw}"
            try:
                URLValidator()(url)
            except ValidationError:
                errors.append((column[name], _("Not a web address.")))
            values[name] = url
        elif name == "sectors":
            found = []
            for part in _split(raw):
                sector = lookups["sectors"].get(fold(part))
                if sector is None:
                    errors.append(
                        (column[name], _("Unknown sector “%(value)s”.") % {"value": part})
                    )
                else:
                    found.append(sector)
            values[name] = found
        elif name == "tags":
            values[name] = [part[:60] for part in _split(raw)]
    return values


def _person_values(cells, errors, column, lookups) -> dict:
    values = {}
    for name, raw in cells.items():
        if not raw:
            continue
        if name in ("first_name", "last_name", "phone", "position"):
            limit = {"phone": 40, "position": 150}.get(name, 100)
            if len(raw) > limit:
                errors.append((column[name], _("Longer than %(n)d characters.") % {"n": limit}))
            values[name] = raw
        elif name == "email":
            try:
                validate_email(raw)
            except ValidationError:
                errors.append((column[name], _("Not an email address.")))
            values[name] = raw
        elif name == "nationality":
            code = _country(raw)
            if code is None:
                errors.append((column[name], _("Unknown country “%(value)s”.") % {"value": raw}))
            values[name] = code
        elif name == "preferred_language":
            code = _choice(Person._meta.get_field("preferred_language").choices, raw)
            if code is None:
                errors.append(
                    (
                        column[name],
                        _("Not one of the 24 EU languages: “%(value)s”.") % {"value": raw},
                    )
                )
            values[name] = code
        elif name == "organisation":
            organisation_id = lookups["organisations"].get(
                normalize_transparency_register_id(raw) or ""
            ) or lookups["organisation_names"].get(fold(raw))
            if organisation_id is None:
                errors.append(
                    (column[name], _("No organisation “%(value)s” in the CRM.") % {"value": raw})
                )
            values[name] = organisation_id
        elif name == "tags":
            values[name] = [part[:60] for part in _split(raw)]
    return values


def _lookups(kind: str) -> dict:
    """Everything the plan compares rows with, in a few queries."""
    if kind == ORGANISATIONS:
        existing = Organisation.objects.only("pk", *SIMPLE[ORGANISATIONS])
        by_id = {o.pk: o for o in existing}
        return {
            "records": by_id,
            "by_register_id": {
                o.transparency_register_id: o.pk
                for o in by_id.values()
                if o.transparency_register_id
            },
            "by_name": {fold(o.name): o.pk for o in by_id.values()},
            "sectors": {
                key: s for s in Sector.objects.all() for key in (fold(s.code), fold(s.name))
            },
        }
    people = Person.objects.only("pk", *SIMPLE[PEOPLE])
    by_id = {p.pk: p for p in people}
    organisations = Organisation.objects.values_list("pk", "name", "transparency_register_id")
    return {
        "records": by_id,
        "by_email": {p.email.lower(): p.pk for p in by_id.values()},
        "organisations": {tr: pk for pk, _name, tr in organisations if tr},
        "organisation_names": {fold(name): pk for pk, name, _tr in organisations},
    }


# The fields a row sets directly (the staff forms' fields, but not an organisation's status).
SIMPLE = {
    ORGANISATIONS: tuple(f for f in ORGANISATION_FIELDS if f != "status"),
    PEOPLE: PERSON_FIELDS,
}


def plan_import(kind: str, header: list[str], rows: list[list[str]], mapping: dict) -> Plan:
    """What each row would do, without changing anything."""
    mapping = {name: column for name, column in mapping.items() if column in header}
    missing = [str(LABELS[name]) for name in REQUIRED[kind] if name not in mapping]
    if missing:
        raise DomainError(
            _("Choose the column for: %(fields)s.") % {"fields": ", ".join(missing)},
            field="mapping",
        )
    lookups = _lookups(kind)
    seen: dict[str, int] = {}
    plans = []
    for number, row in enumerate(rows, start=2):
        plan = RowPlan(line=number)
        cells = _cells(header, row, mapping)
        for name in REQUIRED[kind]:
            if not cells.get(name):
                plan.errors.append((mapping[name], _("Required.")))
        to_values = _organisation_values if kind == ORGANISATIONS else _person_values
        plan.values = to_values(cells, plan.errors, mapping, lookups)
        if kind == ORGANISATIONS:
            key = plan.values.get("transparency_register_id") or fold(plan.values.get("name", ""))
            existing = lookups["by_register_id"].get(plan.values.get("transparency_register_id"))
            if existing is None and not plan.values.get("transparency_register_id"):
                existing = lookups["by_name"].get(fold(plan.values.get("name", "")))
            key_column = mapping.get("transparency_register_id") or mapping["name"]
        else:
            key = (plan.values.get("email") or "").lower()
            existing = lookups["by_email"].get(key)
            key_column = mapping["email"]
        if key and key in seen:
            plan.errors.append(
                (key_column, _("Also on line %(line)d of the file.") % {"line": seen[key]})
            )
        elif key:
            seen[key] = number
        if existing is not None:
            plan.record_id = existing
            record = lookups["records"][existing]
            for name in SIMPLE[kind]:
                new = plan.values.get(name)
                old = getattr(record, name)
                old = old.code if hasattr(old, "code") else old
                if new in (None, "") or new == (old or ""):
                    continue
                if name in ("name", "acronym") and fold(new) == fold(old or ""):
                    continue  # "TELEFONICA" names "Telefónica" as it is written already
                plan.changes[name] = [old or "", new]
            adds_links = any(plan.values.get(n) for n in ("sectors", "tags", "organisation"))
            plan.action = UPDATE if plan.changes or adds_links else UNCHANGED
        if plan.errors:
            plan.action = ERROR
        plans.append(plan)
    return Plan(kind=kind, rows=plans)


# --- carrying it out ----------------------------------------------------------------------


@transaction.atomic
def import_commit(*, user, plan: Plan, progress=lambda percent, message="": None) -> dict:
    """Carry out a plan with no refused row, all or nothing. Returns the counts."""
    if plan.kind == ORGANISATIONS:
        require_staff(user, "crm.add_organisation", "crm.change_organisation")
    else:
        require_staff(user, "crm.add_person", "crm.change_person")
    if plan.errors:
        raise DomainError(
            _("%(n)d rows are refused; correct the file and try again. Nothing was imported.")
            % {"n": len(plan.errors)}
        )
    model = Organisation if plan.kind == ORGANISATIONS else Person
    simple = SIMPLE[plan.kind]
    creating = [row for row in plan.rows if row.action == CREATE]
    updating = [row for row in plan.rows if row.action == UPDATE]
    progress(10, _("Adding new records"))
    created = model.objects.bulk_create(
        prepared(
            model(**{n: row.values[n] for n in simple if row.values.get(n)}) for row in creating
        ),
        batch_size=1000,
    )
    for row, record in zip(creating, created, strict=True):
        row.record_id = record.pk
    progress(50, _("Updating records"))
    records = model.objects.in_bulk([row.record_id for row in updating])
    changed = []
    for row in updating:
        record = records[row.record_id]
        for name, (_old, new) in row.changes.items():
            setattr(record, name, new)
        record.prepare_derived_fields()
        changed.append(record)
    if changed:
        derived = ["hq_region", "search_name"] if plan.kind == ORGANISATIONS else ["search_text"]
        model.objects.bulk_update(changed, [*simple, *derived], batch_size=1000)
    progress(75, _("Linking sectors, tags and organisations"))
    _link(plan, model)
    audit_log_bulk(
        [
            (user, f"crm.{model._meta.model_name}.imported", model(pk=row.record_id), {})
            for row in creating
        ]
        + [
            (
                user,
                f"crm.{model._meta.model_name}.updated",
                model(pk=row.record_id),
                {"changes": row.changes},
            )
            for row in updating
            if row.changes
        ]
    )
    return {"created": len(creating), "updated": len(updating), "unchanged": plan.count(UNCHANGED)}


def _link(plan: Plan, model) -> None:
    rows = [row for row in plan.rows if row.action in (CREATE, UPDATE)]
    tag_names = {name for row in rows for name in row.values.get("tags", [])}
    tags = {fold(t.name): t for t in Tag.objects.all()}
    missing = [name for name in dict.fromkeys(tag_names) if fold(name) not in tags]
    for tag in Tag.objects.bulk_create(Tag(name=name) for name in missing):
        tags[fold(tag.name)] = tag
    TagLink = model.tags.through
    owner = f"{model._meta.model_name}_id"
    have = set(
        TagLink.objects.filter(**{f"{owner}__in": [r.record_id for r in rows]}).values_list(
            owner, "tag_id"
        )
    )
    wanted = {
        (row.record_id, tags[fold(name)].pk) for row in rows for name in row.values.get("tags", [])
    }
    TagLink.objects.bulk_create(
        TagLink(**{owner: record_id, "tag_id": tag_id}) for record_id, tag_id in wanted - have
    )
    if plan.kind == ORGANISATIONS:
        SectorLink = Organisation.sectors.through
        have = set(
            SectorLink.objects.filter(organisation_id__in=[r.record_id for r in rows]).values_list(
                "organisation_id", "sector_id"
            )
        )
        wanted = {(row.record_id, s.pk) for row in rows for s in row.values.get("sectors", [])}
        SectorLink.objects.bulk_create(
            SectorLink(organisation_id=o, sector_id=s) for o, s in wanted - have
        )
    else:
        have = set(
            Affiliation.objects.filter(person_id__in=[r.record_id for r in rows]).values_list(
                "person_id", "organisation_id"
            )
        )
        Affiliation.objects.bulk_create(
            Affiliation(
                person_id=row.record_id,
                organisation_id=row.values["organisation"],
                position=row.values.get("position", ""),
                status=Affiliation.Status.CONFIRMED,
            )
            for row in rows
            if row.values.get("organisation")
            and (row.record_id, row.values["organisation"]) not in have
        )


def _can_view_import(user, job) -> bool:
    return False  # only the person who ran it (core.jobs lets them)


@job_kind(IMPORT_JOB, can_view=_can_view_import)
def run_import(job, progress):
    """The job that carries out an import: plan again against today's records, then commit."""
    from django.contrib.auth import get_user_model

    params = job.params
    progress(5, _("Reading the file"))
    header, rows, _encoding = load(params["path"], params.get("encoding", ""))
    plan = plan_import(params["kind"], header, rows, params["mapping"])
    user = get_user_model().objects.filter(pk=job.created_by_id).first()
    counts = import_commit(user=user, plan=plan, progress=progress)
    default_storage.delete(params["path"])
    summary = _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % counts
    return JobResult(data={**counts, "summary": summary})
