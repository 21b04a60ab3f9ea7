# ruff: noqa: E402, E501 (Django is set up before the project's modules are imported; the
# report's Markdown lines are long)
"""Time the balance panel with 700 applicants and "Suggest a balanced slate" for 174 seats out
of 700 under the Advisory Forum's six rules, in-process, on a fresh PostgreSQL database.

    .venv/bin/python bench/bodies.py [postgres://postgres@127.0.0.1:5432/aioffice_bench_bodies]

Targets: panel p95 under 150 ms, slate under 2 s. Appends a section to bench/RESULTS.md.
"""

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stack import machine, percentile, recreate_database, stack_env

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aioffice_bench_bodies"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main(database_url: str, samples: int = 60) -> str:
    recreate_database(database_url)
    os.environ.update(stack_env(database_url))
    os.environ["STAFF_MFA_REQUIRED"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from forums import demo_bodies, selectors
    from forums.models import Application, BalanceRule, Call

    call_command("migrate", verbosity=0)
    demo_bodies.seed()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    settings.ALLOWED_HOSTS = ["*"]
    call = Call.objects.get(body__slug="advisory-forum")
    applicants = Application.objects.filter(call=call).count()
    submitted = Application.objects.filter(call=call, status="submitted").count()
    rules = BalanceRule.objects.filter(body=call.body).count()
    user = get_user_model().objects.create(
        username="bench-secretariat", email="bench-secretariat@example.eu", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Body secretariat"))
    client = Client()
    client.force_login(user)
    url = f"/crm/bodies/calls/{call.pk}/"
    assert client.get(url).status_code == 200  # warm
    page_ms = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(url)
        page_ms.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200
    panel_ms = []
    for _ in range(samples):
        started = time.perf_counter()
        selectors.balance_panel(user=user, call=call)
        panel_ms.append(1000 * (time.perf_counter() - started))
    slate_s = []
    for _ in range(5):
        started = time.perf_counter()
        chosen = selectors.slate_suggestion(user=user, call=call, seats=174)
        slate_s.append(time.perf_counter() - started)
    assert len(chosen) == 174
    info = machine(database_url)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""
## Expert bodies: balance panel and balanced slate

Run on {now} by `bench/bodies.py`, in-process (Django test client, DEBUG off), on a fresh
PostgreSQL database seeded by `seed_demo`'s expert-bodies step.

- Machine: {info["cpu"]}, `nproc` = {info["nproc"]}, {info["memory"]}; Python {info["python"]}, PostgreSQL {info["postgres"]}; shared with other work at the time (load average {os.getloadavg()[0]:.2f}).
- Data: the Advisory Forum call with {applicants} applications ({submitted} submitted), {rules} balance rules (commercial 40-60 %, SMEs a third of commercial, at least 20 civil society and 20 academia, no gender above 60 %), 5 permanent members plus the appointed ones sitting.

| measure | p50 | p95 | max | target |
|---|---|---|---|---|
| selection page with the balance panel (`{url}`) | {percentile(page_ms, 0.5):.0f} ms | {percentile(page_ms, 0.95):.0f} ms | {max(page_ms):.0f} ms | p95 < 150 ms |
| balance panel alone (`selectors.balance_panel`) | {percentile(panel_ms, 0.5):.0f} ms | {percentile(panel_ms, 0.95):.0f} ms | {max(panel_ms):.0f} ms | — |
| "Suggest a balanced slate", 174 of {submitted} under {rules} rules (`scipy.optimize.milp`, HiGHS) | {percentile(slate_s, 0.5):.2f} s | {percentile(slate_s, 0.95):.2f} s | {max(slate_s):.2f} s | < 2 s |
"""


if __name__ == "__main__":
    section = main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL)
    print(section)
    with RESULTS.open("a") as results:
        results.write(section)
