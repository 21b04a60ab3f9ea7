# ruff: noqa: E402 (Django is set up before the project's modules are imported)
"""Count the SQL queries and CPU time of one registration, in-process, on the benchmark database.

Run by bench/run.py after the load test, on an event of its own with a place for every one of
the spare registrants, so that every registration measured here is confirmed (the path with the
confirmation email and its `.ics`). Prints JSON.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forums import services
from forums.models import Event, Registration

# Transaction control statements the database driver sends without Django's cursor.
TRANSACTION_STATEMENTS = 2  # BEGIN and COMMIT


def main(event_id: int, samples: int = 50):
    settings.ALLOWED_HOSTS = ["*"]
    event = Event.objects.get(pk=event_id)
    User = get_user_model()
    registered = Registration.objects.filter(event=event).values("person__user_id")
    free = list(
        User.objects.filter(email__startswith="bench", is_staff=False)
        .exclude(pk__in=registered)
        .order_by("pk")[:samples]
    )

    # A warm worker: Django has cached the content types (of the audit entry) already.
    services.registration_create(user=free.pop(), event=event, mode="in_person")
    user = free.pop()
    with CaptureQueriesContext(connection) as service_queries:
        registration = services.registration_create(user=user, event=event, mode="in_person")
    assert registration.status == Registration.Status.CONFIRMED, registration.status

    client = Client()
    user = free.pop()
    client.force_login(user)
    with CaptureQueriesContext(connection) as http_queries:
        response = client.post(f"/events/{event.pk}/register/", {"mode": "in_person"})
    assert response.status_code == 302, response.status_code

    started = time.process_time()
    measured = 0
    for user in free:
        services.registration_create(user=user, event=event, mode="in_person")
        measured += 1
    cpu_ms = (time.process_time() - started) * 1000 / max(measured, 1)
    statuses = set(
        Registration.objects.filter(event=event).values_list("status", flat=True).distinct()
    )
    assert statuses == {Registration.Status.CONFIRMED}, statuses

    print(
        json.dumps(
            {
                "service_queries": len(service_queries.captured_queries),
                "http_queries": len(http_queries.captured_queries),
                "transaction_statements": TRANSACTION_STATEMENTS,
                "service_sql": [q["sql"][:120] for q in service_queries.captured_queries],
                "http_sql": [q["sql"][:120] for q in http_queries.captured_queries],
                "cpu_ms_per_registration": round(cpu_ms, 2),
                "cpu_samples": measured,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
