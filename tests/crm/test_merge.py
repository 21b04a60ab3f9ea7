"""Duplicates: the finder, and a merge that moves every related record from each app to the
survivor through the registry, then an undo that puts everything back."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from core.models import AuditEntry
from crm import dedupe, merge, selectors, services
from crm.models import Affiliation, Consent, MergeRecord, Note, Organisation, Person
from forums.models import Application, EventInvitation, Membership, Registration
from pact import services as pact_services
from pact.models import NetworkMembership, Pledge
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    make_representative,
    make_staff,
)
from tests.forums.factories import (
    CallFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    RegistrationFactory,
)
from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db


def _merge(user, survivor, loser, kind="organisation"):
    return merge.records_merge(user=user, kind=kind, survivor_id=survivor.pk, loser_id=loser.pk)


# --- finding ------------------------------------------------------------------------------


def test_name_keys_ignore_case_accents_punctuation_and_legal_form():
    assert dedupe.organisation_name_key("Telepass S.p.A. (TLP)") == "telepass"
    assert dedupe.organisation_name_key("TELEPASS SPA") == "telepass"
    assert dedupe.organisation_name_key("Telefónica, S.A.") == dedupe.organisation_name_key(
        "telefonica sa"
    )
    assert dedupe.email_key("Anna.Novak+events@GoogleMail.com") == "annanovak@gmail.com"
    assert dedupe.website_key("http://www.example.eu/about") == "example.eu"
    assert dedupe.website_key("https://linkedin.com/company/x") == ""


def test_the_scan_pairs_same_names_same_websites_and_near_names():
    a = OrganisationFactory(name="Telefónica S.A.", website="https://www.telefonica.com")
    b = OrganisationFactory(name="TELEFONICA", website="")
    c = OrganisationFactory(name="Other", website="http://telefonica.com/es")
    d = OrganisationFactory(name="Associazione Igienisti Dentali Italianis")
    e = OrganisationFactory(name="Associazione  Igienisti Dentali Italiani")
    OrganisationFactory(name="Unrelated")
    # Different numbers make different organisations, however close the spelling.
    OrganisationFactory(name="Regional Health Board 12")
    OrganisationFactory(name="Regional Health Board 13")
    result = dedupe.scan("organisation")
    pairs = {(x, y): set(reasons) for x, y, reasons in result["pairs"]}
    assert pairs[(a.pk, b.pk)] == {"name"}
    assert pairs[(a.pk, c.pk)] == {"website"}
    assert "similar_name" in pairs[(d.pk, e.pk)]
    assert result["total"] == len(pairs) == 3


def test_the_scan_pairs_people_by_normalised_email_and_name():
    a = PersonFactory(first_name="Anna", last_name="Nowak", email="anna.nowak+x@example.org")
    b = PersonFactory(first_name="Ánna", last_name="NOWAK", email="anna.nowak@example.org")
    PersonFactory(first_name="Jan", last_name="Other")
    pairs = {(x, y): set(r) for x, y, r in dedupe.scan("person")["pairs"]}
    assert pairs == {(a.pk, b.pk): {"email", "name"}}


def test_the_duplicates_page_runs_a_scan_and_lists_pairs(
    client, pact_officer, django_capture_on_commit_callbacks
):
    a = OrganisationFactory(name="Acme GmbH")
    b = OrganisationFactory(name="ACME")
    client.force_login(pact_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/crm/duplicates/", {"kind": "organisation"})
    assert response.status_code == 302
    page = client.get("/crm/duplicates/?kind=organisation")
    assert page.status_code == 200
    assert f"/crm/duplicates/merge/organisation/{a.pk}/{b.pk}/" in page.content.decode()


# --- merging organisations ------------------------------------------------------------------


@pytest.fixture
def twins(pact_officer):
    """Two records of one company, each with records in the CRM, the Pact and forums."""
    survivor = OrganisationFactory(name="Acme", website="", acronym="")
    loser = OrganisationFactory(
        name="ACME S.A.",
        acronym="ACM",
        website="https://acme.example",
        transparency_register_id="12345678901-23",
    )
    rep = make_representative(loser)
    pledge = make_pledge(loser, rep, status="submitted")
    network = pact_services.network_join(
        user=rep, organisation=loser, interests=["webinars"], contact_email=rep.email
    )
    services.note_add(user=pact_officer, organisation=loser, text="Met at the workshop")
    services.organisations_tag(user=pact_officer, organisations=[loser], tag_name="SME")
    shared = PersonFactory()
    AffiliationFactory(person=shared, organisation=survivor)
    AffiliationFactory(person=shared, organisation=loser)
    event = EventFactory()
    InvitationFactory(event=event, organisation=loser)
    InvitationFactory(event=event, organisation=survivor)
    registration = RegistrationFactory(organisation=loser)
    membership = MembershipFactory(organisation=loser, person=None, member_type="organisation")
    application = Application.objects.create(
        call=CallFactory(), kind="organisation", person=PersonFactory(), organisation=loser,
        role="member",
    )  # fmt: skip
    return {
        "survivor": survivor,
        "loser": loser,
        "pledge": pledge,
        "network": network,
        "registration": registration,
        "membership": membership,
        "application": application,
        "event": event,
        "rep": rep,
    }


def test_a_merge_moves_every_related_record_and_undo_puts_them_back(pact_officer, twins):
    survivor, loser = twins["survivor"], twins["loser"]
    loser_id = loser.pk
    before = {
        "affiliations": set(loser.affiliations.values_list("pk", flat=True)),
        "notes": set(loser.notes.values_list("pk", flat=True)),
    }
    record = _merge(pact_officer, survivor, loser)

    assert not Organisation.objects.filter(pk=loser_id).exists()
    assert Pledge.objects.get(pk=twins["pledge"].pk).organisation_id == survivor.pk
    assert NetworkMembership.objects.get(pk=twins["network"].pk).organisation_id == survivor.pk
    assert Registration.objects.get(pk=twins["registration"].pk).organisation_id == survivor.pk
    assert Membership.objects.get(pk=twins["membership"].pk).organisation_id == survivor.pk
    assert Application.objects.get(pk=twins["application"].pk).organisation_id == survivor.pk
    assert EventInvitation.objects.filter(organisation=survivor).count() == 1
    assert set(survivor.affiliations.values_list("pk", flat=True)) >= before["affiliations"]
    assert survivor.affiliations.filter(valid_to__isnull=True).count() == 2  # shared + rep
    assert set(survivor.notes.values_list("pk", flat=True)) == before["notes"]
    assert list(survivor.tags.values_list("name", flat=True)) == ["SME"]
    survivor.refresh_from_db()
    assert survivor.transparency_register_id == "12345678901-23"
    assert survivor.website == "https://acme.example"
    assert record.counts["pact.pledges"] == 1
    assert AuditEntry.objects.filter(action="crm.organisation.merged").count() == 1
    # The history of the merged record stays readable on the survivor's page.
    history = selectors.record_history(survivor)
    assert {e.action for e in history} >= {"crm.organisation.merged", "crm.note.added"}

    restored = merge.merge_undo(user=pact_officer, merge=record)

    assert restored.pk == loser_id
    loser = Organisation.objects.get(pk=loser_id)
    assert loser.name == "ACME S.A." and loser.transparency_register_id == "12345678901-23"
    assert Pledge.objects.get(pk=twins["pledge"].pk).organisation_id == loser_id
    assert NetworkMembership.objects.get(pk=twins["network"].pk).organisation_id == loser_id
    assert Registration.objects.get(pk=twins["registration"].pk).organisation_id == loser_id
    assert Membership.objects.get(pk=twins["membership"].pk).organisation_id == loser_id
    assert Application.objects.get(pk=twins["application"].pk).organisation_id == loser_id
    assert EventInvitation.objects.filter(organisation=loser).count() == 1
    assert EventInvitation.objects.filter(organisation=survivor).count() == 1
    assert set(loser.affiliations.values_list("pk", flat=True)) == before["affiliations"]
    assert loser.affiliations.filter(valid_to__isnull=True).count() == 2
    assert set(loser.notes.values_list("pk", flat=True)) == before["notes"]
    assert list(loser.tags.values_list("name", flat=True)) == ["SME"]
    survivor.refresh_from_db()
    assert survivor.transparency_register_id is None and survivor.website == ""
    assert not survivor.tags.exists()
    record.refresh_from_db()
    assert record.undone_at is not None
    with pytest.raises(DomainError, match="already been undone"):
        merge.merge_undo(user=pact_officer, merge=record)


def test_two_active_pledges_refuse_the_merge_and_change_nothing(pact_officer):
    survivor, loser = OrganisationFactory(), OrganisationFactory()
    make_pledge(survivor, make_representative(survivor), status="submitted")
    make_pledge(loser, make_representative(loser), status="draft")
    with pytest.raises(DomainError, match="pledge"):
        _merge(pact_officer, survivor, loser)
    assert Organisation.objects.filter(pk=loser.pk).exists()
    assert not MergeRecord.objects.exists()


def test_merging_needs_the_right_to_change_records():
    survivor, loser = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(PermissionDenied):
        _merge(make_staff("Events manager"), survivor, loser)
    with pytest.raises(DomainError, match="itself"):
        _merge(make_staff("Pact officer"), survivor, survivor)


# --- merging people -----------------------------------------------------------------------------


def test_a_merge_of_people_moves_everything_and_undo_restores_it(pact_officer):
    secretariat = make_staff("Pact officer", "Body secretariat")
    survivor = PersonFactory(first_name="Anna", last_name="Nowak", phone="")
    rep = make_representative(first_name="Anna", last_name="Nowak")
    loser = rep.person
    loser.phone = "+32 2 000 00 00"
    loser.save()
    services.consent_give(person=loser, purpose="newsletter", privacy_notice="Newsletter")
    services.note_add(user=pact_officer, person=loser, text="Prefers email")
    registration = RegistrationFactory(person=loser)
    membership = MembershipFactory(person=loser)
    application = Application.objects.create(
        call=CallFactory(), kind="individual", person=loser, role="member"
    )
    invitation = InvitationFactory(person=loser)
    loser_id = loser.pk

    record = _merge(secretariat, survivor, loser, kind="person")

    survivor.refresh_from_db()
    assert survivor.user_id == rep.pk
    assert survivor.phone == "+32 2 000 00 00"
    assert Consent.objects.filter(person=survivor).count() == 1
    assert Note.objects.filter(person=survivor).count() == 1
    assert Registration.objects.get(pk=registration.pk).person_id == survivor.pk
    assert Membership.objects.get(pk=membership.pk).person_id == survivor.pk
    assert Application.objects.get(pk=application.pk).person_id == survivor.pk
    assert EventInvitation.objects.get(pk=invitation.pk).person_id == survivor.pk
    assert Affiliation.objects.filter(person=survivor).count() == 1

    merge.merge_undo(user=secretariat, merge=record)

    loser = Person.objects.get(pk=loser_id)
    survivor.refresh_from_db()
    assert loser.user_id == rep.pk and survivor.user_id is None
    assert loser.email == rep.email and loser.phone == "+32 2 000 00 00"
    assert survivor.phone == ""
    assert Consent.objects.filter(person=loser).count() == 1
    assert Registration.objects.get(pk=registration.pk).person_id == loser_id
    assert Membership.objects.get(pk=membership.pk).person_id == loser_id
    assert Application.objects.get(pk=application.pk).person_id == loser_id
    assert EventInvitation.objects.get(pk=invitation.pk).person_id == loser_id
    assert Affiliation.objects.filter(person=loser).count() == 1


def test_two_accounts_or_two_registrations_for_one_event_refuse_a_merge(pact_officer):
    a, b = make_representative().person, make_representative().person
    with pytest.raises(DomainError, match="user account"):
        _merge(pact_officer, a, b, kind="person")
    c, d = PersonFactory(), PersonFactory()
    event = EventFactory()
    RegistrationFactory(event=event, person=c)
    RegistrationFactory(event=event, person=d)
    with pytest.raises(DomainError, match="same event"):
        _merge(pact_officer, c, d, kind="person")
    assert Person.objects.filter(pk=d.pk).exists()


def test_undo_is_refused_when_the_survivor_was_merged_away_since(pact_officer):
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    first = _merge(pact_officer, a, b)
    second = _merge(pact_officer, c, a)
    with pytest.raises(DomainError, match="undo that merge first"):
        merge.merge_undo(user=pact_officer, merge=first)
    merge.merge_undo(user=pact_officer, merge=second)
    merge.merge_undo(user=pact_officer, merge=first)
    assert Organisation.objects.filter(pk__in=[a.pk, b.pk, c.pk]).count() == 3


def test_the_merge_pages_merge_and_undo(client, pact_officer):
    survivor, loser = OrganisationFactory(name="Acme"), OrganisationFactory(name="ACME SA")
    note = services.note_add(user=pact_officer, organisation=loser, text="Call back")
    client.force_login(pact_officer)
    url = f"/crm/duplicates/merge/organisation/{survivor.pk}/{loser.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Notes" in page.content.decode()
    response = client.post(url, {"survivor": str(loser.pk)})
    assert response.status_code == 302
    record = MergeRecord.objects.get()
    assert record.survivor_id == loser.pk  # staff chose which one to keep
    assert Note.objects.get(pk=note.pk).organisation_id == loser.pk
    detail = client.get(record.get_absolute_url())
    assert detail.status_code == 200
    response = client.post(f"/crm/merges/{record.pk}/undo/")
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=survivor.pk).exists()
    assert client.get("/crm/merges/").status_code == 200


def test_an_events_manager_cannot_open_the_merge_pages(client):
    a, b = OrganisationFactory(), OrganisationFactory()
    client.force_login(make_staff("Events manager"))
    assert client.get(f"/crm/duplicates/merge/organisation/{a.pk}/{b.pk}/").status_code == 403
    assert client.get("/crm/duplicates/").status_code == 403


def test_the_link_that_lets_a_person_act_stays_open(pact_officer):
    organisation = OrganisationFactory()
    survivor, loser = PersonFactory(), PersonFactory()
    plain = AffiliationFactory(person=survivor, organisation=organisation)
    acting = AffiliationFactory(person=loser, organisation=organisation, is_representative=True)
    record = _merge(pact_officer, survivor, loser, kind="person")
    plain.refresh_from_db()
    acting.refresh_from_db()
    assert plain.valid_to is not None and acting.valid_to is None
    assert acting.person_id == survivor.pk
    merge.merge_undo(user=pact_officer, merge=record)
    plain.refresh_from_db()
    acting.refresh_from_db()
    assert plain.valid_to is None and acting.valid_to is None
    assert acting.person_id == loser.pk
