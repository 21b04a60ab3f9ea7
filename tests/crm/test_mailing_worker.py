"""A mailing sent by a real Celery worker that is killed in the middle of a batch: another
worker finishes it and nobody receives it twice.

Runs on PostgreSQL with CELERY_BROKER_URL set, like tests/core/test_celery_worker.py."""

import os
import signal
import time

import pytest

from crm.mailings import services
from crm.mailings.models import Mailing, MailingRecipient, Topic
from tests.core.test_celery_worker import (  # noqa: F401 (fixtures)
    _start_worker,
    _stop_worker,
    _wait_for,
    broker_mode,
    one_worker_test_at_a_time,
)
from tests.crm.factories import make_staff

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_worker_test_at_a_time"),
]

PEOPLE = 60
LEASE = 3


def _lines(path, mailing) -> list[str]:
    """The mailing's emails the backend took (the confirmation emails of the subscriptions
    go through the same backend, without the mailing's id)."""
    lines = path.read_text().splitlines() if path.exists() else []
    return [line for line in lines if line.startswith(f"{mailing.pk}\t")]


def test_a_worker_killed_mid_batch_leaves_nobody_with_two_copies(broker_mode, tmp_path):  # noqa: F811
    services.topics_ensure_defaults()  # an earlier test may have emptied the database
    topic = Topic.objects.get(code="events")
    for n in range(PEOPLE):
        subscription = services.subscription_request(
            email=f"reader{n}@example.eu", language=["en", "fr", "pl"][n % 3], topics=[topic]
        )
        services.subscription_confirm(subscription=subscription)
    officer = make_staff("Pact officer")
    mailing = services.mailing_save(
        user=officer,
        name="Webinar invitation",
        subject="Join the webinar",
        body="Hello,\n\nthe next webinar is on **Tuesday**.",
        translations={"fr": {"subject": "Rejoignez le webinaire", "body": "Bonjour"}},
        audience=f"topic:{topic.pk}",
    )
    record = tmp_path / "sent.txt"
    env = {
        "EMAIL_BACKEND": "tests.mail_backends.RecordingBackend",
        "MAIL_RECORD": str(record),
        "MAIL_DELAY": "0.05",
        "MAILING_BATCH_SIZE": "10",
        "MAILING_LEASE_SECONDS": str(LEASE),
        "MAILING_RATE_PER_SECOND": "0",
    }
    first, first_pidfile, first_log = _start_worker(tmp_path, "first", **env)
    try:
        services.mailing_schedule(user=officer, mailing=mailing)
        assert _wait_for(lambda: len(_lines(record, mailing)) >= 15, 60), first_log.read_text()
        os.kill(int(first_pidfile.read_text()), signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop_worker(first, first_pidfile)
    sent_before = len(_lines(record, mailing))
    assert sent_before < PEOPLE, "the worker finished before it could be killed"
    time.sleep(LEASE + 1)  # the dead worker's claim runs out
    second, second_pidfile, second_log = _start_worker(tmp_path, "second", **env)
    try:
        assert _wait_for(
            lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENT, 90
        ), second_log.read_text()
    finally:
        _stop_worker(second, second_pidfile)

    lines = _lines(record, mailing)
    addresses = [line.split("\t")[1] for line in lines]
    assert len(addresses) == len(set(addresses)), "someone received the mailing twice"
    rows = MailingRecipient.objects.filter(mailing=mailing)
    sent = set(rows.filter(status="sent").values_list("email", flat=True))
    failed = list(rows.filter(status="failed").values_list("error", flat=True))
    assert sent <= set(addresses)
    assert len(sent) + len(failed) == PEOPLE
    assert len(failed) <= 1 and all(error.startswith("interrupted") for error in failed)
    assert len(sent) > sent_before  # the second worker sent the rest
