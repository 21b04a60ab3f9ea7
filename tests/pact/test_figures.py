"""The cached aggregate behind the register, its counts, the open-data files and
"The AI Pact in figures": fresh after every change to published data, never showing drafts."""

import json

import pytest
from django.db import transaction
from django.urls import reverse

from crm.models import Organisation, Sector
from pact import figures, selectors, services
from pact.filters import RegisterFilter
from tests.crm.factories import OrganisationFactory

from .test_services import _open_report

pytestmark = pytest.mark.django_db


def register_total(client, **params) -> int:
    return client.get(reverse("pact:register"), params).context["total"]


def figures_page(client):
    return client.get(reverse("pact:figures")).context["figures"]


def csv_ids(client) -> list[int]:
    lines = client.get(reverse("pact:signatories_csv")).content.decode("utf-8-sig").splitlines()
    return [int(line.split(",")[0]) for line in lines[1:]]


def json_ids(client) -> list[int]:
    data = json.loads(client.get(reverse("pact:signatories_json")).content)
    return [pledge["id"] for pledge in data["pledges"]]


def test_publishing_shows_the_pledge_everywhere_at_once(
    client, pledge_factory, pact_officer, django_capture_on_commit_callbacks
):
    first = pledge_factory("published")[0]
    assert register_total(client) == 1
    assert figures_page(client)["pledges"] == 1
    assert csv_ids(client) == json_ids(client) == [first.pk]

    submitted = pledge_factory("submitted")[0]
    assert register_total(client) == 1  # under review: not yet
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_publish(user=pact_officer, pledge=submitted)
    assert register_total(client) == 2
    assert figures_page(client)["pledges"] == 2
    assert sorted(csv_ids(client)) == sorted(json_ids(client)) == sorted([first.pk, submitted.pk])


def test_publication_refreshes_the_figures_when_its_transaction_commits(
    client, pledge_factory, pact_officer, django_capture_on_commit_callbacks
):
    submitted = pledge_factory("submitted")[0]
    assert register_total(client) == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pledge_publish(user=pact_officer, pledge=submitted)
    assert figures._bump in callbacks
    # not committed yet: the figures are those of the last commit
    assert register_total(client) == 0
    for callback in callbacks:
        callback()
    assert register_total(client) == 1


def test_a_rolled_back_publication_changes_nothing(client, pledge_factory, pact_officer):
    submitted = pledge_factory("submitted")[0]
    generation = figures._generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.pledge_publish(user=pact_officer, pledge=submitted)
        raise RuntimeError
    assert figures._generation() == generation
    assert register_total(client) == 0


def test_withdrawal_takes_the_pledge_out_of_the_figures_at_once(
    client, pledge_factory, django_capture_on_commit_callbacks
):
    pledge, representative = pledge_factory("published")
    other = pledge_factory("published")[0]
    assert figures_page(client)["pledges"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_withdraw(user=representative, pledge=pledge, reason="Merged")
    assert register_total(client) == 1
    assert figures_page(client)["pledges"] == 1
    assert figures_page(client)["withdrawn"] == 1
    assert csv_ids(client) == json_ids(client) == [other.pk]
    register = client.get(reverse("pact:register"))
    assert [entry.pk for entry in register.context["withdrawn"]] == [pledge.pk]


def test_drafts_and_pledges_not_published_never_count(client, pledge_factory):
    for status in ("draft", "submitted", "returned", "rejected"):
        pledge_factory(status)
    hidden = pledge_factory("published", publish_in_register=False)[0]
    shown = pledge_factory("published")[0]
    page = figures_page(client)
    assert page["pledges"] == 1
    assert sum(h["count"] for h in page["headquarters"]) == 1
    assert csv_ids(client) == [shown.pk]
    assert register_total(client) == 1
    text = client.get(reverse("pact:figures")).content.decode()
    assert hidden.organisation.name not in text


def test_an_accepted_progress_report_counts_at_once(
    client, pledge_factory, pact_officer, django_capture_on_commit_callbacks
):
    pledge, representative = pledge_factory("published")
    report = _open_report(pledge, representative)
    items = {item.pk: ("full", "Done") for item in report.items.all()}
    report = services.progress_report_save(
        user=representative,
        report=report,
        version=report.version,
        difficulties="",
        items=items,
        submit=True,
    )
    assert figures_page(client)["reports"] == 0  # submitted, not yet published
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_review(user=pact_officer, report=report, accept=True)
    assert figures_page(client)["reports"] == 1


def test_network_participants_count_and_follow_leaving(client, django_capture_on_commit_callbacks):
    from tests.crm.factories import make_representative

    organisation = OrganisationFactory()
    representative = make_representative(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.network_join(
            user=representative,
            organisation=organisation,
            interests=["webinars"],
            contact_email="rep@example.eu",
        )
    assert figures_page(client)["participants"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.network_leave(user=representative, membership=membership)
    assert figures_page(client)["participants"] == 0


def test_editing_an_organisation_in_the_register_refreshes_it(
    client, pledge_factory, django_capture_on_commit_callbacks
):
    pledge = pledge_factory("published")[0]
    assert register_total(client, q="Renamed") == 0
    organisation = Organisation.objects.get(pk=pledge.organisation_id)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Renamed Organisation"
        organisation.save()
    assert register_total(client, q="renamed") == 1
    sector = Sector.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        organisation.sectors.add(sector)
    assert register_total(client, sector=sector.code) == 1


def test_an_organisation_outside_the_register_does_not_refresh_it(client, pledge_factory):
    pledge_factory("published")
    register_total(client)
    generation = figures._generation()
    with transaction.atomic():
        outsider = OrganisationFactory()
        outsider.name = "Elsewhere"
        outsider.save()
    # the test's own transaction holds the callbacks; none were even registered
    assert figures._generation() == generation


def test_a_change_bumps_the_generation_and_the_next_read_rebuilds(client, pledge_factory):
    pledge_factory("published")
    first = figures.figures_get()
    assert figures.figures_get() is first  # read once per process and generation
    figures._bump()
    second = figures.figures_get()
    assert second.generation != first.generation
    assert second.built_at >= first.built_at


def test_the_cache_key_names_the_schema_version():
    figures.figures_get()
    assert figures._data_key(figures._generation()).startswith(f"pact:figures:{figures.SCHEMA}:")


def test_counts_match_the_sql_aggregates_for_any_filter(client, pledge_factory):
    digital = Sector.objects.order_by("code").first()
    for country, extra in (("FR", ["PROV-7"]), ("US", []), ("DE", ["PROV-1", "PROV-7"])):
        organisation = OrganisationFactory(country=country, type=Organisation.Type.NGO)
        if country != "US":
            organisation.sectors.add(digital)
        pledge_factory("published", organisation=organisation, extra_codes=extra)
    pledge_factory("published", organisation=OrganisationFactory(size=""))
    pledge_factory("submitted")
    data = figures.figures_get()
    for params in (
        {},
        {"country": "FR"},
        {"hq_region": "eu"},
        {"commitment": "PROV-7"},
        {"sector": digital.code},
        {"type": "ngo", "q": "organisation"},
    ):
        filterset = RegisterFilter(params, queryset=selectors.public_pledges())
        assert filterset.is_valid(), params
        expected = selectors.register_counts(filterset.qs)
        rows = figures.rows_matching(data.pledges, filterset.form.cleaned_data)
        assert [row["id"] for row in rows] == list(filterset.qs.values_list("pk", flat=True))
        actual = figures.counts(rows, data.sector_names)
        for dimension in figures.DIMENSIONS:
            if dimension in params:
                # SQL counts only the filtered value on the join it filters; the aggregate
                # counts every commitment (sector) of the matching pledges, which is the point.
                assert dict(actual[dimension])[
                    digital.name if dimension == "sector" else params[dimension]
                ] == len(rows)
                continue
            assert sorted(actual[dimension], key=repr) == sorted(
                [(value or None, n) for value, n in expected[dimension]], key=repr
            ), (params, dimension)


def test_whole_open_data_files_come_from_the_cache_without_queries(
    client, pledge_factory, django_assert_max_num_queries
):
    pledge_factory("published")
    first = client.get(reverse("pact:signatories_json")).content
    with django_assert_max_num_queries(0):
        again = client.get(reverse("pact:signatories_json")).content
        client.get(reverse("pact:signatories_csv"))
        client.get(reverse("pact:signatories_csv"))
    assert again == first


def test_open_data_rows_carry_the_address_they_were_asked_from(client, pledge_factory, settings):
    settings.ALLOWED_HOSTS = ["testserver", "register.example.eu"]
    pledge = pledge_factory("published")[0]
    here = json.loads(client.get(reverse("pact:signatories_json")).content)
    there = json.loads(
        client.get(reverse("pact:signatories_json"), HTTP_HOST="register.example.eu").content
    )
    assert here["pledges"][0]["url"] == f"http://testserver/pact/signatories/{pledge.pk}/"
    assert there["pledges"][0]["url"].startswith("http://register.example.eu/")


def test_figures_page_shows_headline_figures_charts_and_its_date(client, pledge_factory):
    for country in ("FR", "DE", "US"):
        pledge_factory("published", organisation=OrganisationFactory(country=country))
    response = client.get(reverse("pact:figures"))
    assert response.status_code == 200
    page = response.context["figures"]
    shares = {h["code"]: (h["count"], h["share"]) for h in page["headquarters"]}
    assert shares == {"eu": (2, 67), "us": (1, 33), "other": (0, 0)}
    html = response.content.decode()
    assert "Figures as of" in html
    assert html.count("<svg") == 1 + len(page["charts"])
    assert "Pledgers by headquarters" in html
    assert "Commitments chosen" in html
    assert f'href="{reverse("pact:register")}?hq_region=us"' in html
    assert register_total(client, hq_region="us") == 1


def test_pledgers_without_a_country_are_counted_apart_not_put_in_a_region(client, pledge_factory):
    pledge_factory("published", organisation=OrganisationFactory(country="FR"))
    pledge_factory("published", organisation=OrganisationFactory(country=""))
    response = client.get(reverse("pact:figures"))
    shares = {
        h["code"]: (h["count"], h["share"]) for h in response.context["figures"]["headquarters"]
    }
    assert shares == {"eu": (1, 50), "us": (0, 0), "other": (0, 0), "not-stated": (1, 50)}
    html = response.content.decode()
    assert "have not stated where they are headquartered (1)" in html
    assert f'href="{reverse("pact:register")}?hq_region=not-stated"' in html
    assert register_total(client, hq_region="not-stated") == 1
    assert register_total(client, country="not-stated") == 1
    assert register_total(client, country="FR") == 1
    # and the open data follows the same filter
    raw = client.get(reverse("pact:signatories_csv"), {"hq_region": "not-stated"})
    assert len(raw.content.decode("utf-8-sig").splitlines()) == 2


def test_figures_page_with_nothing_published_says_so(client):
    html = client.get(reverse("pact:figures")).content.decode()
    assert "No data yet." in html


def test_register_links_to_the_figures_page(client):
    html = client.get(reverse("pact:register")).content.decode()
    assert reverse("pact:figures") in html


def test_register_reads_no_aggregates_once_cached(
    client, pledge_factory, django_assert_max_num_queries
):
    for _ in range(5):
        pledge_factory("published")
    client.get(reverse("pact:register"))
    # the catalogue at the foot of the page; the filters' sector and commitment choices
    with django_assert_max_num_queries(3):
        client.get(reverse("pact:register"))


def test_by_month_runs_through_every_month():
    assert figures.by_month(["2025-11", "2026-02", "2025-11", ""]) == [
        ("2025-11", 2),
        ("2025-12", 2),
        ("2026-01", 2),
        ("2026-02", 3),
    ]
    assert figures.by_month([]) == []


def test_cached_filter_form_keeps_each_requests_choices_and_errors(client, pledge_factory):
    pledge_factory("published", organisation=OrganisationFactory(country="FR"))
    for _ in range(2):
        french = client.get(reverse("pact:register"), {"country": "FR"}).content.decode()
        assert '<option value="FR" selected>' in french
    plain = client.get(reverse("pact:register")).content.decode()
    assert '<option value="FR" selected>' not in plain
    for _ in range(2):
        refused = client.get(reverse("pact:register"), {"country": "ZZ"})
        assert "ZZ is not one of the available choices" in refused.content.decode()
    searched = client.get(reverse("pact:register"), {"q": "Organisation", "country": "FR"})
    assert 'value="Organisation"' in searched.content.decode()


def test_while_another_process_rebuilds_the_figures_the_previous_ones_are_served(
    pledge_factory, django_capture_on_commit_callbacks, pact_officer
):
    from django.core.cache import cache

    pledge_factory("published")
    before = figures.figures_get()
    submitted = pledge_factory("submitted")[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_publish(user=pact_officer, pledge=submitted)
    key = figures._data_key(figures._generation())
    cache.add(f"{key}:building", 1)  # another process has started the rebuild
    assert figures.figures_get() is before
    cache.delete(f"{key}:building")
    assert len(figures.figures_get().pledges) == 2


def test_a_transparency_register_refresh_renames_in_the_register_at_once(
    client, pledge_factory, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from crm import register_refresh as rr

    organisation = OrganisationFactory(
        name="ADS", transparency_register_id="02762144321-07", country="FR"
    )
    pledge_factory("published", organisation=organisation)
    assert register_total(client, q="ADS Insight") == 0
    sample = Path(rr.__file__).resolve().parent / "data" / "transparency_register_sample.csv"
    records, export_date = rr.read_export(sample.read_bytes())
    plan = rr.plan_refresh(records, export_date=export_date)
    with django_capture_on_commit_callbacks(execute=True):
        rr.apply_refresh(actor=None, plan=plan, file_name="ODP.csv")
    assert register_total(client, q="ADS Insight") == 1
