"""The retention purge: each kind of personal data goes when its period in
settings.RETENTION_DAYS has passed, through the app that owns it, and the purge says what it did."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from core.models import AccessLogEntry, AuditEntry
from core.privacy import retention_purge
from core.registry import registry
from crm.models import Note, Person
from crm.privacy import ERASED_NAME
from forums.models import Registration
from pact.models import NetworkMembership
from tests.crm.factories import PersonFactory, UserFactory, make_staff
from tests.forums.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _past_event(days_ago: int):
    ends = timezone.now() - timedelta(days=days_ago)
    return EventFactory(starts_at=ends - timedelta(hours=2), ends_at=ends)


def test_every_kind_in_the_settings_has_an_app_that_purges_it(settings):
    assert {kind.name for kind in registry.retention_kinds} == set(settings.RETENTION_DAYS)


def test_special_requirements_go_after_their_period_and_not_before(settings):
    settings.RETENTION_DAYS = {"special_requirements": 30}
    old = RegistrationFactory(event=_past_event(31), special_requirements="Vegan")
    recent = RegistrationFactory(event=_past_event(29), special_requirements="Step-free")
    counts = retention_purge()
    assert counts["special_requirements"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.special_requirements == "" and old.special_requirements_purged_at
    assert recent.special_requirements == "Step-free"


def test_old_registrations_lose_their_details_and_contacts_known_only_through_them_are_erased(
    settings,
):
    settings.RETENTION_DAYS = {"event_registrations": 365}
    event = _past_event(400)
    contact = PersonFactory()
    Person.objects.filter(pk=contact.pk).update(created_at=timezone.now() - timedelta(days=500))
    account_holder = PersonFactory(user=UserFactory())
    Person.objects.filter(pk=account_holder.pk).update(
        created_at=timezone.now() - timedelta(days=500)
    )
    still_coming = PersonFactory()
    Person.objects.filter(pk=still_coming.pk).update(
        created_at=timezone.now() - timedelta(days=500)
    )
    RegistrationFactory(event=event, person=contact, photo_opt_out=True, attendance="attended")
    RegistrationFactory(event=event, person=account_holder, on_participant_list=True)
    RegistrationFactory(event=event, person=still_coming)
    RegistrationFactory(event=EventFactory(), person=still_coming)
    figures = list(Registration.objects.values_list("event", "status", "attendance"))

    retention_purge()

    assert list(Registration.objects.values_list("event", "status", "attendance")) == figures
    assert not Registration.objects.filter(event=event, photo_opt_out=True).exists()
    assert not Registration.objects.filter(event=event, on_participant_list=True).exists()
    contact.refresh_from_db()
    account_holder.refresh_from_db()
    still_coming.refresh_from_db()
    assert contact.full_name == ERASED_NAME
    assert account_holder.full_name != ERASED_NAME
    assert still_coming.full_name != ERASED_NAME


def test_unconfirmed_accounts_are_deleted_after_their_period(settings):
    settings.RETENTION_DAYS = {"unconfirmed_accounts": 30}
    User = get_user_model()
    old = UserFactory(verified=False)
    recent = UserFactory(verified=False)
    confirmed = UserFactory()
    staff = make_staff("Pact officer", verified=False)
    User.objects.filter(pk__in=[old.pk, confirmed.pk, staff.pk]).update(
        date_joined=timezone.now() - timedelta(days=31)
    )
    person = PersonFactory(user=old, email=old.email)
    assert retention_purge()["unconfirmed_accounts"] == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk, staff.pk}
    person.refresh_from_db()
    assert person.user_id is None and person.full_name == ERASED_NAME


def test_old_staff_notes_on_people_are_deleted(settings, staff):
    settings.RETENTION_DAYS = {"staff_notes": 365}
    person = PersonFactory()
    old = Note.objects.create(person=person, text="Old call", author=staff)
    Note.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    Note.objects.create(person=person, text="Recent call", author=staff)
    assert retention_purge()["staff_notes"] == 1
    assert list(Note.objects.values_list("text", flat=True)) == ["Recent call"]


def test_contact_emails_of_organisations_that_left_the_network_are_erased(settings, organisation):
    settings.RETENTION_DAYS = {"network_contacts": 365}
    left = NetworkMembership.objects.create(
        organisation=organisation,
        contact_email="contact@example.org",
        status=NetworkMembership.Status.LEFT,
        left_at=timezone.now() - timedelta(days=400),
    )
    active = NetworkMembership.objects.create(
        organisation=organisation, contact_email="still@example.org"
    )
    assert retention_purge()["network_contacts"] == 1
    left.refresh_from_db()
    active.refresh_from_db()
    assert left.contact_email == f"network-{left.pk}@erased.invalid"
    assert active.contact_email == "still@example.org"
    assert retention_purge()["network_contacts"] == 0


def test_the_access_log_is_kept_for_its_period(settings):
    settings.RETENTION_DAYS = {"access_log": 730}
    old = AccessLogEntry.objects.create(action="view", subject_type="crm.person")
    AccessLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=731))
    AccessLogEntry.objects.create(action="view", subject_type="crm.person")
    assert retention_purge()["access_log"] == 1
    assert AccessLogEntry.objects.count() == 1


def test_the_command_reports_counts_per_kind_and_records_them(settings):
    settings.RETENTION_DAYS = {"special_requirements": 30, "access_log": 730}
    RegistrationFactory(event=_past_event(40), special_requirements="Vegan")
    out = StringIO()
    call_command("purge_expired_personal_data", stdout=out)
    output = out.getvalue()
    assert "special_requirements: 1" in output
    assert "access_log: 0" in output
    assert "staff_notes: no retention period set, skipped" in output
    entry = AuditEntry.objects.get(action="core.retention.purged")
    assert entry.data["counts"]["special_requirements"] == 1
    assert entry.actor is None


def test_the_periodic_task_is_scheduled_and_runs_the_purge(settings):
    from core.tasks import purge_expired_personal_data

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.purge_expired_personal_data" in tasks
    settings.RETENTION_DAYS = {"special_requirements": 30}
    RegistrationFactory(event=_past_event(40), special_requirements="Vegan")
    assert purge_expired_personal_data.delay().get()["special_requirements"] == 1
