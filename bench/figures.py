"""The public register, its open data and the back office's home at the programme's scale,
served from the cached aggregate of `pact/figures.py`.

    .venv/bin/python bench/figures.py       (or: make bench-figures)

1. recreates the PostgreSQL database (BENCH_FIGURES_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/aioffice_figures) and migrates it;
2. seeds with `bench/reads.py seed` at 100,000 organisations and 5,000 pledges
   (BENCH_FIGURES_ORGANISATIONS, BENCH_FIGURES_PLEDGES), then adds what the dashboard counts:
   network members, progress reports, events with registrations, open calls with
   applications; the staff member gets every staff role;
3. in-process: times building the aggregate from the database (what the first request after
   a publication pays) and counts each page's SQL queries;
4. empties the benchmark's Redis database (CACHE_URL, default redis://127.0.0.1:6379/12: the
   cache every gunicorn worker shares), starts gunicorn (BENCH_WORKERS, 4) on 127.0.0.1:8170
   and measures each page with BENCH_FIGURES_CLIENTS (4) concurrent visitors, then from one
   client alone;
5. writes the section "Figures at scale" of bench/RESULTS.md (replacing the previous run's).

Traffic goes only to 127.0.0.1; every request has a timeout.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from stack import (
    PYTHON,
    ROOT,
    machine,
    percentile,
    recreate_database,
    start_gunicorn,
    stop_gunicorn,
)

DATABASE_URL = os.environ.get(
    "BENCH_FIGURES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aioffice_figures"
)
CACHE_URL = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/12")
PORT = int(os.environ.get("BENCH_FIGURES_PORT", "8170"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CLIENTS = int(os.environ.get("BENCH_FIGURES_CLIENTS", "4"))
REQUESTS = int(os.environ.get("BENCH_FIGURES_REQUESTS", "200"))
ORGANISATIONS = int(os.environ.get("BENCH_FIGURES_ORGANISATIONS", "100000"))
PLEDGES = int(os.environ.get("BENCH_FIGURES_PLEDGES", "5000"))
PEOPLE = int(os.environ.get("BENCH_FIGURES_PEOPLE", "30000"))
TARGETS = {"register": 150, "open_data": 100, "dashboard": 150}


def _env() -> dict:
    from stack import stack_env

    return {
        **stack_env(DATABASE_URL),
        "CACHE_URL": CACHE_URL,
        "BENCH_READS_ORGANISATIONS": str(ORGANISATIONS),
        "BENCH_READS_PLEDGES": str(PLEDGES),
        "BENCH_READS_PEOPLE": str(PEOPLE),
    }


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


def _last_json(out: str):
    return json.loads(out.strip().splitlines()[-1])


# --- in a subprocess, with Django set up on the benchmark database --------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _staff_session(staff) -> str:
    """A session of `staff` that completed the second factor in this sign-in, as the staff
    pages require."""
    from datetime import timedelta

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(staff.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: staff.get_session_auth_hash(),
            AUTHENTICATION_METHODS_SESSION_KEY: [
                {"method": "password", "at": time.time()},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ],
            _AUTHENTICATION_METHODS_USER_SESSION_KEY: str(staff.pk),
        }
    )
    store.set_expiry(timezone.now() + timedelta(days=1))
    store.save()
    return store.session_key


def _seed_more():
    """What the dashboard and the figures page count, beyond the register (bulk_create)."""
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from crm.models import Organisation, Person
    from crm.roles import BODY_SECRETARIAT, EVENTS_MANAGER, PACT_OFFICER
    from forums.models import Application, Body, Call, Event, Registration
    from pact.models import NetworkMembership, Pledge, ProgressReport

    rng = random.Random(20261203)
    now = timezone.now()
    staff = get_user_model().objects.get(username="reads-staff@example.org")
    staff.groups.set(
        Group.objects.filter(name__in=[PACT_OFFICER, EVENTS_MANAGER, BODY_SECRETARIAT])
    )

    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    members = rng.sample(organisation_ids, min(3300, len(organisation_ids)))
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                organisation_id=pk,
                interests=["webinars"],
                contact_email=f"network{pk}@example.eu",
                publish_name=pk % 2 == 0,
            )
            for pk in members
        ],
        batch_size=2000,
    )
    # joined over the last two years, not all today
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pact_networkmembership SET joined_at = now() - (id % 700) * interval '1 day'"
        )
    published = list(
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED).values_list(
            "pk", "next_report_due", "published_at"
        )
    )
    reports = []
    for pk, due, published_at in published:
        if due is None or rng.random() > 0.4:
            continue
        accepted = rng.random() < 0.6
        reports.append(
            ProgressReport(
                pledge_id=pk,
                due_on=due,
                status=ProgressReport.Status.ACCEPTED
                if accepted
                else ProgressReport.Status.SUBMITTED,
                submitted_at=published_at + timedelta(days=360),
                accepted_at=published_at + timedelta(days=370) if accepted else None,
            )
        )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)

    people = list(Person.objects.values_list("pk", flat=True)[:20000])
    events = Event.objects.bulk_create(
        [
            Event(
                title=f"AI Pact webinar {n}",
                starts_at=now + timedelta(days=n * 7 - 240),
                ends_at=now + timedelta(days=n * 7 - 240, hours=2),
                capacity=rng.choice((100, 300, 500, None)),
                status=Event.Status.PUBLISHED,
            )
            for n in range(48)
        ]
    )
    registrations = []
    for event in events:
        for person in rng.sample(people, rng.randint(80, 400)):
            registrations.append(
                Registration(
                    event=event,
                    person_id=person,
                    status=rng.choice(("confirmed",) * 8 + ("waitlisted", "cancelled")),
                    confirmed_at=now,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)

    body = Body.objects.create(
        name="Advisory Forum (bench)",
        slug="advisory-forum-bench",
        description="Bench",
        kind=Body.Kind.OTHER,
        legal_basis="Regulation (EU) 2024/1689",
        term_months=24,
        max_service_months=48,
    )
    calls = [
        Call.objects.create(
            body=body,
            title=f"Call for applications {n}",
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=20 + n),
            roles=["member"],
            status=Call.Status.PUBLISHED,
        )
        for n in range(3)
    ]
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                kind=Application.Kind.INDIVIDUAL,
                person_id=person,
                role="member",
                status=rng.choice(("submitted",) * 9 + ("draft",)),
                submitted_at=now,
            )
            for call in calls
            for person in rng.sample(people, 700)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        json.dumps(
            {
                "network": len(members),
                "reports": len(reports),
                "events": len(events),
                "registrations": len(registrations),
                "applications": Application.objects.count(),
                "staff_session": _staff_session(staff),
            }
        )
    )


def _in_process():
    """The aggregate's build time from the database, and each page's SQL queries (warm)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pact import figures

    settings.ALLOWED_HOSTS = ["*"]
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        built = figures._build(0)
        builds.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    cache.set("bench:figures:probe", built, timeout=60)
    store_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    cache.get("bench:figures:probe")
    load_ms = (time.perf_counter() - started) * 1000
    cache.delete("bench:figures:probe")

    staff = get_user_model().objects.get(username="reads-staff@example.org")
    anonymous, signed_in = Client(), Client()
    signed_in.cookies["sessionid"] = _staff_session(staff)
    queries = {}
    for path, client in (
        ("/pact/", anonymous),
        ("/pact/figures/", anonymous),
        ("/pact/signatories.csv", anonymous),
        ("/crm/", signed_in),
    ):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries[path] = {"status": response.status_code, "queries": len(captured)}
    print(
        json.dumps(
            {
                "build_ms": sorted(builds),
                "cache_store_ms": store_ms,
                "cache_load_ms": load_ms,
                "pledges_in_register": len(built.pledges),
                "queries": queries,
            }
        )
    )


# --- the driver --------------------------------------------------------------------------------


def _pages(seed: dict) -> list[dict]:
    fragments = seed["register_fragments"]
    return [
        {"name": "`/pact/`", "paths": ["/pact/"], "target": TARGETS["register"]},
        {"name": "`/pact/?country=DE`", "paths": ["/pact/?country=DE"]},
        {"name": "`/pact/?commitment=PROV-3`", "paths": ["/pact/?commitment=PROV-3"]},
        {"name": "`/pact/?q=<name fragment>`", "paths": [f"/pact/?q={f}" for f in fragments]},
        {"name": "`/pact/figures/`", "paths": ["/pact/figures/"]},
        {
            "name": "`/pact/signatories.csv` (whole file, from the cache)",
            "paths": ["/pact/signatories.csv"],
            "target": TARGETS["open_data"],
        },
        {
            "name": "`/pact/signatories.json` (whole file, from the cache)",
            "paths": ["/pact/signatories.json"],
            "target": TARGETS["open_data"],
        },
        {
            "name": "`/pact/signatories.csv?country=DE`",
            "paths": ["/pact/signatories.csv?country=DE"],
        },
        {
            "name": "`/crm/` dashboard (staff with every role), one staff member",
            "paths": ["/crm/"],
            "staff": True,
            "clients": 1,
            "target": TARGETS["dashboard"],
        },
        {
            "name": f"`/crm/` dashboard, {CLIENTS} staff members at once",
            "paths": ["/crm/"],
            "staff": True,
        },
    ]


def _measure(page: dict, session: str) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    from reads import _get  # the same HTTP client as the reads benchmark

    cookie = session if page.get("staff") else None
    paths = page["paths"]
    for path in paths:
        for _ in range(3):
            _get(path, cookie)
    latencies, statuses, sizes = [], {}, []

    def one(n):
        status, seconds, size = _get(paths[n % len(paths)], cookie)
        latencies.append(seconds * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        sizes.append(size)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=page.get("clients", CLIENTS)) as pool:
        list(pool.map(one, range(REQUESTS)))
    elapsed = time.perf_counter() - started
    alone = [_get(paths[n % len(paths)], cookie)[1] * 1000 for n in range(REQUESTS // 4)]
    return {
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "rate": REQUESTS / elapsed,
        "alone_p50": percentile(alone, 0.5),
        "alone_p95": percentile(alone, 0.95),
        "statuses": statuses,
        "kib": sum(sizes) / len(sizes) / 1024,
    }


def _write(machine_info, seed, more, inproc, pages, loads, load_before) -> str:
    sizes = seed["sizes"]
    rows = []
    for page, load in zip(pages, loads, strict=True):
        target = page.get("target")
        verdict = "—"
        if target:
            verdict = f"p95 < {target} ms: " + ("**met**" if load["p95"] < target else "**missed**")
        rows.append(
            f"| {page['name']} | {load['p50']:.0f} / **{load['p95']:.0f}** / {load['p99']:.0f} | "
            f"{load['rate']:.0f} | {load['alone_p50']:.0f} / {load['alone_p95']:.0f} | "
            f"{load['kib']:.0f} KiB | {load['statuses']} | {verdict} |"
        )
    builds = inproc["build_ms"]
    query_lines = ", ".join(f"`{path}` {q['queries']}" for path, q in inproc["queries"].items())
    lines = [
        "",
        "## Figures at scale",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/figures.py`.",
        "",
        f"- Machine: {machine_info['cpu']}, `nproc` = {machine_info['nproc']}, "
        f"{machine_info['memory']}; Python {machine_info['python']}, PostgreSQL "
        f"{machine_info['postgres']}, Redis as the shared cache, Django 5.2, gunicorn with "
        f"{WORKERS} sync workers on 127.0.0.1 (DEBUG off); the load generator runs on the same "
        f"cores, which other work shared during the run (load average before: {load_before}).",
        f"- Data (bulk_create, then VACUUM ANALYZE): {sizes['organisations']} organisations "
        f"({sizes['organisation_sectors']} sector links), {sizes['people']} people, "
        f"{sizes['pledges']} pledges ({sizes['pledges_in_register']} in the public register) "
        f"with {sizes['pledge_commitments']} commitments; {more['network']} network members, "
        f"{more['reports']} progress reports, {more['events']} events with "
        f"{more['registrations']} registrations, 3 open calls with {more['applications']} "
        "applications.",
        f"- Each page: {REQUESTS} requests from {CLIENTS} concurrent visitors (http.client "
        f"threads), then {REQUESTS // 4} from one client alone. The register, the figures page "
        "and the open data read the aggregate of `pact/figures.py` from the cache; the "
        "dashboard counts its figures on every request (its per-month charts every five "
        "minutes).",
        "",
        f"| page | p50 / p95 / p99 with {CLIENTS} visitors, unless said (ms) | requests/s "
        "| one client alone p50 / p95 (ms) | response | HTTP statuses | target |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"- Building the aggregate from PostgreSQL (what the first request after a publication "
        f"or withdrawal pays, once): {builds[len(builds) // 2]:.0f} ms median of {len(builds)} "
        f"({builds[0]:.0f} to {builds[-1]:.0f}); storing it in Redis "
        f"{inproc['cache_store_ms']:.0f} ms, reading it back "
        f"{inproc['cache_load_ms']:.0f} ms (a worker reads it once per "
        "generation, then keeps it in memory and asks Redis only for the generation number).",
        f"- SQL queries per request, warm: {query_lines}.",
        "- Before the aggregate, issue 9 measured at 100,000 organisations and 3,000 pledges: "
        "`/pact/` 434 ms at p95 for one visitor alone and 1.2 s under eight (seven SQL "
        "aggregates per request), and each open-data file about 1 s to build on every request "
        "(4.6 s under load).",
        "",
    ]
    path = ROOT / "bench" / "RESULTS.md"
    previous = path.read_text(encoding="utf-8")
    head, _sep, tail = previous.partition("\n## Figures at scale")
    rest = ""
    if tail:
        following = tail.find("\n## ")
        rest = tail[following:] if following != -1 else ""
    path.write_text(head.rstrip("\n") + "\n" + "\n".join(lines) + rest, encoding="utf-8")
    return "\n".join(lines)


def _flush_cache():
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def main():
    print(f"Recreating {DATABASE_URL} and migrating…", flush=True)
    recreate_database(DATABASE_URL)
    _run("manage.py", "migrate", "--noinput")
    print(f"Seeding {ORGANISATIONS} organisations and {PLEDGES} pledges…", flush=True)
    started = time.perf_counter()
    seed = _last_json(_run(str(ROOT / "bench" / "reads.py"), "seed"))
    more = _last_json(_run(str(Path(__file__).resolve()), "seed-more"))
    print(f"  seeded in {time.perf_counter() - started:.0f} s: {seed['sizes']} {more}", flush=True)
    _flush_cache()
    inproc = _last_json(_run(str(Path(__file__).resolve()), "in-process"))
    print(f"  in-process: {inproc}", flush=True)
    _flush_cache()

    os.environ["CACHE_URL"] = CACHE_URL
    pidfile = Path(tempfile.mkdtemp(prefix="figures-bench-")) / "gunicorn.pid"
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    process = start_gunicorn(
        database_url=DATABASE_URL,
        port=PORT,
        workers=WORKERS,
        pidfile=pidfile,
        ready_path="/pact/open-data/",
        timeout=120,
    )
    pages = _pages(seed)
    loads = []
    try:
        import reads

        reads.PORT = PORT
        for page in pages:
            loads.append(_measure(page, more["staff_session"]))
            load = loads[-1]
            print(
                f"  {page['name']}: p50 {load['p50']:.0f} p95 {load['p95']:.0f} ms, alone p95 "
                f"{load['alone_p95']:.0f} ms, {load['rate']:.0f}/s {load['statuses']}",
                flush=True,
            )
    finally:
        stop_gunicorn(process, pidfile)
    print(_write(machine(DATABASE_URL), seed, more, inproc, pages, loads, load_before))
    for page, load in zip(pages, loads, strict=True):
        assert set(load["statuses"]) == {200}, (page["name"], load["statuses"])


if __name__ == "__main__":
    if sys.argv[1:] == ["seed-more"]:
        _django()
        _seed_more()
    elif sys.argv[1:] == ["in-process"]:
        _django()
        _in_process()
    else:
        main()
