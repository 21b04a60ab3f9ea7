import pytest
from django.urls import reverse

from crm.models import Affiliation, Organisation
from tests.crm.factories import AffiliationFactory, OrganisationFactory, make_staff


@pytest.mark.django_db
def test_me_requires_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_register_organisation_through_the_form(client, user):
    client.force_login(user)
    response = client.post(
        reverse("me:organisation_register"),
        {
            "name": "Baltic Robotics",
            "country": "LV",
            "type": "company",
            "size": "medium",
            "ai_role": "deployer",
            "transparency_register_id": "",
            "position": "CEO",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Baltic Robotics")
    assert organisation.status == Organisation.Status.PENDING
    dashboard = client.get("/me/")
    assert b"Baltic Robotics" in dashboard.content


@pytest.mark.django_db
def test_bad_registration_input_is_explained_and_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(
        reverse("me:organisation_register"),
        {"name": "", "country": "XX", "type": "spaceship", "transparency_register_id": "12-3"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "country", "type", "transparency_register_id", "position"} <= set(errors)
    assert b'aria-invalid="true"' in response.content
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_unverified_user_is_told_to_confirm_email(client, unverified_user):
    client.force_login(unverified_user)
    response = client.post(
        reverse("me:organisation_register"),
        {
            "name": "X Corp",
            "country": "FR",
            "type": "company",
            "ai_role": "none",
            "position": "CEO",
        },
    )
    assert response.status_code == 200
    assert b"confirm your email" in response.content
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_join_search_lists_only_confirmed_organisations(client, user):
    OrganisationFactory(name="Helios Analytics")
    OrganisationFactory(name="Helios Pending", status=Organisation.Status.PENDING)
    client.force_login(user)
    response = client.get(reverse("me:organisation_join"), {"q": "helios"})
    assert b"Helios Analytics" in response.content
    assert b"Helios Pending" not in response.content


@pytest.mark.django_db
def test_join_request_with_forged_organisation_id_is_refused(client, user):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    client.force_login(user)
    response = client.post(
        reverse("me:organisation_join"), {"organisation": pending.pk, "position": "CTO"}
    )
    assert response.status_code == 200
    assert not Affiliation.objects.exists()


@pytest.mark.django_db
def test_staff_organisation_list_filters_and_searches(client, staff):
    OrganisationFactory(name="Aurora Labs", country="FI", type="startup")
    OrganisationFactory(name="Borealis Corp", country="US")
    client.force_login(staff)
    response = client.get(reverse("crm:organisation_list"), {"hq_region": "us"})
    assert b"Borealis Corp" in response.content and b"Aurora Labs" not in response.content
    response = client.get(reverse("crm:organisation_list"), {"q": "auro"})
    assert b"Aurora Labs" in response.content and b"Borealis Corp" not in response.content


@pytest.mark.django_db
def test_staff_organisation_list_does_not_query_per_row(
    client, staff, django_assert_max_num_queries
):
    for _ in range(30):
        AffiliationFactory()
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("crm:organisation_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 25


@pytest.mark.django_db
def test_bad_filter_values_and_page_numbers_do_not_fail(client, staff):
    client.force_login(staff)
    response = client.get(
        reverse("crm:organisation_list"), {"country": "ZZ", "sectors": "abc", "page": "9999"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_organisation_page_shows_people_and_accepts_notes(client, staff):
    affiliation = AffiliationFactory(is_representative=True)
    client.force_login(staff)
    url = affiliation.organisation.get_absolute_url()
    response = client.get(url)
    assert affiliation.person.full_name.encode() in response.content
    response = client.post(url, {"kind": "call", "text": "Discussed the pledge timeline."})
    assert response.status_code == 302
    assert b"Discussed the pledge timeline." in client.get(url).content


@pytest.mark.django_db
def test_unknown_organisation_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("crm:organisation_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_pact_officer_confirms_a_representative(client, pact_officer):
    affiliation = AffiliationFactory(is_representative=True, status=Affiliation.Status.REQUESTED)
    client.force_login(pact_officer)
    queue = client.get(reverse("crm:affiliation_queue"))
    assert affiliation.person.full_name.encode() in queue.content
    response = client.post(reverse("crm:affiliation_decide", args=[affiliation.pk, "confirm"]))
    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.CONFIRMED


@pytest.mark.django_db
def test_events_manager_cannot_confirm_representatives(client, events_manager):
    affiliation = AffiliationFactory(is_representative=True, status=Affiliation.Status.REQUESTED)
    client.force_login(events_manager)
    assert client.get(reverse("crm:affiliation_queue")).status_code == 403
    response = client.post(reverse("crm:affiliation_decide", args=[affiliation.pk, "confirm"]))
    assert response.status_code == 403
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.REQUESTED


@pytest.mark.django_db
def test_unknown_decision_is_a_404(client, pact_officer):
    affiliation = AffiliationFactory(is_representative=True, status=Affiliation.Status.REQUESTED)
    client.force_login(pact_officer)
    response = client.post(reverse("crm:affiliation_decide", args=[affiliation.pk, "approve"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_consents_are_visible_only_to_roles_allowed_to_see_them(client):
    from crm.services import consent_give

    affiliation = AffiliationFactory()
    consent_give(person=affiliation.person, purpose="newsletter", privacy_notice="pact")
    url = affiliation.person.get_absolute_url()
    client.force_login(make_staff("Events manager"))
    assert b"Consents" not in client.get(url).content
    client.force_login(make_staff("Data-protection coordinator"))
    assert b"Consents" in client.get(url).content


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    from django.core.management import call_command

    from crm.models import Person

    call_command("seed_demo")
    counts = (Organisation.objects.count(), Person.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Person.objects.count()) == counts
    assert counts[0] > 50


@pytest.mark.django_db
def test_staff_find_an_organisation_by_the_start_of_its_register_id(client, staff):
    OrganisationFactory(name="Registered Co", transparency_register_id="86045688255-44")
    OrganisationFactory(name="Other Co", transparency_register_id="12345678-90")
    client.force_login(staff)
    response = client.get(reverse("crm:organisation_list"), {"q": "8604568"})
    assert b"Registered Co" in response.content and b"Other Co" not in response.content


@pytest.mark.django_db
def test_organisation_list_counts_people_but_not_refused_requests(client, staff):
    organisation = OrganisationFactory()
    AffiliationFactory(organisation=organisation)
    AffiliationFactory(organisation=organisation)
    AffiliationFactory(organisation=organisation, status=Affiliation.Status.REFUSED)
    client.force_login(staff)
    response = client.get(reverse("crm:organisation_list"))
    row = next(o for o in response.context["page"] if o.pk == organisation.pk)
    assert row.people_count == 2


@pytest.mark.django_db
def test_history_shows_actions_in_words_not_codes(client, staff, organisation):
    from crm import services

    services.note_add(user=staff, text="Met at the workshop", organisation=organisation)
    client.force_login(staff)
    text = client.get(organisation.get_absolute_url()).content.decode()
    assert "Note added" in text
    assert "crm.note.added" not in text


@pytest.mark.django_db
def test_unset_filters_read_any(client, staff):
    client.force_login(staff)
    text = client.get("/crm/organisations/").content.decode()
    assert "---------" not in text
    assert ">Any</option>" in text


@pytest.mark.django_db
def test_staff_find_the_organisations_whose_facts_are_not_stated(client, pact_officer):
    OrganisationFactory(name="Known Co", country="FR", type="company", ai_role="provider")
    OrganisationFactory(name="Unknown Co", country="", type="", ai_role="")
    OrganisationFactory(name="Neither Co", country="DE", type="ngo", ai_role="none")
    client.force_login(pact_officer)
    url = reverse("crm:organisation_list")

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return sorted(o.name for o in response.context["page"])

    for field in ("country", "hq_region", "type", "ai_role"):
        assert names(**{field: "not-stated"}) == ["Unknown Co"], field
    assert names(ai_role="none") == ["Neither Co"]  # "Neither" is an answer, not a gap
    page = client.get(url).content.decode()
    assert '<option value="not-stated">Not stated</option>' in page
    export = client.get(reverse("crm:organisation_export"), {"type": "not-stated"})
    assert "Unknown Co" in export.content.decode("utf-8-sig")
    assert "Known Co" not in export.content.decode("utf-8-sig")
