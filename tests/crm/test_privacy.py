"""Data-subject rights at /me/data/ and the data-protection coordinator's pages."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AccessLogEntry, AuditEntry
from crm import services
from crm.models import Consent, ErasureRequest, Person

from .factories import PersonFactory, make_representative, make_staff

pytestmark = pytest.mark.django_db


# --- Download -----------------------------------------------------------------------------


def test_my_data_download_holds_what_every_app_knows_about_me(client, rich_representative):
    client.force_login(rich_representative)
    response = client.get(reverse("me:data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["crm"]["person"]["email"] == rich_representative.email
    assert data["crm"]["account"]["email"] == rich_representative.email
    assert data["crm"]["affiliations"][0]["representative"] is True
    assert data["crm"]["consents"][0]["purpose"] == "newsletter"
    assert data["crm"]["notes"][0]["text"] == "Called about the pledge"
    assert data["pact"]["pledges"][0]["signatory_name"] == "Grace Hopper"
    assert data["pact"]["network_memberships"][0]["contact_email"] == rich_representative.email
    events = {r["event"]: r for r in data["forums"]["event_registrations"]}
    assert events["Past workshop"]["special_requirements"] == "Vegetarian"
    assert "Future webinar" in events
    assert AuditEntry.objects.filter(
        action="crm.person.data_exported", actor=rich_representative
    ).exists()


def test_my_data_download_holds_nothing_of_another_person(client, rich_representative):
    other = make_representative()
    client.force_login(other)
    content = client.get(reverse("me:data_download")).content.decode()
    assert rich_representative.email not in content
    assert "Past workshop" not in content and "Grace Hopper" not in content


def test_a_user_without_a_person_record_downloads_the_account_alone(client, user):
    client.force_login(user)
    data = json.loads(client.get(reverse("me:data_download")).content)
    assert data["account"]["email"] == user.email


def test_an_anonymous_visitor_is_sent_to_sign_in_for_my_data(client):
    for name in ("me:data", "me:data_download", "me:erasure_request"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Rectify ------------------------------------------------------------------------------


def test_rectifying_my_profile_records_which_fields_changed_not_their_values(
    client, representative
):
    client.force_login(representative)
    response = client.post(
        reverse("me:profile"),
        {
            "first_name": "Augusta",
            "last_name": "King",
            "phone": "+32 2 555 0100",
            "nationality": "IE",
            "gender": "female",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(user=representative)
    assert (person.first_name, person.nationality.code, person.preferred_language) == (
        "Augusta",
        "IE",
        "fr",
    )
    entry = AuditEntry.objects.get(action="crm.person.profile_updated")
    assert "first_name" in entry.data["fields"] and "nationality" in entry.data["fields"]
    assert "Augusta" not in json.dumps(entry.data)


def test_the_profile_form_names_its_privacy_notice_and_version(client, representative, settings):
    client.force_login(representative)
    content = client.get(reverse("me:profile")).content.decode()
    assert settings.PRIVACY_NOTICE_NAME in content
    assert f"version {settings.PRIVACY_NOTICE_VERSION}" in content


@pytest.mark.parametrize(
    "url_name", ["account_signup", "me:organisation_register", "me:organisation_join"]
)
def test_forms_that_collect_personal_data_name_the_privacy_notice(
    client, user, organisation, settings, url_name
):
    if url_name != "account_signup":
        client.force_login(user)
    response = client.get(reverse(url_name), {"q": "Organisation"})
    assert f"version {settings.PRIVACY_NOTICE_VERSION}" in response.content.decode()


# --- Consents -----------------------------------------------------------------------------


def test_i_can_withdraw_each_of_my_consents(client, rich_representative):
    consent = Consent.objects.get(person__user=rich_representative)
    client.force_login(rich_representative)
    page = client.get(reverse("me:data")).content.decode()
    assert reverse("me:consent_withdraw", args=[consent.pk]) in page
    response = client.post(reverse("me:consent_withdraw", args=[consent.pk]), follow=True)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "withdrawn your consent" in response.content.decode()
    assert AuditEntry.objects.filter(action="crm.consent.withdrawn").exists()


def test_i_cannot_withdraw_another_persons_consent(client, representative):
    other = PersonFactory()
    consent = services.consent_give(person=other, purpose="newsletter", privacy_notice="N")
    client.force_login(representative)
    response = client.post(reverse("me:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert response.status_code == 404
    with pytest.raises(DomainError):
        services.consent_withdraw_own(user=representative, consent_id=consent.pk)


def test_withdrawing_a_consent_twice_is_refused(representative):
    consent = services.consent_give(
        person=representative.person, purpose="newsletter", privacy_notice="N"
    )
    services.consent_withdraw_own(user=representative, consent_id=consent.pk)
    with pytest.raises(DomainError):
        services.consent_withdraw_own(user=representative, consent_id=consent.pk)


# --- Erasure requests ---------------------------------------------------------------------


def test_asking_for_erasure_records_a_request_due_in_one_month(client, representative):
    client.force_login(representative)
    response = client.post(reverse("me:erasure_request"), {"reason": "", "confirm": "on"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(person__user=representative)
    assert request.status == ErasureRequest.Status.PENDING
    assert request.due_on == ErasureRequest.due_for(request.requested_at)
    assert (request.due_on - timezone.localdate(request.requested_at)).days in range(28, 32)
    page = client.get(reverse("me:data")).content.decode()
    assert "You will have an answer by" in page


def test_asking_for_erasure_without_confirming_changes_nothing(client, representative):
    client.force_login(representative)
    response = client.post(reverse("me:erasure_request"), {"reason": "please"})
    assert response.status_code == 200
    assert not ErasureRequest.objects.exists()


def test_a_second_pending_erasure_request_is_refused(representative):
    services.erasure_request_create(user=representative)
    with pytest.raises(DomainError):
        services.erasure_request_create(user=representative)
    assert ErasureRequest.objects.count() == 1


def test_staff_accounts_are_not_erased_through_a_request(coordinator):
    with pytest.raises(DomainError):
        services.erasure_request_create(user=coordinator)


def test_only_the_data_protection_coordinator_sees_erasure_requests_and_the_access_log(
    client, representative, coordinator
):
    erasure = services.erasure_request_create(user=representative)
    urls = [
        reverse("crm:erasure_request_list"),
        reverse("crm:erasure_request_detail", args=[erasure.pk]),
        reverse("crm:access_log"),
    ]
    refused = [
        representative,
        make_staff("Pact officer"),
        make_staff("Events manager"),
        make_staff("Body secretariat"),
    ]
    for user in refused:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(urls[1], {"decision": "carry_out"}).status_code == 403
    client.force_login(coordinator)
    for url in urls:
        assert client.get(url).status_code == 200
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.PENDING


def test_the_coordinator_needs_the_second_factor_in_this_session(client, coordinator):
    client.force_login(coordinator, mfa=False)
    response = client.get(reverse("crm:erasure_request_list"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_a_representative_cannot_see_another_persons_record(client, representative):
    other = PersonFactory()
    client.force_login(representative)
    assert client.get(reverse("crm:person_detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("crm:access_log"), {"person": other.pk}).status_code == 403


def test_overdue_requests_are_marked(client, representative, coordinator):
    erasure = services.erasure_request_create(user=representative)
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(coordinator)
    content = client.get(reverse("crm:erasure_request_list")).content.decode()
    assert "Overdue" in content


def test_services_refuse_erasure_decisions_from_anyone_but_the_coordinator(
    representative, pact_officer
):
    erasure = services.erasure_request_create(user=representative)
    with pytest.raises(DomainError):
        services.erasure_request_carry_out(user=pact_officer, erasure_request=erasure)
    with pytest.raises(DomainError):
        services.erasure_request_refuse(user=representative, erasure_request=erasure, grounds="x")
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.PENDING


def test_refusing_needs_grounds_and_tells_the_person(client, representative, coordinator):
    erasure = services.erasure_request_create(user=representative)
    client.force_login(coordinator)
    url = reverse("crm:erasure_request_detail", args=[erasure.pk])
    response = client.post(url, {"decision": "refuse", "grounds": ""})
    assert response.status_code == 200
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.PENDING
    client.post(url, {"decision": "refuse", "grounds": "Pledge records are kept by law."})
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REFUSED
    client.force_login(representative)
    assert "kept by law" in client.get(reverse("me:data")).content.decode()


def test_a_decided_request_cannot_be_decided_again(representative, coordinator):
    erasure = services.erasure_request_create(user=representative)
    services.erasure_request_refuse(user=coordinator, erasure_request=erasure, grounds="Law")
    with pytest.raises(DomainError):
        services.erasure_request_carry_out(user=coordinator, erasure_request=erasure)


def test_a_person_with_a_staff_account_is_not_erased(coordinator):
    staff_member = make_staff("Pact officer")
    person = PersonFactory(user=staff_member, email=staff_member.email)
    erasure = ErasureRequest.objects.create(
        person=person, due_on=ErasureRequest.due_for(timezone.now())
    )
    with pytest.raises(DomainError):
        services.erasure_request_carry_out(user=coordinator, erasure_request=erasure)
    staff_member.refresh_from_db()
    assert staff_member.is_active


def test_an_unknown_decision_changes_nothing(client, representative, coordinator):
    erasure = services.erasure_request_create(user=representative)
    client.force_login(coordinator)
    response = client.post(
        reverse("crm:erasure_request_detail", args=[erasure.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 200
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.PENDING


def test_an_unknown_erasure_request_is_not_found(client, coordinator):
    client.force_login(coordinator)
    url = reverse("crm:erasure_request_detail", args=[999999])
    assert client.get(url).status_code == 404


# --- Access log page ----------------------------------------------------------------------


def test_the_access_log_shows_who_saw_a_person_and_filters_by_person(client, coordinator):
    officer = make_staff("Pact officer")
    seen, unseen = PersonFactory(), PersonFactory()
    client.force_login(officer)
    client.get(reverse("crm:person_detail", args=[seen.pk]), HTTP_USER_AGENT="Firefox/140")
    client.force_login(coordinator)
    response = client.get(reverse("crm:access_log"), {"person": seen.pk})
    entries = list(response.context["page"])
    assert [(e.actor, e.subject_id) for e in entries] == [(officer, str(seen.pk))]
    assert entries[0].ip == "127.0.0.1" and entries[0].user_agent == "Firefox/140"
    response = client.get(reverse("crm:access_log"), {"person": unseen.pk})
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "1e5"])
def test_a_bad_person_filter_is_answered_with_a_message_not_an_error(client, coordinator, value):
    client.force_login(coordinator)
    response = client.get(reverse("crm:access_log"), {"person": value})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_bad_page_number_on_the_erasure_list_gives_a_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("crm:erasure_request_list"), {"page": "9" * 30, "status": "x"})
    assert response.status_code == 200


def test_the_coordinators_own_reading_is_logged(client, representative, coordinator):
    erasure = services.erasure_request_create(user=representative)
    client.force_login(coordinator)
    client.get(reverse("crm:erasure_request_detail", args=[erasure.pk]))
    entry = AccessLogEntry.objects.get(subject_type="crm.erasurerequest")
    assert list(entry.people.values_list("person_id", flat=True)) == [erasure.person_id]


def test_waiting_erasure_requests_are_a_work_queue_of_the_coordinator_alone(
    representative, coordinator, pact_officer
):
    from crm import selectors

    services.erasure_request_create(user=representative)
    lines = {line["queue"].key: line["count"] for line in selectors.work_waiting(user=coordinator)}
    assert lines["erasure_requests"] == 1
    officer_lines = selectors.work_waiting(user=pact_officer)
    assert "erasure_requests" not in {line["queue"].key for line in officer_lines}
