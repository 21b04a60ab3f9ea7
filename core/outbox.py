"""One way to start Celery work: a transactional outbox.

`task_enqueue(task, *args, **kwargs)` is the only place the project hands work to Celery.
With a broker, it writes an `OutboxTask` row in the caller's transaction and publishes the task
once that transaction commits, marking the row sent. If the broker is unreachable the request
still succeeds: the row stays pending and `outbox_relay` (a periodic task, the `relay_outbox`
command, and a run at every worker start) publishes it when the broker is back. Without a
broker (the embedded default) tasks run in-process after commit, as before.

A row is published under a row lock and marked sent in the same transaction, so the
on-commit publisher and any number of relays never publish it twice; a process that dies
between publishing and committing can, which is why tasks are idempotent.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from .models import EmailDelivery, OutboxTask

logger = logging.getLogger(__name__)

KEEP_SENT = timedelta(days=7)


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def task_enqueue(task, *args, **kwargs) -> OutboxTask | None:
    """Start `task` with JSON arguments once the surrounding transaction commits.

    Returns the outbox row (None when tasks run in-process)."""
    if _eager():
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
        return None
    row = OutboxTask.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: outbox_publish(row_id=row.pk))
    return row


def _lock_pending():
    queryset = OutboxTask.objects.filter(sent_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def _publish(row: OutboxTask) -> bool:
    """Send one locked row to the broker; say whether it went."""
    try:
        current_app.send_task(
            row.task_name,
            args=row.args,
            kwargs=row.kwargs,
            task_id=f"outbox-{row.pk}",
            retry=False,
        )
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the relay
        row.attempts += 1
        row.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
        row.save(update_fields=["attempts", "last_error"])
        logger.warning("Broker unavailable; %s stays in the outbox (%s)", row, row.last_error)
        return False
    row.attempts += 1
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


def outbox_publish(*, row_id: int) -> bool:
    """Publish one row right after its transaction committed (unless a relay has it)."""
    try:
        with transaction.atomic():
            row = _lock_pending().filter(pk=row_id).first()
            return row is not None and _publish(row)
    except Exception:  # the request that enqueued has committed; never fail it now
        logger.exception("Could not publish outbox task %s; the relay will", row_id)
        return False


def outbox_relay(*, limit: int = 500) -> dict:
    """Publish pending rows, oldest first, until the broker refuses; forget old sent rows.

    Returns what it did: {"sent": n, "pending": n, "purged": n}."""
    sent = 0
    with transaction.atomic():
        for row in _lock_pending().order_by("created_at", "pk")[:limit]:
            if not _publish(row):
                break
            sent += 1
    cutoff = timezone.now() - KEEP_SENT
    purged, _ = OutboxTask.objects.filter(sent_at__lt=cutoff).delete()
    purged += EmailDelivery.objects.filter(sent_at__lt=cutoff).delete()[0]
    pending = OutboxTask.objects.filter(sent_at__isnull=True).count()
    return {"sent": sent, "pending": pending, "purged": purged}
