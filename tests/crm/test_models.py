import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crm.models import Organisation, Person
from crm.validators import normalize_transparency_register_id
from tests.crm.factories import AffiliationFactory, OrganisationFactory, PersonFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("86045688255-44", "86045688255-44"),
        ("  0123456789-01 ", "0123456789-01"),
        ("REG 86045688255-44", "86045688255-44"),
        ("reg86045688255-44", "86045688255-44"),
        ("", None),
        (None, None),
    ],
)
def test_transparency_register_id_is_normalised(typed, stored):
    assert normalize_transparency_register_id(typed) == stored


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["1234567-12", "12345678901234-12", "123456789-1", "ABCDEFGHI-12"])
def test_malformed_transparency_register_id_is_refused(bad):
    organisation = OrganisationFactory.build(transparency_register_id=bad)
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert "transparency_register_id" in excinfo.value.message_dict


@pytest.mark.django_db
def test_transparency_register_id_is_unique_when_present():
    OrganisationFactory(transparency_register_id="86045688255-44")
    OrganisationFactory(transparency_register_id=None)
    OrganisationFactory(transparency_register_id=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(transparency_register_id="86045688255-44")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "region"), [("DE", "eu"), ("US", "us"), ("NO", "other"), ("", "")]
)
def test_hq_region_follows_the_country(country, region):
    organisation = OrganisationFactory(country=country)
    assert organisation.hq_region == region


@pytest.mark.django_db
def test_eea_flag_covers_norway_but_eu_flag_does_not():
    organisation = OrganisationFactory(country="NO")
    assert organisation.in_eea and not organisation.in_eu


@pytest.mark.django_db
def test_person_email_is_unique_regardless_of_case():
    PersonFactory(email="Ada@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="ada@example.org")


@pytest.mark.django_db
def test_acting_affiliations_need_confirmation_representation_and_a_confirmed_organisation():
    from crm.models import Affiliation

    acting = AffiliationFactory(is_representative=True)
    AffiliationFactory(is_representative=False)
    AffiliationFactory(is_representative=True, status=Affiliation.Status.REQUESTED)
    AffiliationFactory(
        is_representative=True, organisation=OrganisationFactory(status=Organisation.Status.PENDING)
    )
    assert list(Affiliation.objects.acting()) == [acting]


@pytest.mark.django_db
def test_ended_affiliation_no_longer_acts():
    import datetime

    from crm.models import Affiliation

    AffiliationFactory(
        is_representative=True,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
    )
    assert not Affiliation.objects.acting().exists()


@pytest.mark.django_db
def test_person_str_is_the_full_name():
    assert str(Person(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
