"""Representatives acting at the same moment, on PostgreSQL (row locks and partial unique
constraints behave there as in production).

The control tests first show the race: with the organisation lock removed, simultaneous starts
all pass the "is there a pledge already?" check; the constraint then refuses all but one, and
with the constraint dropped as well, duplicates appear.
"""

import threading

import pytest
from django.db import IntegrityError, connection

from core.errors import DomainError
from pact import services
from pact.models import Pledge
from tests.crm.factories import make_representative

from .factories import pledge_inputs

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def run_at_once(calls):
    """Run each callable in its own thread (and database connection), released together."""
    barrier = threading.Barrier(len(calls))
    results = []
    lock = threading.Lock()

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
    return results


def _kinds(results):
    return sorted(kind for kind, _value in results)


def _start_calls(organisation):
    representatives = [make_representative(organisation) for _ in range(THREADS)]
    return [
        (lambda rep=rep: services.pledge_start(user=rep, organisation=organisation, ai_role="both"))
        for rep in representatives
    ]


def test_simultaneous_starts_make_one_pledge(organisation):
    results = run_at_once(_start_calls(organisation))
    assert _kinds(results) == ["ok"] + ["refused"] * (THREADS - 1)
    assert all(value.code == "duplicate" for kind, value in results if kind == "refused")
    assert Pledge.objects.filter(organisation=organisation).count() == 1


def test_simultaneous_submits_submit_once(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    pledge = services.pledge_save(user=representative, pledge=pledge, **pledge_inputs(pledge))
    version = pledge.version
    results = run_at_once(
        [
            lambda: services.pledge_submit(user=representative, pledge=pledge, version=version)
            for _ in range(THREADS)
        ]
    )
    assert _kinds(results) == ["ok"] + ["refused"] * (THREADS - 1)
    pledge.refresh_from_db()
    assert pledge.status == "submitted" and pledge.version == version + 1
    assert pledge.history.filter(to_status="submitted").count() == 1


def test_simultaneous_edits_from_two_representatives_lose_nothing(organisation, representative):
    colleague = make_representative(organisation)
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    mine = pledge_inputs(pledge, signatory_name="Mine")
    theirs = pledge_inputs(pledge, signatory_name="Theirs")
    results = run_at_once(
        [
            lambda: services.pledge_save(user=representative, pledge=pledge, **mine),
            lambda: services.pledge_save(user=colleague, pledge=pledge, **theirs),
        ]
    )
    assert _kinds(results) == ["ok", "refused"]
    saved = next(value for kind, value in results if kind == "ok")
    refused = next(value for kind, value in results if kind == "refused")
    assert refused.code == "stale"
    pledge.refresh_from_db()
    assert pledge.signatory_name == saved.signatory_name
    assert pledge.version == 2


@pytest.fixture
def without_organisation_lock(monkeypatch):
    """Remove the row lock and hold every thread after its duplicate check until all have
    made it, which is the interleaving the lock prevents."""
    barrier = threading.Barrier(THREADS)
    checked = services._active_pledge_exists

    def check_then_wait(organisation):
        exists = checked(organisation)
        barrier.wait(timeout=20)
        return exists

    monkeypatch.setattr(
        services, "_lock_organisation", lambda pk: services.Organisation.objects.get(pk=pk)
    )
    monkeypatch.setattr(services, "_active_pledge_exists", check_then_wait)


def test_control_without_the_lock_the_constraint_still_refuses_duplicates(
    organisation, without_organisation_lock
):
    results = run_at_once(_start_calls(organisation))
    assert _kinds(results) == ["ok"] + ["refused"] * (THREADS - 1)
    refusals = [value for kind, value in results if kind == "refused"]
    assert all(isinstance(error.__cause__, IntegrityError) for error in refusals)
    assert Pledge.objects.filter(organisation=organisation).count() == 1


def test_control_without_lock_and_constraint_duplicates_appear(
    organisation, without_organisation_lock
):
    constraint = next(
        c for c in Pledge._meta.constraints if c.name == "pact_one_active_pledge_per_organisation"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Pledge, constraint)
    try:
        results = run_at_once(_start_calls(organisation))
        assert _kinds(results) == ["ok"] * THREADS
        assert Pledge.objects.filter(organisation=organisation).count() == THREADS
    finally:
        Pledge.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Pledge, constraint)
