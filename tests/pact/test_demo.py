"""The demo data keeps real organisations to what is public about them; invented detail belongs
to the fictitious "Demo …" organisations and their invented people."""

import csv

import pytest
from django.urls import reverse

from crm import demo as crm_demo
from crm.models import Affiliation, Organisation
from pact import demo
from pact.catalogue import DATA_DIR
from pact.models import NetworkMembership, Pledge, PledgeStatusChange, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    crm_demo.seed()
    demo.seed()
    with open(DATA_DIR / "ai_pact_signatories_2024.csv", encoding="utf-8") as handle:
        return {row["name"].strip(): row["country"].strip() for row in csv.DictReader(handle)}


def test_the_2024_signatories_hold_only_what_the_published_list_says(seeded):
    registered = set(
        Organisation.objects.exclude(transparency_register_id=None).values_list("name", flat=True)
    )
    for name, country in seeded.items():
        organisation = Organisation.objects.get(name__iexact=name)
        if organisation.name in registered:
            continue  # the register sample's facts, tested with the CRM's demo
        assert organisation.country == country, name
        assert (organisation.type, organisation.size, organisation.ai_role) == ("", "", ""), name
        assert organisation.hq_region == ("" if not country else organisation.hq_region)
        assert not organisation.sectors.exists(), name


def test_real_signatories_have_their_published_pledge_and_nothing_invented(seeded):
    real = Pledge.objects.filter(organisation__name__in=list(seeded))
    assert real.count() == len(seeded)
    assert set(real.values_list("status", flat=True)) == {Pledge.Status.PUBLISHED}
    assert not real.exclude(signatory_name="").exists()
    assert not real.filter(authority_confirmed=True).exists()
    assert not real.exclude(next_report_due=None).exists()  # never "overdue" under a real name
    assert {p.created_at.date() <= demo.SIGNING_DAY for p in real} == {True}
    published = PledgeStatusChange.objects.filter(pledge__in=real, to_status="published")
    assert {c.created_at.date() for c in published} == {demo.SIGNING_DAY}
    for pledge in real:
        rows = list(pledge.commitments.all())
        assert {row.commitment.is_core for row in rows} == {True}
        assert all(row.planned_actions == "" and row.target_date is None for row in rows)
    assert not ProgressReport.objects.filter(pledge__in=real).exists()
    assert not NetworkMembership.objects.filter(organisation__name__in=list(seeded)).exists()


def test_invented_detail_belongs_to_fictitious_organisations_and_people(seeded):
    fictitious = Organisation.objects.filter(name__startswith="Demo ")
    statuses = set(
        Pledge.objects.filter(organisation__in=fictitious).values_list("status", flat=True)
    )
    assert statuses == set(Pledge.Status.values)
    assert ProgressReport.objects.exists()
    assert not ProgressReport.objects.exclude(pledge__organisation__in=fictitious).exists()
    assert not NetworkMembership.objects.exclude(organisation__in=fictitious).exists()
    # Invented people work only at invented organisations.
    invented_people = Affiliation.objects.filter(person__email__endswith="@example.org")
    assert invented_people.exists()
    assert not invented_people.exclude(organisation__in=fictitious).exists()
    assert all(o.website.endswith(".example.eu") for o in fictitious if o.website)


def test_an_unknown_type_and_country_show_as_not_stated(client, seeded, pact_officer):
    signatory = Organisation.objects.get(name="Adobe")
    client.force_login(pact_officer)
    page = client.get(reverse("crm:organisation_detail", args=[signatory.pk])).content.decode()
    assert page.count("Not stated") == 4  # country, type, size, AI role
    public = client.get(Pledge.objects.get(organisation=signatory).get_public_url())
    assert public.content.decode().count("Not stated") == 2  # country; type and size
