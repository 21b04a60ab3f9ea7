"""Read-side benchmark at scale: the public pledge register and the CRM search.

    .venv/bin/python bench/reads.py            (or: make bench-reads)

1. recreates the PostgreSQL database `reads_bench` and migrates it;
2. seeds, with bulk_create, about the scale of the real programme and beyond: 20,000
   organisations (with sectors), 50,000 people with affiliations, 3,000 pledges in every
   status (the published ones with their commitments), and a staff member with TOTP set up
   and a session (`reads.py seed`, run in a subprocess);
3. counts the SQL queries of each page in-process (CaptureQueriesContext) and EXPLAINs the
   searches of the register and of the CRM (`reads.py queries`, run in a subprocess);
4. starts gunicorn with several workers on 127.0.0.1:8160 (DEBUG off) and measures latency
   p50/p95/p99 and requests per second of each page from several concurrent clients;
5. writes the section "Reads at scale" of bench/RESULTS.md (replacing the previous run's).

Bounded: a fixed number of requests per page, each with a timeout, and traffic only to
127.0.0.1. Environment: BENCH_READS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/reads_bench), BENCH_READS_PORT (8160), BENCH_WORKERS (4),
BENCH_READS_CLIENTS (8), BENCH_READS_REQUESTS (160 per page; a tenth for the whole-file
downloads), BENCH_READS_ORGANISATIONS (20000), BENCH_READS_PEOPLE (50000),
BENCH_READS_PLEDGES (3000).
"""

import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from stack import (
    HOST,
    PYTHON,
    ROOT,
    machine,
    percentile,
    recreate_database,
    sql,
    stack_env,
    start_gunicorn,
    stop_gunicorn,
)

PORT = int(os.environ.get("BENCH_READS_PORT", "8160"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CLIENTS = int(os.environ.get("BENCH_READS_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_READS_REQUESTS", "160"))
ORGANISATIONS = int(os.environ.get("BENCH_READS_ORGANISATIONS", "20000"))
PEOPLE = int(os.environ.get("BENCH_READS_PEOPLE", "50000"))
PLEDGES = int(os.environ.get("BENCH_READS_PLEDGES", "3000"))
DATABASE_URL = os.environ.get(
    "BENCH_READS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reads_bench"
)
REQUEST_TIMEOUT = 60
SLOW_P95_MS = 300

# Shares of the pledges in each status (the rest of the published ones are left out of the
# register by their organisation's choice: see `_seed`).
PLEDGE_STATUSES = {
    "published": 0.66,
    "draft": 0.10,
    "submitted": 0.08,
    "returned": 0.05,
    "rejected": 0.04,
    "withdrawn": 0.07,
}

SYLLABLES = (
    "ak al an ar ba be bo da de do el en er fa fi ga ha he in ka ke ko la le li lo ma me mi mo "
    "na ne no or pa pe ra re ri ro sa se si so ta te ti to ul va ve vi vo za ze"
).split()
ORG_WORDS = (
    "Analytics Systems Labs Robotics Health Mobility Energy Logistics Insurance Bank Media "
    "Software Vision Data Medical Foods Telecom Security Cloud Mining Retail Chemicals"
).split()
LEGAL_FORMS = "GmbH SA SAS BV NV Ltd Oy AB AS SpA SL Sp.z.o.o. s.r.o. Kft. ApS AG".split()
FIRST_NAMES = (
    "Anna Marie Sofia Elena Laura Julia Eva Ines Lucia Maja Nina Clara Ida Paula Alice Hanna "
    "Jan Peter Luca Marco Pierre Jonas Lukas Mateo Tomas Mikael Karl David Piotr Joao Niels"
).split()
COUNTRIES = (
    "DE FR IT ES NL BE PL SE AT DK FI IE PT CZ RO HU GR SK BG HR SI LT LV EE LU MT CY "
    "US GB CH NO JP CA IL KR IN"
).split()


def _env() -> dict:
    return stack_env(DATABASE_URL)


def _sql(query: str) -> list[tuple]:
    return sql(DATABASE_URL, query)


# --- in a subprocess, with Django set up on the benchmark database --------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _seed():
    """Bulk-create the data; print JSON with the staff session and what the load asks for."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from crm.countries import hq_region_for
    from crm.models import Affiliation, Organisation, Person, Sector, prepared
    from crm.roles import PACT_OFFICER
    from pact.models import AIRole, Commitment, Pledge, PledgeCommitment

    rng = random.Random(20261124)
    now = timezone.now()
    batch = 2000

    sectors = list(Sector.objects.all())
    types = [value for value, _label in Organisation.Type.choices]
    sizes = [value for value, _label in Organisation.Size.choices] + [""]
    org_roles = [value for value, _label in Organisation.AIRole.choices]
    organisations = []
    for i in range(ORGANISATIONS):
        country = rng.choice(COUNTRIES)
        root = _word(rng, rng.choice((2, 3, 3)))
        name = f"{root} {rng.choice(ORG_WORDS)} {rng.choice(LEGAL_FORMS)}"
        organisations.append(
            Organisation(
                name=name,
                acronym=root[:4].upper() if i % 3 == 0 else "",
                transparency_register_id=(
                    f"{10_000_000_000 + i * 7919:011d}-{10 + i % 90}" if i % 2 == 0 else None
                ),
                country=country,
                hq_region=hq_region_for(country),
                type=rng.choice(types),
                size=rng.choice(sizes),
                ai_role=rng.choice(org_roles),
                website=f"https://www.{root.lower()}{i}.example.eu",
                status=(Organisation.Status.PENDING if i % 50 == 0 else Organisation.Status.ACTIVE),
            )
        )
    organisations = Organisation.objects.bulk_create(prepared(organisations), batch_size=batch)
    Through = Organisation.sectors.through
    Through.objects.bulk_create(
        (
            Through(organisation_id=o.pk, sector_id=s.pk)
            for o in organisations
            for s in rng.sample(sectors, rng.choice((1, 1, 2, 3)))
        ),
        batch_size=batch,
    )

    surnames = sorted({_word(rng, rng.choice((2, 3, 3, 4))) for _ in range(12000)})
    people = Person.objects.bulk_create(
        prepared(
            Person(
                first_name=(first := rng.choice(FIRST_NAMES)),
                last_name=(last := rng.choice(surnames)),
                email=f"{first}.{last}.{i}@example.eu".lower(),
                nationality=rng.choice(COUNTRIES),
                preferred_language=rng.choice(("en", "en", "fr", "de")),
            )
            for i in range(PEOPLE)
        ),
        batch_size=batch,
    )
    affiliations = []
    for i, person in enumerate(people):
        first, second = rng.sample(organisations, 2)
        affiliations.append(
            Affiliation(
                person=person,
                organisation=first,
                position="Head of AI governance",
                is_representative=i % 10 == 0,
            )
        )
        if i % 5 == 0:
            affiliations.append(
                Affiliation(
                    person=person,
                    organisation=second,
                    position="Adviser",
                    status=rng.choice(list(Affiliation.Status)),
                )
            )
    Affiliation.objects.bulk_create(affiliations, batch_size=batch)

    catalogue = list(Commitment.objects.filter(is_current=True).order_by("order", "code"))
    statuses = []
    for status, share in PLEDGE_STATUSES.items():
        statuses += [status] * round(share * PLEDGES)
    statuses = (statuses + ["published"] * PLEDGES)[:PLEDGES]
    rng.shuffle(statuses)
    signers = rng.sample(organisations, PLEDGES)
    pledges = []
    for i, (organisation, status) in enumerate(zip(signers, statuses, strict=True)):
        published = status == "published" or (status == "withdrawn" and i % 4 != 0)
        published_at = now - timedelta(days=rng.randint(1, 700)) if published else None
        pledges.append(
            Pledge(
                organisation=organisation,
                status=status,
                ai_role=rng.choice(list(AIRole)),
                language=rng.choice(("en", "en", "fr", "de")),
                best_effort=i % 7 == 0,
                signatory_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(surnames)}",
                signatory_function="Chief executive officer",
                authority_confirmed=status != "draft",
                publish_in_register=i % 20 != 0,
                submitted_at=None if status == "draft" else now - timedelta(days=800),
                published_at=published_at,
                withdrawn_at=now - timedelta(days=rng.randint(0, 30))
                if status == "withdrawn"
                else None,
                next_report_due=(published_at + timedelta(days=365)).date()
                if published_at
                else None,
            )
        )
    pledges = Pledge.objects.bulk_create(pledges, batch_size=batch)
    PledgeCommitment.objects.bulk_create(
        (
            PledgeCommitment(
                pledge=pledge,
                commitment=commitment,
                text=commitment.text,
                planned_actions="Train the staff, map the AI systems in use, name an owner.",
                target_date=(now + timedelta(days=rng.randint(30, 600))).date(),
                implementation_status=rng.choice(("planned", "partial", "full")),
            )
            for pledge in pledges
            if pledge.status != "draft"
            for commitment in catalogue
            if commitment.applies_to(pledge.ai_role) and (commitment.is_core or rng.random() < 0.6)
        ),
        batch_size=batch,
    )

    User = get_user_model()
    staff = User.objects.create(
        username="reads-staff@example.org",
        email="reads-staff@example.org",
        is_staff=True,
        password=make_password(None),
    )
    staff.groups.set(Group.objects.filter(name=PACT_OFFICER))
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    session_key = get_random_string(32)
    Session.objects.create(
        session_key=session_key,
        session_data=SessionStore().encode(
            {
                SESSION_KEY: str(staff.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: staff.get_session_auth_hash(),
            }
        ),
        expire_date=now + timedelta(days=1),
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics as a database in service has them

    # What the load asks for: fragments of names that exist, in varied selectivity.
    in_register = [p for p in pledges if p.status == "published" and p.publish_in_register]
    published = [p.pk for p in in_register]
    org_fragments = sorted({o.name.split()[0][:5].lower() for o in rng.sample(organisations, 8)})
    register_fragments = sorted(
        {p.organisation.name.split()[0][:4].lower() for p in rng.sample(in_register, 8)}
    )
    surname_fragments = sorted({p.last_name[:5].lower() for p in rng.sample(people, 8)})
    print(
        json.dumps(
            {
                "staff_session": session_key,
                "published": published[:200],
                "org_fragments": org_fragments,
                "register_fragments": register_fragments,
                "surname_fragments": surname_fragments,
                "country": "DE",
                "commitment": "PROV-3",
                "sizes": {
                    "organisations": Organisation.objects.count(),
                    "organisation_sectors": Through.objects.count(),
                    "people": Person.objects.count(),
                    "affiliations": Affiliation.objects.count(),
                    "pledges": Pledge.objects.count(),
                    "pledges_by_status": {
                        s: Pledge.objects.filter(status=s).count() for s in PLEDGE_STATUSES
                    },
                    "pledges_in_register": len(published),
                    "pledge_commitments": PledgeCommitment.objects.count(),
                },
            }
        )
    )


def _shape(sql: str) -> str:
    """The SQL with its literal values taken out, to spot the same query run once per row."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _plan_summary(plan: dict) -> dict:
    nodes = []

    def walk(node):
        relation = node.get("Relation Name")
        index = node.get("Index Name")
        if relation or index:
            nodes.append(f"{node['Node Type']} {index or relation}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return {
        "top": plan["Plan"]["Node Type"],
        "scans": nodes,
        "ms": round(plan.get("Execution Time", 0.0), 1),
    }


def _queries(pages: list[dict]):
    """For each page: status, number of SQL queries, the most repeated query shape, and for the
    searches the EXPLAIN ANALYZE of each query that filters by a name (LIKE)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    staff = get_user_model().objects.get(username="reads-staff@example.org")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)
    results = []
    for page in pages:
        client = signed_in if page["staff"] else anonymous
        client.get(page["paths"][0])  # warm: content types, translations, templates
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["paths"][0])
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elapsed_ms = (time.perf_counter() - started) * 1000
        sqls = [q["sql"] for q in captured.captured_queries]
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        shapes: dict[str, int] = {}
        for statement in sqls:
            shapes[_shape(statement)] = shapes.get(_shape(statement), 0) + 1
        repeated = max(shapes.items(), key=lambda item: item[1]) if shapes else ("", 0)
        plans = []
        if page.get("explain"):
            for sql in sqls:
                if " LIKE " not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                plans.append({"sql": sql[:160], **_plan_summary(plan[0])})
        results.append(
            {
                "name": page["name"],
                "status": response.status_code,
                "queries": len(sqls),
                "ms": round(elapsed_ms),
                "sql_ms": round(sql_ms),
                "most_repeated": repeated[1],
                "most_repeated_sql": repeated[0][:160],
                "sql": [s[:140] for s in sqls],
                "plans": plans,
            }
        )
    print(json.dumps(results))


# --- the driver --------------------------------------------------------------------------------


def _run(*args, stdin: str = "") -> str:
    return subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    ).stdout


def _self(mode: str, stdin: str = ""):
    out = _run(str(Path(__file__).resolve()), mode, stdin=stdin)
    return json.loads(out.strip().splitlines()[-1])


def _get(path: str, session: str | None) -> tuple[int, float, int]:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        headers = {"Accept": "text/html", "Accept-Language": "en"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        size = len(response.read())
        return response.status, time.perf_counter() - started, size
    finally:
        conn.close()


def _load(page: dict, session: str) -> dict:
    """`page["requests"]` GETs of the page's paths in turn, from `page["clients"]` clients."""
    paths = page["paths"]
    count = page["requests"]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    lock = threading.Lock()

    def one(n):
        status, seconds, size = _get(paths[n % len(paths)], session if page["staff"] else None)
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(seconds)
            sizes.append(size)

    for path in paths:  # each worker process warms up on its own; a few requests suffice
        for _ in range(2):
            _get(path, session if page["staff"] else None)
    # One client alone: the page's own time, without queueing behind the others.
    alone = [
        _get(paths[n % len(paths)], session if page["staff"] else None)[1] * 1000
        for n in range(max(5, count // 8))
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=page["clients"]) as pool:
        list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    ms = [seconds * 1000 for seconds in latencies]
    return {
        "requests": count,
        "clients": page["clients"],
        "rate": count / elapsed,
        "p50": percentile(ms, 0.5),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "alone_p50": percentile(alone, 0.5),
        "alone_p95": percentile(alone, 0.95),
        "statuses": statuses,
        "kib": sum(sizes) / len(sizes) / 1024,
    }


def _pages(seed: dict) -> list[dict]:
    whole = max(10, REQUESTS // 10)
    clients_whole = max(2, CLIENTS // 2)
    country = seed["country"]
    return [
        {"name": "`/pact/`", "paths": ["/pact/"]},
        {"name": f"`/pact/?country={country}`", "paths": [f"/pact/?country={country}"]},
        {
            "name": f"`/pact/?commitment={seed['commitment']}`",
            "paths": [f"/pact/?commitment={seed['commitment']}"],
        },
        {
            "name": "`/pact/?q=<name fragment>`",
            "paths": [f"/pact/?q={quote(f)}" for f in seed["register_fragments"]],
            "explain": True,
        },
        {
            "name": "`/pact/signatories/<id>/` (published pledge)",
            "paths": [f"/pact/signatories/{pk}/" for pk in seed["published"][:50]],
        },
        {
            "name": "`/pact/signatories.csv` (whole file)",
            "paths": ["/pact/signatories.csv"],
            "requests": whole,
            "clients": clients_whole,
        },
        {
            "name": "`/pact/signatories.json` (whole file)",
            "paths": ["/pact/signatories.json"],
            "requests": whole,
            "clients": clients_whole,
        },
        {
            "name": "`/crm/organisations/?q=<name fragment>` (staff)",
            "paths": [f"/crm/organisations/?q={quote(f)}" for f in seed["org_fragments"]],
            "staff": True,
            "explain": True,
        },
        {
            "name": f"`/crm/organisations/?country={country}&type=company&size=small` (staff)",
            "paths": [
                f"/crm/organisations/?country={country}&type=company&size=small",
                "/crm/organisations/?hq_region=EU&ai_role=provider&status=active",
            ],
            "staff": True,
        },
        {
            "name": "`/crm/people/?q=<surname fragment>` (staff)",
            "paths": [f"/crm/people/?q={quote(f)}" for f in seed["surname_fragments"]],
            "staff": True,
            "explain": True,
        },
    ]


def _plans_text(plans: list[dict]) -> str:
    if not plans:
        return ""
    uses_index = any(
        "Index" in scan and ("trgm" in scan or "lower" in scan)
        for plan in plans
        for scan in plan["scans"]
    )
    first = plans[-1]  # the page's rows; the count query comes before it
    scans = ", ".join(dict.fromkeys(first["scans"]))
    return f"{first['top']}: {scans} ({'index' if uses_index else 'no name index'})"


def _append_results(machine, seed, pages, loads, queries, load_before):
    sizes = seed["sizes"]
    by_status = ", ".join(f"{n} {s}" for s, n in sizes["pledges_by_status"].items())
    rows = []
    for page, load, counted in zip(pages, loads, queries, strict=True):
        flags = []
        if load["alone_p95"] > SLOW_P95_MS:
            flags.append("slow alone")
        elif load["p95"] > SLOW_P95_MS:
            flags.append("slow under load")
        if counted["most_repeated"] > 3:
            flags.append(f"same query ×{counted['most_repeated']}")
        if any(
            "Seq Scan crm_" in scan
            for plan in counted["plans"]
            for scan in plan["scans"]
            if "crm_organisation_sectors" not in scan
        ):
            flags.append("seq scan")
        rows.append(
            f"| {page['name']} | {load['p50']:.0f} / {load['p95']:.0f} / {load['p99']:.0f} | "
            f"{load['rate']:.1f} | {load['requests']} × {load['clients']} | "
            f"{load['alone_p50']:.0f} / {load['alone_p95']:.0f} | "
            f"{counted['queries']} ({counted['sql_ms']} of {counted['ms']} ms) | "
            f"{_plans_text(counted['plans']) or '—'} | "
            f"{load['kib']:.0f} KiB | {load['statuses']} | {', '.join(flags) or 'ok'} |"
        )
    plan_lines = []
    for page, counted in zip(pages, queries, strict=True):
        # The count of the paginator and the page's rows; the register's counts by dimension
        # in between filter the same way.
        plans = counted["plans"]
        for plan in plans[:1] + plans[-1:] if len(plans) > 1 else plans:
            plan_lines.append(
                f"- {page['name']}: top node **{plan['top']}**, {plan['ms']} ms; "
                f"scans: {', '.join(plan['scans'])}; `{plan['sql'][:110]}…`"
            )
    lines = [
        "",
        "## Reads at scale",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/reads.py` (`make bench-reads`).",
        "",
        f"- Machine: {machine['cpu']}, `nproc` = {machine['nproc']}, {machine['memory']}; "
        f"Python {machine['python']}, PostgreSQL {machine['postgres']}, Django 5.2, gunicorn "
        f"with {WORKERS} sync workers on 127.0.0.1 (DEBUG off); the load generator runs on the "
        f"same cores. Load average before the run: {load_before}.",
        f"- Data (bulk_create, then VACUUM ANALYZE): {sizes['organisations']} organisations "
        f"({sizes['organisation_sectors']} sector links), {sizes['people']} people with "
        f"{sizes['affiliations']} affiliations, {sizes['pledges']} pledges ({by_status}; "
        f"{sizes['pledges_in_register']} in the public register) with "
        f"{sizes['pledge_commitments']} commitments.",
        "- Each page is asked for a fixed number of times by several concurrent clients "
        "(http.client threads, one connection per request); searches rotate over a few "
        "fragments of names that exist. CRM pages as a staff member (Pact officer, TOTP set up) "
        "holding a session. Then an eighth as many requests from one client alone: the "
        f"page's own time without queueing (with {CLIENTS} clients on {os.cpu_count()} cores "
        "the latency under load is mostly waiting for a core). Queries counted in-process "
        "with `CaptureQueriesContext` (one request, warm process); plans by `EXPLAIN ANALYZE` "
        "of the page's name-filtering queries.",
        "",
        "| page | latency p50 / p95 / p99 (ms) | requests/s | requests × clients "
        "| one client alone p50 / p95 (ms) | SQL queries (SQL time of the whole, in-process) "
        "| plan of the search (rows query) | response | HTTP statuses | finding |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "### Plans of the searches",
        "",
        *plan_lines,
        "",
    ]
    # The section replaces the previous run's, after the registrations benchmark.
    path = ROOT / "bench" / "RESULTS.md"
    previous = path.read_text(encoding="utf-8")
    kept = previous.split("\n## Reads at scale", 1)[0].rstrip("\n") + "\n\n"
    path.write_text(kept + "\n".join(lines), encoding="utf-8")
    return "\n".join(lines)


def main():
    print(f"Recreating {DATABASE_URL} and migrating…", flush=True)
    recreate_database(DATABASE_URL)
    _run("manage.py", "migrate", "--noinput")
    print("Seeding…", flush=True)
    started = time.perf_counter()
    seed = _self("seed")
    print(f"  seeded in {time.perf_counter() - started:.0f} s: {seed['sizes']}", flush=True)
    pages = [
        {"staff": False, "explain": False, "requests": REQUESTS, "clients": CLIENTS, **page}
        for page in _pages(seed)
    ]
    print("Counting queries and explaining the searches…", flush=True)
    queries = _self("queries", stdin=json.dumps(pages))
    for counted in queries:
        print(f"  {counted['name']}: {counted['queries']} queries", flush=True)

    pidfile = Path(tempfile.mkdtemp(prefix="reads-bench-")) / "gunicorn.pid"
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    process = start_gunicorn(
        database_url=DATABASE_URL,
        port=PORT,
        workers=WORKERS,
        pidfile=pidfile,
        ready_path="/pact/open-data/",
        timeout=120,
    )
    loads = []
    try:
        for page in pages:
            loads.append(_load(page, seed["staff_session"]))
            load = loads[-1]
            print(
                f"  {page['name']}: p50 {load['p50']:.0f} p95 {load['p95']:.0f} "
                f"p99 {load['p99']:.0f} ms, {load['rate']:.1f}/s {load['statuses']}",
                flush=True,
            )
    finally:
        stop_gunicorn(process, pidfile)
    print(_append_results(machine(DATABASE_URL), seed, pages, loads, queries, load_before))
    for page, load in zip(pages, loads, strict=True):
        assert set(load["statuses"]) == {200}, (page["name"], load["statuses"])


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        _django()
        _seed()
    elif sys.argv[1:] == ["queries"]:
        _django()
        _queries(json.loads(sys.stdin.read()))
    else:
        main()
