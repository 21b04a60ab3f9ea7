"""Who viewed or exported whose personal data: one entry per request, people in bulk."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import AccessLogEntry, AccessLogPerson, Job
from crm.models import Person
from tests.crm.factories import AffiliationFactory, PersonFactory, make_staff
from tests.forums.factories import EventFactory, RegistrationFactory
from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db


def test_a_person_record_page_is_logged_with_who_when_and_from_where(client, staff):
    person = PersonFactory()
    client.force_login(staff)
    client.get(
        reverse("crm:person_detail", args=[person.pk]),
        HTTP_USER_AGENT="Mozilla/5.0 Test",
        REMOTE_ADDR="192.0.2.10",
    )
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject_type, entry.subject_id) == (
        staff,
        "view",
        "crm.person",
        str(person.pk),
    )
    assert (entry.ip, entry.user_agent) == ("192.0.2.10", "Mozilla/5.0 Test")
    assert list(entry.people.values_list("person_id", flat=True)) == [person.pk]


def test_the_client_address_comes_from_the_trusted_proxy_header_when_configured(
    client, staff, settings
):
    settings.PROXY_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.force_login(staff)
    client.get(
        reverse("crm:person_detail", args=[PersonFactory().pk]), HTTP_X_REAL_IP="203.0.113.5"
    )
    assert AccessLogEntry.objects.get().ip == "203.0.113.5"


def test_an_organisation_page_logs_the_people_it_shows(client, staff, organisation):
    affiliations = AffiliationFactory.create_batch(3, organisation=organisation)
    client.force_login(staff)
    client.get(reverse("crm:organisation_detail", args=[organisation.pk]))
    entry = AccessLogEntry.objects.get(subject_type="crm.organisation")
    assert set(entry.people.values_list("person_id", flat=True)) == {
        a.person_id for a in affiliations
    }


def test_the_people_list_logs_the_people_on_the_page(client, staff):
    PersonFactory.create_batch(3)
    client.force_login(staff)
    client.get(reverse("crm:person_list"))
    entry = AccessLogEntry.objects.get()
    assert entry.people_count == Person.objects.count()


def test_a_registrations_csv_export_is_logged_with_every_person_in_one_bulk_insert(
    client, django_assert_max_num_queries
):
    manager = make_staff("Events manager")
    event = EventFactory()
    registrations = RegistrationFactory.create_batch(40, event=event)
    client.force_login(manager)
    url = reverse("forums_staff:registrations_csv", args=[event.pk])
    response = client.get(url)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(action="export")
    assert entry.subject_type == "forums.event" and entry.people_count == 40
    assert set(AccessLogPerson.objects.values_list("person_id", flat=True)) == {
        r.person_id for r in registrations
    }
    AccessLogEntry.objects.all().delete()
    with django_assert_max_num_queries(25):
        client.get(url)


def test_an_event_registrations_page_and_check_in_list_are_logged(client):
    manager = make_staff("Events manager")
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event)
    client.force_login(manager)
    client.get(reverse("forums_staff:event_detail", args=[event.pk]))
    client.get(reverse("forums_staff:check_in", args=[event.pk]))
    assert sorted(AccessLogEntry.objects.values_list("people_count", flat=True)) == [2, 2]


def test_a_refused_or_missing_page_is_not_logged(client, representative):
    client.force_login(representative)
    client.get(reverse("crm:person_detail", args=[PersonFactory().pk]))
    manager = make_staff("Events manager")
    client.force_login(manager)
    client.get(reverse("forums_staff:event_detail", args=[999999]))
    assert not AccessLogEntry.objects.exists()


def test_a_staff_pledge_page_is_logged_with_the_signatorys_person(
    client, organisation, representative, pact_officer
):
    pledge = make_pledge(organisation, representative, status="submitted")
    client.force_login(pact_officer)
    client.get(reverse("pact_staff:pledge_detail", args=[pledge.pk]))
    entry = AccessLogEntry.objects.get(subject_type="pact.pledge")
    assert list(entry.people.values_list("person_id", flat=True)) == [representative.person.pk]


def test_a_pdf_download_is_logged(client, organisation, representative, pact_officer):
    pledge = make_pledge(organisation, representative, status="published", reviewer=pact_officer)
    job = Job(
        kind="reports.pledge_pdf",
        created_by=pact_officer,
        status=Job.Status.DONE,
        subject_type=ContentType.objects.get_for_model(pledge),
        subject_id=str(pledge.pk),
        result_name="pledge.pdf",
        result_content_type="application/pdf",
    )
    job.result_file.save("pledge.pdf", ContentFile(b"%PDF-1.7"), save=False)
    job.save()
    client.force_login(pact_officer)
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    entry = AccessLogEntry.objects.get(action="download")
    assert entry.subject_type == "pact.pledge" and entry.subject_id == str(pledge.pk)
