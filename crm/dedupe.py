"""Finding records that may be the same organisation or person.

Candidates come from keys that are cheap to compare at scale: the same normalised name
(case, accents, punctuation and legal form removed), the same website domain, the same email
address once normalised (case, a `+tag`, Gmail's dots); and for organisations, names that are
nearly the same: each folded name meets the next few in alphabetical order and in the order of
its reversed spelling (sorted neighbourhood), compared by trigram similarity on PostgreSQL
(pg_trgm), elsewhere by difflib; names that carry different numbers ("Region 1 …", "Region 2
…") are not near names. A scan runs as a `core` job; staff review its pairs and merge the ones
that are the same.
"""

import difflib
import itertools
import re
from collections import defaultdict
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import JobResult, job_kind

from .models import Organisation, Person
from .text import fold

SCAN_JOB = "crm.duplicate_scan"
MAX_PAIRS = 5000
# A key shared by more records than this says little (a common name): its pairs are skipped.
MAX_GROUP = 12
SIMILARITY = 0.8
# How many following names (in alphabetical and in reversed-spelling order) each name meets.
WINDOW = 4

REASONS = {
    "name": gettext_lazy("Same name"),
    "similar_name": gettext_lazy("Nearly the same name"),
    "website": gettext_lazy("Same website"),
    "email": gettext_lazy("Same email address"),
    "register_id": gettext_lazy("Same Transparency Register ID"),
}

# Legal forms that say nothing about which organisation it is ("Telepass S.p.A." is Telepass).
LEGAL_FORMS = {
    "ab", "ag", "as", "asbl", "aisbl", "bv", "co", "corp", "corporation", "cv", "eg", "ev",
    "gmbh", "inc", "kft", "llc", "limited", "ltd", "nv", "oy", "oyj", "plc", "sa", "sarl",
    "sas", "se", "spa", "sprl", "srl", "sro", "the", "vzw",
}  # fmt: skip
# Hosts many organisations share: the same one is no sign of the same organisation.
SHARED_HOSTS = {"facebook.com", "linkedin.com", "twitter.com", "x.com", "github.com", "google.com"}


def organisation_name_key(name: str) -> str:
    """ "Telepass S.p.A. (TLP)" and "TELEPASS SPA" give the same key."""
    text = fold(name)
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)  # a trailing "(ACRONYM)", as the register has
    text = text.replace(".", "")
    words = re.findall(r"[^\W_]+", text)
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return "".join(words)


_NOT_WORD = re.compile(r"[\W_]+")


def person_name_key(first_name: str, last_name: str) -> str:
    return _NOT_WORD.sub("", fold(f"{first_name} {last_name}"))


def email_key(email: str) -> str:
    local, _at, domain = (email or "").strip().lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if domain else ""


def website_key(url: str) -> str:
    if not url:
        return ""
    host = urlsplit(url if "://" in url else f"https://{url}").hostname or ""
    host = host.lower().removeprefix("www.")
    return "" if host in SHARED_HOSTS else host


def _pairs_from_groups(groups: dict, reason: str, pairs: dict) -> None:
    for members in groups.values():
        if 1 < len(members) <= MAX_GROUP:
            for a, b in itertools.combinations(sorted(members), 2):
                pairs.setdefault((a, b), set()).add(reason)


_NUMBER = re.compile(r"\d+")


def _numbered_apart(name_a: str, name_b: str) -> bool:
    """Both names carry numbers and not the same ones ("Region 1 Health Board", "Region 2
    Health Board"): near-identical spellings of different organisations."""
    numbers_a, numbers_b = _NUMBER.findall(name_a), _NUMBER.findall(name_b)
    return bool(numbers_a and numbers_b) and numbers_a != numbers_b


def _similar_organisation_names_postgresql(pairs: dict) -> None:
    """Sorted neighbourhood: each name is compared, by trigram similarity, with the next few
    names in alphabetical order and in the order of their reversed spelling (so that a typo at
    either end still meets its twin). Linear in the number of organisations, unlike a
    self-join on the trigram index, whose common trigrams make every probe long."""
    leads = ", ".join(f"lead(id, {k}) OVER w" for k in range(1, WINDOW + 1))
    names = ", ".join(f"lead(search_name, {k}) OVER w" for k in range(1, WINDOW + 1))
    with connection.cursor() as cursor:
        for order in ("search_name", "reverse(search_name)"):
            # Only constants are formatted into the query.
            query = (
                "SELECT id, other_id, search_name, other_name FROM ("  # noqa: S608
                f"  SELECT id, search_name, unnest(ARRAY[{leads}]) AS other_id,"
                f"  unnest(ARRAY[{names}]) AS other_name"
                "   FROM crm_organisation WHERE length(search_name) > 3"
                f"  WINDOW w AS (ORDER BY {order})"
                ") AS neighbours "
                "WHERE other_id IS NOT NULL AND search_name <> other_name "
                "AND similarity(search_name, other_name) >= %s"
            )
            cursor.execute(query, [SIMILARITY])
            for a, b, name_a, name_b in cursor.fetchall():
                if not _numbered_apart(name_a, name_b):
                    pairs.setdefault((min(a, b), max(a, b)), set()).add("similar_name")


def _similar_names_elsewhere(rows: list[tuple[int, str]], pairs: dict) -> None:
    """Without trigram similarity: the same sorted neighbourhood, compared with difflib."""
    rows = [(pk, name) for pk, name in rows if len(name) > 3]
    for key in (lambda r: r[1], lambda r: r[1][::-1]):
        ordered = sorted(rows, key=key)
        for i, (a, name_a) in enumerate(ordered):
            for b, name_b in ordered[i + 1 : i + 1 + WINDOW]:
                if (
                    name_a != name_b
                    and not _numbered_apart(name_a, name_b)
                    and difflib.SequenceMatcher(None, name_a, name_b).ratio() >= SIMILARITY + 0.1
                ):
                    pairs.setdefault((min(a, b), max(a, b)), set()).add("similar_name")


def find_organisation_duplicates() -> dict[tuple[int, int], set[str]]:
    names, sites = defaultdict(list), defaultdict(list)
    keys = []
    rows = Organisation.objects.values_list("pk", "name", "website").iterator(chunk_size=5000)
    for pk, name, website in rows:
        key = organisation_name_key(name)
        keys.append((pk, fold(name)))
        if key:
            names[key].append(pk)
        if site := website_key(website):
            sites[site].append(pk)
    pairs: dict = {}
    _pairs_from_groups(names, "name", pairs)
    _pairs_from_groups(sites, "website", pairs)
    if connection.vendor == "postgresql":
        _similar_organisation_names_postgresql(pairs)
    else:
        _similar_names_elsewhere(keys, pairs)
    return pairs


def find_person_duplicates() -> dict[tuple[int, int], set[str]]:
    """The same email once normalised; or the same name at the same email domain (the same
    name alone is common in a CRM of this size, and says little)."""
    emails, names = defaultdict(list), defaultdict(list)
    rows = Person.objects.values_list("pk", "search_text", "email")
    for pk, search_text, email in rows.iterator(chunk_size=10000):
        key = email_key(email)
        if key:
            emails[key].append(pk)
        # `search_text` is the folded "first last email": the name is all but the last word.
        name = _NOT_WORD.sub("", search_text.rpartition(" ")[0])
        if name and key:
            names[f"{name}@{key.partition('@')[2]}"].append(pk)
    pairs: dict = {}
    _pairs_from_groups(emails, "email", pairs)
    _pairs_from_groups(names, "name", pairs)
    return pairs


FINDERS = {"organisation": find_organisation_duplicates, "person": find_person_duplicates}
# The strongest reasons first, so that the pairs most likely the same are reviewed first.
STRENGTH = {"register_id": 0, "email": 1, "website": 2, "name": 3, "similar_name": 4}


def scan(kind: str) -> dict:
    pairs = FINDERS[kind]()
    ordered = sorted(
        pairs.items(),
        key=lambda item: (-len(item[1]), min(STRENGTH[r] for r in item[1]), item[0]),
    )
    return {
        "kind": kind,
        "total": len(ordered),
        "pairs": [[a, b, sorted(reasons)] for (a, b), reasons in ordered[:MAX_PAIRS]],
    }


@transaction.atomic
def duplicate_scan_start(*, user, kind: str):
    """Start a scan of one kind of records; its pairs are the job's result."""
    from core.access import require_staff
    from core.audit import audit_log
    from core.jobs import job_enqueue

    require_staff(user, f"crm.change_{kind}")
    job = job_enqueue(kind=SCAN_JOB, user=user, params={"kind": kind})
    audit_log(actor=user, action="crm.duplicates.scanned", subject=job, data={"kind": kind})
    return job


def _can_view_scan(user, job) -> bool:
    kind = job.params.get("kind", "")
    return user.has_perm(f"crm.change_{kind}")


@job_kind(SCAN_JOB, can_view=_can_view_scan)
def run_scan(job, progress):
    kind = job.params.get("kind")
    if kind not in FINDERS:
        return JobResult(data={"kind": kind, "total": 0, "pairs": []})
    progress(10, _("Comparing records"))
    result = scan(kind)
    result["summary"] = _("%(n)d possible duplicates found.") % {"n": result["total"]}
    return JobResult(data=result)
