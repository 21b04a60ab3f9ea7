"""With the broker down, requests still succeed and their work waits in the outbox until the
broker is back; then the relay publishes each task once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.email import email_send_once
from core.models import EmailDelivery, OutboxTask
from core.outbox import outbox_relay, task_enqueue
from core.tasks import send_email
from forums.models import Registration
from pact.models import Pledge
from tests.forums.factories import EventFactory
from tests.pact.factories import make_pledge
from tests.pact.test_views import edit_data

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(monkeypatch):
    """Point the Celery app at a broker for one test: `broker(url)` returns the app; a
    `memory://` broker keeps the published messages in this process, to be counted."""
    from config.celery_app import app

    def use(url: str):
        # Celery prefers the environment variable to its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        app._pool = None
        app.amqp._producer_pool = None
        return app

    previous = app.conf.broker_url
    yield use
    monkeypatch.undo()
    app.conf.broker_url = previous
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.task_always_eager = True


def _published(app) -> list[dict]:
    """Messages waiting on the in-memory broker's default queue (taken off it)."""
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue("celery")
        messages = []
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            messages.append(message.headers)
            message.ack()
        queue.close()
    return messages


def test_pledge_submission_succeeds_with_the_broker_down_and_is_sent_when_it_is_back(
    client, organisation, representative, broker, django_capture_on_commit_callbacks, mailoutbox
):
    pledge = make_pledge(organisation, representative)
    client.force_login(representative)
    broker(CLOSED_PORT)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pact:pledge_edit", args=[pledge.pk]), edit_data(pledge, submit=True)
        )

    assert response.status_code == 302
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.SUBMITTED
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == "core.tasks.send_email"
    assert waiting.sent_at is None
    assert waiting.attempts == 1
    assert "OperationalError" in waiting.last_error
    assert waiting.kwargs["to"] == [representative.email]

    assert outbox_relay() == {"sent": 0, "pending": 1, "purged": 0}

    app = broker("memory://")
    assert outbox_relay() == {"sent": 1, "pending": 0, "purged": 0}
    assert outbox_relay()["sent"] == 0
    published = _published(app)
    assert [message["task"] for message in published] == ["core.tasks.send_email"]
    assert published[0]["id"] == f"outbox-{waiting.pk}"
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and waiting.attempts == 3 and waiting.last_error == ""
    assert mailoutbox == []


def test_event_registration_succeeds_with_the_broker_down(
    client, user, broker, django_capture_on_commit_callbacks
):
    event = EventFactory()
    client.force_login(user)
    broker(CLOSED_PORT)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forums:event_register", args=[event.pk]), {})

    assert response.status_code == 302
    assert Registration.objects.filter(event=event, person__user=user).exists()
    assert list(OutboxTask.objects.values_list("task_name", "sent_at")) == [
        ("core.tasks.send_email", None)
    ]


def test_a_task_is_published_on_commit_when_the_broker_is_up(
    user, broker, django_capture_on_commit_callbacks
):
    app = broker("memory://")
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(send_email, to=[user.email], subject="s", text="t")
    row = OutboxTask.objects.get()
    assert row.sent_at is not None and row.attempts == 1
    assert len(_published(app)) == 1
    assert outbox_relay()["sent"] == 0


def test_nothing_is_published_when_the_transaction_rolls_back(
    user, broker, django_capture_on_commit_callbacks
):
    from django.db import transaction

    app = broker("memory://")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            task_enqueue(send_email, to=[user.email], subject="s", text="t")
            raise RuntimeError
    assert not OutboxTask.objects.exists()
    assert _published(app) == []


def test_without_a_broker_tasks_run_in_process_and_leave_no_row(
    user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(send_email, to=[user.email], subject="Hello", text="t", key="")
    assert [message.subject for message in mailoutbox] == ["[AI Office] Hello"]
    assert not OutboxTask.objects.exists()


def test_relay_outbox_command_publishes_what_waits(broker, capsys):
    OutboxTask.objects.create(task_name="core.tasks.relay_outbox")
    app = broker("memory://")
    call_command("relay_outbox")
    assert "1 sent, 0 still waiting" in capsys.readouterr().out
    assert [message["task"] for message in _published(app)] == ["core.tasks.relay_outbox"]


def test_an_email_delivered_twice_by_the_broker_sends_once(mailoutbox):
    key = "0f0e8a9e-5b53-4c51-9d4b-0c2f1f3f2a11"
    sent = [
        email_send_once(key=key, to=["a@example.eu"], subject="Once", text="t") for _ in range(2)
    ]
    assert sent == [True, False]
    assert len(mailoutbox) == 1
    assert EmailDelivery.objects.filter(key=key).exists()


def test_an_email_run_in_process_leaves_no_delivery_record(mailoutbox):
    send_email.apply(kwargs={"to": ["a@example.eu"], "subject": "s", "text": "t", "key": "k"})
    assert len(mailoutbox) == 1
    assert not EmailDelivery.objects.exists()


def test_a_failed_send_is_not_recorded_so_the_retry_sends(mailoutbox, monkeypatch):
    import core.email

    key = "a1b2c3d4-0000-4000-8000-000000000001"

    def refuse(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(core.email, "email_send_now", refuse)
    with pytest.raises(OSError):
        email_send_once(key=key, to=["a@example.eu"], subject="s", text="t")
    assert not EmailDelivery.objects.exists()
    monkeypatch.undo()
    assert email_send_once(key=key, to=["a@example.eu"], subject="s", text="t") is True
    assert len(mailoutbox) == 1
