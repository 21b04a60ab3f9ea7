import pytest

from core.errors import DomainError
from core.models import AuditEntry
from crm import selectors, services
from crm.models import Affiliation, Consent, Organisation, Person
from tests.crm.factories import OrganisationFactory, PersonFactory, UserFactory

REGISTRATION = {
    "name": "Nordic Vision AI",
    "country": "SE",
    "type": Organisation.Type.STARTUP,
    "size": Organisation.Size.SMALL,
    "ai_role": Organisation.AIRole.PROVIDER,
    "transparency_register_id": "REG 123456789-12",
    "position": "Founder",
}


@pytest.mark.django_db
def test_registering_an_organisation_makes_a_pending_representative(user):
    affiliation = services.organisation_register(user=user, **REGISTRATION)
    organisation = affiliation.organisation
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.transparency_register_id == "123456789-12"
    assert organisation.hq_region == "eu"
    assert affiliation.is_representative
    assert affiliation.status == Affiliation.Status.REQUESTED
    assert affiliation.person.user == user
    assert not selectors.user_can_act_for(user=user, organisation=organisation)
    assert AuditEntry.objects.filter(action="crm.organisation.registered").exists()


@pytest.mark.django_db
def test_unverified_email_cannot_register_an_organisation(unverified_user):
    with pytest.raises(DomainError, match="confirm your email"):
        services.organisation_register(user=unverified_user, **REGISTRATION)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_duplicate_transparency_register_id_is_refused_on_its_field(user):
    OrganisationFactory(transparency_register_id="123456789-12")
    with pytest.raises(DomainError) as excinfo:
        services.organisation_register(user=user, **REGISTRATION)
    assert excinfo.value.field == "transparency_register_id"
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_confirming_the_first_representative_confirms_the_organisation(user, pact_officer):
    affiliation = services.organisation_register(user=user, **REGISTRATION)
    services.affiliation_confirm(user=pact_officer, affiliation=affiliation)
    affiliation.organisation.refresh_from_db()
    assert affiliation.organisation.status == Organisation.Status.ACTIVE
    assert selectors.user_can_act_for(user=user, organisation=affiliation.organisation)


@pytest.mark.django_db
def test_refusing_the_first_representative_rejects_the_new_organisation(user, pact_officer):
    affiliation = services.organisation_register(user=user, **REGISTRATION)
    services.affiliation_refuse(user=pact_officer, affiliation=affiliation, reason="Unknown")
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.REFUSED
    assert affiliation.organisation.status == Organisation.Status.REJECTED


@pytest.mark.django_db
def test_a_request_is_handled_once(user, pact_officer):
    affiliation = services.organisation_register(user=user, **REGISTRATION)
    services.affiliation_confirm(user=pact_officer, affiliation=affiliation)
    with pytest.raises(DomainError, match="already been handled"):
        services.affiliation_refuse(user=pact_officer, affiliation=affiliation)


@pytest.mark.django_db
def test_asking_to_represent_an_existing_organisation(user, organisation):
    affiliation = services.affiliation_request(user=user, organisation=organisation, position="CTO")
    assert affiliation.status == Affiliation.Status.REQUESTED
    with pytest.raises(DomainError, match="already asked"):
        services.affiliation_request(user=user, organisation=organisation)


@pytest.mark.django_db
def test_cannot_ask_to_represent_an_unconfirmed_organisation(user):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    with pytest.raises(DomainError):
        services.affiliation_request(user=user, organisation=pending)


@pytest.mark.django_db
def test_person_is_linked_by_email_when_it_already_exists_in_the_crm():
    person = PersonFactory(email="known@example.org")
    user = UserFactory(email="KNOWN@example.org")
    assert services.person_ensure_for_user(user=user) == person
    person.refresh_from_db()
    assert person.user == user


@pytest.mark.django_db
def test_profile_update_keeps_user_and_person_in_step(user):
    person = services.person_update_profile(
        user=user, first_name="Ada", last_name="Lovelace", nationality="IE", preferred_language="ga"
    )
    user.refresh_from_db()
    assert (user.first_name, person.last_name, person.preferred_language) == (
        "Ada",
        "Lovelace",
        "ga",
    )
    assert Person.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_consent_is_recorded_once_per_notice_version_and_can_be_withdrawn():
    person = PersonFactory()
    first = services.consent_give(person=person, purpose="newsletter", privacy_notice="pact")
    again = services.consent_give(person=person, purpose="newsletter", privacy_notice="pact")
    assert first == again
    assert services.consent_withdraw(person=person, purpose="newsletter") == 1
    assert Consent.objects.get().withdrawn_at is not None


@pytest.mark.django_db
def test_empty_note_is_refused(staff, organisation):
    with pytest.raises(DomainError):
        services.note_add(user=staff, text="   ", organisation=organisation)


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["affiliation_confirm", "affiliation_refuse"])
def test_only_staff_who_confirm_representatives_may_decide_a_request(service, organisation):
    from django.core.exceptions import PermissionDenied

    from crm.models import Affiliation
    from tests.crm.factories import AffiliationFactory, UserFactory, make_staff

    request = AffiliationFactory(
        organisation=organisation, is_representative=True, status=Affiliation.Status.REQUESTED
    )
    for outsider in (UserFactory(), make_staff("Events manager")):
        with pytest.raises(PermissionDenied):
            getattr(services, service)(user=outsider, affiliation=request)
    request.refresh_from_db()
    assert request.status == Affiliation.Status.REQUESTED


@pytest.mark.django_db
def test_a_non_staff_user_cannot_add_a_note(organisation):
    from django.core.exceptions import PermissionDenied

    from crm.models import Note
    from tests.crm.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.note_add(user=UserFactory(), text="Met them", organisation=organisation)
    assert not Note.objects.exists()
