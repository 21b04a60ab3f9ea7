"""Staff keep organisations and people: create, correct, link and unlink, with the history of
each field and clear refusals."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from core.models import AuditEntry
from crm import selectors, services
from crm.models import Affiliation, Organisation, Person
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_representative,
    make_staff,
)

pytestmark = pytest.mark.django_db

NEW_ORGANISATION = {
    "name": "  Telefónica Innovación ",
    "acronym": "TID",
    "transparency_register_id": "REG 12345678901-23",
    "country": "ES",
    "type": Organisation.Type.COMPANY,
    "size": Organisation.Size.LARGE,
    "ai_role": Organisation.AIRole.BOTH,
    "website": "https://example.es",
}


def test_staff_add_an_organisation_with_a_normalised_register_id(pact_officer):
    organisation = services.organisation_create(user=pact_officer, **NEW_ORGANISATION)
    assert organisation.name == "Telefónica Innovación"
    assert organisation.transparency_register_id == "12345678901-23"
    assert organisation.hq_region == "eu"
    assert organisation.status == Organisation.Status.ACTIVE
    assert AuditEntry.objects.filter(action="crm.organisation.created").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("transparency_register_id", "12-34", "8 to 13 digits"),
        ("name", "", "This field cannot be blank."),
        ("website", "not a site", "Enter a valid URL."),
    ],
)
def test_bad_organisation_values_are_refused_naming_the_field(pact_officer, field, value, message):
    with pytest.raises(DomainError) as refused:
        services.organisation_create(user=pact_officer, **{**NEW_ORGANISATION, field: value})
    assert refused.value.field == field
    assert message in str(refused.value)
    assert not Organisation.objects.exists()


def test_a_register_id_already_used_is_refused(pact_officer):
    OrganisationFactory(transparency_register_id="12345678901-23")
    with pytest.raises(DomainError) as refused:
        services.organisation_create(user=pact_officer, **NEW_ORGANISATION)
    assert refused.value.field == "transparency_register_id"
    assert Organisation.objects.count() == 1


def test_correcting_an_organisation_records_each_field_before_and_after(pact_officer):
    organisation = OrganisationFactory(name="Acme", country="BE")
    services.organisation_update(
        user=pact_officer, organisation=organisation, name="Acme SA", country="FR", acronym=""
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.country.code) == ("Acme SA", "FR")
    entry = AuditEntry.objects.get(action="crm.organisation.updated")
    assert entry.data["changes"] == {"name": ["Acme", "Acme SA"], "country": ["BE", "FR"]}
    assert entry.actor == pact_officer


def test_saving_an_organisation_unchanged_records_nothing(pact_officer):
    organisation = OrganisationFactory()
    services.organisation_update(
        user=pact_officer, organisation=organisation, name=organisation.name
    )
    assert not AuditEntry.objects.filter(action="crm.organisation.updated").exists()


def test_only_staff_with_the_permission_change_records(organisation):
    for outsider in (
        UserFactory(),
        make_representative(organisation),
        make_staff("Events manager"),
    ):
        with pytest.raises(PermissionDenied):
            services.organisation_update(user=outsider, organisation=organisation, name="Hacked")
        with pytest.raises(PermissionDenied):
            services.person_create(
                user=outsider, first_name="A", last_name="B", email="ab@example.org"
            )
    organisation.refresh_from_db()
    assert organisation.name != "Hacked"
    assert not Person.objects.filter(email="ab@example.org").exists()


def test_a_second_person_with_the_same_email_in_other_case_is_refused(pact_officer):
    PersonFactory(email="ana@example.org")
    with pytest.raises(DomainError) as refused:
        services.person_create(
            user=pact_officer, first_name="Ana", last_name="Ruiz", email="ANA@example.org"
        )
    assert refused.value.field == "email"


def test_linking_and_ending_a_representative_takes_their_powers_away_at_once(
    pact_officer, organisation
):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    link = services.affiliation_add(
        user=pact_officer, person=person, organisation=organisation, is_representative=True
    )
    assert selectors.user_can_act_for(user=user, organisation=organisation)
    link.valid_from = link.valid_from.replace(year=link.valid_from.year - 1)
    link.save()
    services.affiliation_end(user=pact_officer, affiliation=link)
    assert not selectors.user_can_act_for(user=user, organisation=organisation)
    with pytest.raises(DomainError):
        services.affiliation_end(user=pact_officer, affiliation=link)


def test_the_same_link_twice_is_refused(pact_officer, organisation):
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=organisation)
    with pytest.raises(DomainError):
        services.affiliation_add(user=pact_officer, person=person, organisation=organisation)
    assert Affiliation.objects.count() == 1


# --- through the pages ------------------------------------------------------------------


def test_staff_add_an_organisation_from_the_list_page(client, pact_officer):
    client.force_login(pact_officer)
    assert 'href="/crm/organisations/new/"' in client.get("/crm/organisations/").content.decode()
    response = client.post(
        "/crm/organisations/new/",
        {**NEW_ORGANISATION, "status": "active", "name": "Nordic Vision"},
    )
    organisation = Organisation.objects.get(name="Nordic Vision")
    assert response["Location"] == organisation.get_absolute_url()


def test_a_bad_register_id_is_shown_next_to_its_field_and_nothing_is_saved(client, pact_officer):
    client.force_login(pact_officer)
    response = client.post(
        "/crm/organisations/new/",
        {**NEW_ORGANISATION, "status": "active", "transparency_register_id": "REG 12"},
    )
    assert response.status_code == 400
    assert "8 to 13 digits" in response.content.decode()
    assert not Organisation.objects.exists()


def test_the_history_shows_what_an_edit_changed(client, pact_officer):
    organisation = OrganisationFactory(name="Acme")
    client.force_login(pact_officer)
    data = {
        "name": "Acme SA",
        "country": "BE",
        "type": organisation.type,
        "size": organisation.size,
        "ai_role": organisation.ai_role,
        "status": organisation.status,
    }
    response = client.post(f"/crm/organisations/{organisation.pk}/edit/", data)
    assert response.status_code == 302
    text = client.get(organisation.get_absolute_url()).content.decode()
    assert "Organisation updated" in text


def test_staff_leave_unknown_facts_as_not_stated(client, pact_officer):
    organisation = OrganisationFactory(name="Acme", country="FR", type="company", ai_role="both")
    client.force_login(pact_officer)
    form = client.get(f"/crm/organisations/{organisation.pk}/edit/").content.decode()
    assert form.count('<option value="">Not stated</option>') == 4  # country, type, size, role
    assert "---------" not in form
    data = {
        "name": "Acme",
        "country": "",
        "type": "",
        "size": "",
        "ai_role": "",
        "status": "active",
    }
    response = client.post(f"/crm/organisations/{organisation.pk}/edit/", data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.country, organisation.type, organisation.ai_role) == ("", "", "")
    assert organisation.hq_region == ""
    assert client.get(organisation.get_absolute_url()).content.decode().count("Not stated") == 4


def test_staff_add_a_person_from_an_organisation_and_they_are_linked(client, pact_officer):
    organisation = OrganisationFactory()
    client.force_login(pact_officer)
    response = client.post(
        f"/crm/people/new/?organisation={organisation.pk}",
        {
            "first_name": "Jana",
            "last_name": "Novák",
            "email": "jana@example.cz",
            "preferred_language": "cs",
            "position": "DPO",
        },
    )
    person = Person.objects.get(email="jana@example.cz")
    assert response["Location"] == person.get_absolute_url()
    assert person.affiliations.get().organisation == organisation
    assert person.affiliations.get().position == "DPO"


def test_staff_link_a_person_found_by_search_and_end_the_link_after_confirming(
    client, pact_officer, organisation
):
    person = PersonFactory(last_name="Kowalska")
    client.force_login(pact_officer)
    page = client.get(organisation.get_absolute_url(), {"person_q": "kowal"}).content.decode()
    assert "Kowalska" in page
    client.post(
        "/crm/affiliations/new/",
        {"person": person.pk, "organisation": organisation.pk, "next": "/crm/"},
    )
    link = Affiliation.objects.get(person=person)
    confirm = client.get(f"/crm/affiliations/{link.pk}/end/")
    assert "End the link between" in confirm.content.decode()
    link.refresh_from_db()
    assert link.valid_to is None
    client.post(f"/crm/affiliations/{link.pk}/end/", {"confirmed": "yes"})
    link.refresh_from_db()
    assert link.valid_to is not None


def test_events_managers_see_records_but_cannot_change_them(client, organisation):
    client.force_login(make_staff("Events manager"))
    text = client.get(organisation.get_absolute_url()).content.decode()
    assert "/edit/" not in text
    assert client.get(f"/crm/organisations/{organisation.pk}/edit/").status_code == 403
    assert client.post("/crm/organisations/new/", NEW_ORGANISATION).status_code == 403


# --- finding records ---------------------------------------------------------------------


def test_search_ignores_case_and_accents_both_ways(pact_officer):
    from crm.text import fold

    telefonica = OrganisationFactory(name="Telefónica Investigación y Desarrollo")
    lodz = OrganisationFactory(name="Uniwersytet Łódzki", acronym="UŁ")
    OrganisationFactory(name="Acme")
    names = lambda q: {o.name for o in selectors.organisation_list(user=pact_officer, query=q)}  # noqa: E731
    assert names("telefonica") == {telefonica.name}
    assert names("TELEFÓNICA investigacion") == {telefonica.name}
    assert names("lodzki") == {lodz.name}
    assert names("ul") == {lodz.name}
    assert fold("  Müller\tStraße ") == "muller strasse"


def test_people_are_found_by_name_or_email_without_accents(pact_officer):
    person = PersonFactory(first_name="Zoë", last_name="Ñúñez", email="zoe@example.es")
    found = selectors.person_list(user=pact_officer, query="nunez zoe")
    assert list(found) == [person]
    person.last_name = "Smith"
    person.save(update_fields=["last_name"])
    assert not selectors.person_list(user=pact_officer, query="nunez").exists()


def test_lists_sort_without_regard_to_case_and_both_ways(client, pact_officer):
    for name in ("beta", "Alpha", "ASIMOV", "charlie"):
        OrganisationFactory(name=name)
    client.force_login(pact_officer)

    def order(sort):
        page = client.get("/crm/organisations/", {"sort": sort}).context["page"]
        return [o.name for o in page]

    assert order("name") == ["Alpha", "ASIMOV", "beta", "charlie"]
    assert order("-name") == ["charlie", "beta", "ASIMOV", "Alpha"]
    assert order("nonsense") == ["Alpha", "ASIMOV", "beta", "charlie"]
    text = client.get("/crm/organisations/", {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in text


def test_the_csv_export_is_exactly_the_filtered_list_and_formula_safe(client, pact_officer):
    import csv
    import io

    OrganisationFactory(name="Société Générale", country="FR")
    OrganisationFactory(name="=HYPERLINK(1)", country="FR")
    OrganisationFactory(name="Acme", country="BE")
    client.force_login(pact_officer)
    response = client.get("/crm/organisations/export.csv", {"country": "FR", "sort": "-name"})
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Société Générale", "'=HYPERLINK(1)"]


def test_list_pages_run_the_same_queries_whatever_the_page_holds(client, pact_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crm.models import Sector, Tag

    client.force_login(pact_officer)
    sector = Sector.objects.first()
    tag = Tag.objects.create(name="webinar")

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            organisation.sectors.add(sector)
            organisation.tags.add(tag)
            person = PersonFactory()
            person.tags.add(tag)
            AffiliationFactory(person=person, organisation=organisation)

    add(2)
    few = {p: count(p) for p in ("/crm/organisations/", "/crm/people/")}
    add(30)
    many = {p: count(p) for p in ("/crm/organisations/", "/crm/people/")}
    assert few == many


def test_staff_tag_and_untag_the_ticked_organisations(client, pact_officer):
    from crm.models import Tag

    first, second, untouched = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    client.force_login(pact_officer)
    ticked = {
        "organisations": [first.pk, second.pk],
        "tag": "Webinar 2026",
        "next": "/crm/organisations/",
    }
    response = client.post("/crm/organisations/bulk/", {**ticked, "action": "tag"}, follow=True)
    assert "2 organisations changed." in response.content.decode()
    tag = Tag.objects.get(name="Webinar 2026")
    assert set(tag.organisation_set.all()) == {first, second}
    assert AuditEntry.objects.filter(action="crm.organisation.tagged").count() == 2
    client.post("/crm/organisations/bulk/", {**ticked, "tag": "webinar 2026", "action": "untag"})
    assert not tag.organisation_set.exists()
    assert untouched.tags.count() == 0


def test_bulk_actions_refuse_nothing_ticked_and_unknown_ids_change_nothing(client, pact_officer):
    client.force_login(pact_officer)
    response = client.post("/crm/organisations/bulk/", {"action": "tag", "tag": "x"}, follow=True)
    assert "Tick at least one organisation." in response.content.decode()
    response = client.post(
        "/crm/organisations/bulk/",
        {"action": "tag", "tag": "x", "organisations": ["99999999999999999999999", "abc"]},
        follow=True,
    )
    assert response.status_code == 200
    from crm.models import Tag

    assert not Tag.objects.exists()


def test_the_ticked_organisations_download_as_csv(client, pact_officer):
    chosen = OrganisationFactory(name="Chosen")
    OrganisationFactory(name="Other")
    client.force_login(pact_officer)
    response = client.post(
        "/crm/organisations/bulk/", {"action": "export", "organisations": [chosen.pk]}
    )
    text = response.content.decode("utf-8-sig")
    assert "Chosen" in text and "Other" not in text
