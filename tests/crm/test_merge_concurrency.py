"""Two staff members merge the same pair at the same moment, each keeping a different record,
on PostgreSQL. The control test first shows the race without the row locks."""

import itertools
import threading

import pytest
from django.db import connection, transaction

from core.errors import DomainError
from crm import merge
from crm.models import MergeRecord, Note, Organisation
from tests.crm.factories import OrganisationFactory, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(calls):
    barrier = threading.Barrier(len(calls))
    results, lock = [], threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=20)
            outcome = ("ok", call())
        except DomainError as error:
            outcome = ("refused", error)
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcome = ("error", error)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(kind for kind, _value in results)


def _crossed_merges():
    a, b = OrganisationFactory(name="Acme"), OrganisationFactory(name="ACME SA")
    for organisation in (a, b):
        Note.objects.create(organisation=organisation, text="note")
    officers = [make_staff("Pact officer"), make_staff("Pact officer")]
    return [
        lambda: merge.records_merge(
            user=officers[0], kind="organisation", survivor_id=a.pk, loser_id=b.pk
        ),
        lambda: merge.records_merge(
            user=officers[1], kind="organisation", survivor_id=b.pk, loser_id=a.pk
        ),
    ]


def test_crossed_merges_of_one_pair_merge_once():
    results = _run_at_once(_crossed_merges())
    assert results == ["ok", "refused"]
    assert Organisation.objects.count() == 1
    assert MergeRecord.objects.count() == 1
    assert Note.objects.filter(organisation__isnull=False).count() == 2


def test_control_without_the_locks_both_merges_go_ahead(monkeypatch):
    """Both merges read the pair without locking it; the first then merges and commits, and
    only then does the second go on with what it read. (Letting both write at once would
    leave the outcome to the scheduler: a deadlock, or a later check that happens to refuse.)"""
    both_read = threading.Barrier(2)
    first_committed = threading.Event()
    turns = itertools.count()

    def read_then_wait(model, ids):
        records = {r.pk: r for r in model.objects.filter(pk__in=ids)}
        both_read.wait(timeout=20)
        if next(turns) == 0:
            transaction.on_commit(first_committed.set)
        else:
            first_committed.wait(timeout=20)
        return records

    monkeypatch.setattr(merge, "_lock_pair", read_then_wait)
    results = _run_at_once(_crossed_merges())
    assert first_committed.is_set()
    # Without the locks the second merge is not refused with a clear message: it goes ahead
    # on records that no longer exist, and fails with a database error.
    assert results == ["error", "ok"]
