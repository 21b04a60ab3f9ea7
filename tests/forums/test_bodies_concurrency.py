"""Races on the expert bodies' writes, on PostgreSQL: an organisation's nominations stay within
the body's limit, a body elects one chair however many secretaries record one at once, and
declarations filed at once get distinct versions. The control runs replace the lock with a plain
read and show the limit then breaks."""

import threading

import pytest
from django.db import connection

from core.errors import DomainError
from forums import services
from forums.models import Application, Declaration, Nomination
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_representative,
    make_staff,
)

from .factories import BodyFactory, CallFactory, MembershipFactory

THREADS = 12
LIMIT = 2

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=30)
            call()
        except DomainError:
            pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def _draft_with_colleagues(register_id="123456789-01"):
    organisation = OrganisationFactory(transparency_register_id=register_id)
    representative = make_representative(organisation)
    people = [PersonFactory() for _ in range(THREADS)]
    for person in people:
        AffiliationFactory(person=person, organisation=organisation)
    call = CallFactory(
        body=BodyFactory(nominees_per_organisation=LIMIT), applicants="organisations"
    )
    application = services.application_save(
        user=representative,
        call=call,
        organisation=organisation,
        role="member",
        expertise="x",
        motivation="y",
    )
    return representative, application, people


def _nominate_all(representative, application, people):
    _all_at_once(
        [
            lambda person=person: services.nomination_add(
                user=representative, application=application, person=person, seat="member"
            )
            for person in people
        ]
    )
    return Nomination.objects.filter(application=application).count()


def test_concurrent_nominations_stay_within_the_limit():
    assert _nominate_all(*_draft_with_colleagues()) == LIMIT


def test_control_without_the_lock_nominates_too_many(monkeypatch):
    from forums.services import applications

    def read_then_wait(pk):
        application = Application.objects.select_related(
            "call__body", "organisation", "person"
        ).get(pk=pk)
        # Every nomination has read the application before any counts what it holds.
        all_read.wait(timeout=30)
        return application

    monkeypatch.setattr(applications, "_lock_application", read_then_wait)
    for attempt in range(5):
        all_read = threading.Barrier(THREADS)
        count = _nominate_all(*_draft_with_colleagues(f"12345678{attempt}-01"))
        print(f"attempt {attempt + 1}: {count} nominations for a limit of {LIMIT}")
        if count > LIMIT:
            break
    assert count > LIMIT


def test_declarations_filed_at_once_get_distinct_versions():
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    PersonFactory(user=user, email=user.email, first_name="Ada", last_name="Lovelace")
    _all_at_once(
        [
            lambda: services.declaration_file(
                user=user, no_interests=True, interests=[], signed_name="Ada Lovelace"
            )
            for _ in range(THREADS)
        ]
    )
    versions = sorted(Declaration.objects.values_list("version", flat=True))
    assert versions == list(range(1, THREADS + 1))


def _elect_chairs_at_once() -> int:
    body = BodyFactory()
    members = [MembershipFactory(body=body) for _ in range(THREADS)]
    secretariat = make_staff("Body secretariat")
    _all_at_once(
        [
            lambda membership=membership: services.membership_role_set(
                user=secretariat, membership=membership, role="chair"
            )
            for membership in members
        ]
    )
    return body.memberships.filter(role="chair").count()


def test_a_body_elects_one_chair_when_many_are_recorded_at_once():
    assert _elect_chairs_at_once() == 1


def test_control_without_the_body_lock_elects_several_chairs(monkeypatch):
    from forums.services import memberships

    monkeypatch.setattr(memberships, "_lock_body", lambda pk: None)
    for attempt in range(5):
        chairs = _elect_chairs_at_once()
        print(f"attempt {attempt + 1}: {chairs} chairs")
        if chairs > 1:
            break
    assert chairs > 1
