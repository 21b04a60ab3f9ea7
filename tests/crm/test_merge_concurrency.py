"""Two staff members merge the same pair at the same moment, each keeping a different record,
on PostgreSQL. The control test first shows the race without the row locks."""

import threading

import pytest
from django.db import connection

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
    pause = threading.Barrier(2)

    def read_then_wait(model, ids):
        records = {r.pk: r for r in model.objects.filter(pk__in=ids)}
        pause.wait(timeout=20)  # both have read both records before either writes
        return records

    monkeypatch.setattr(merge, "_lock_pair", read_then_wait)
    results = _run_at_once(_crossed_merges())
    assert results != ["ok", "refused"]
