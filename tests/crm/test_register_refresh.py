"""Refreshing organisations from the EU Transparency Register's export, with the real sample
of the register in ../shared/data (a copy ships in crm/data)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.errors import DomainError
from core.models import AuditEntry, Job
from crm import register_refresh as rr
from crm.models import Organisation, RegisterRefresh
from tests.crm.factories import OrganisationFactory, make_staff

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "crm" / "data" / "transparency_register_sample.csv"
HEADER = (
    "Identification Number,Name,Acronym,Category of registration,Head office country,Website URL\n"
)


def _plan(text: str, **kwargs):
    records, export_date = rr.read_export(text.encode("utf-8"))
    return rr.plan_refresh(records, export_date=export_date, **kwargs)


def test_the_real_sample_is_read_whole_and_every_row_accepted():
    records, _date = rr.read_export(SAMPLE.read_bytes())
    plan = rr.plan_refresh(records)
    assert len(plan.rows) == 144  # paragraphs in quoted cells are not rows
    assert plan.refused == []
    by_id = {row.register_id: row.values for row in plan.rows}
    assert by_id["02762144321-07"]["name"] == "ADS Insight"  # "ADS Insight (ADS Insight)"
    assert "acronym" not in by_id["02762144321-07"]
    assert by_id["08488632909-59"]["acronym"] == "APC S.A."
    greek = [v["name"] for v in by_id.values() if "ΔΡΥΛΛΕΡΑΚΗΣ" in v["name"]]
    assert greek == ["ΔΡΥΛΛΕΡΑΚΗΣ & ΣΥΝΕΡΓΑΤΕΣ"]
    assert all("  " not in v["name"] for v in by_id.values())


def test_the_preview_shows_changes_and_applying_updates_all_at_once(
    client, django_capture_on_commit_callbacks
):
    officer = make_staff("Pact officer")
    stale = OrganisationFactory(
        name="ADS", transparency_register_id="02762144321-07", country="FR", website=""
    )
    gone = OrganisationFactory(name="Gone", transparency_register_id="99999999999-99")
    returned = OrganisationFactory(name="Pandic", transparency_register_id="055988310298-78")
    Organisation.objects.filter(pk=returned.pk).update(
        transparency_register_left_at="2026-01-01T00:00:00Z", country="GB"
    )
    client.force_login(officer)
    upload = SimpleUploadedFile("ODP.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = client.post("/crm/register/", {"file": upload, "full_export": "on"})
    assert response.status_code == 302
    page = client.get("/crm/register/preview/")
    html = page.content.decode()
    assert "ADS Insight" in html and "http://www.ads-insight.com" in html
    assert "Gone" in html  # no longer in the register
    stale.refresh_from_db()
    assert stale.name == "ADS"  # the preview changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/crm/register/preview/", {"go": "apply"})
    job = Job.objects.get(kind=rr.REFRESH_JOB)
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message

    stale.refresh_from_db()
    assert stale.name == "ADS Insight"
    assert stale.country.code == "BE"
    assert stale.website == "http://www.ads-insight.com"
    assert stale.transparency_register_category == "Professional consultancies"
    assert stale.transparency_register_verified_at is not None
    gone.refresh_from_db()
    assert gone.transparency_register_left_at is not None
    assert "not in the register" in client.get(gone.get_absolute_url()).content.decode()
    returned.refresh_from_db()
    assert returned.transparency_register_left_at is None
    refresh = RegisterRefresh.objects.get()
    # ADS, and Pandic whose website the CRM lacked.
    assert refresh.counts["changed"] == 2 and refresh.counts["left"] == 1
    assert refresh.counts["not_in_crm"] == 142
    entry = AuditEntry.objects.get(
        action="crm.organisation.register_refreshed", subject_id=str(stale.pk)
    )
    assert entry.data["changes"]["name"] == ["ADS", "ADS Insight"]
    detail = client.get(f"/crm/register/{refresh.pk}/")
    assert "ADS Insight" in detail.content.decode()


def test_every_bad_row_is_refused_with_its_reason_and_changes_nothing():
    keep = OrganisationFactory(name="Keep", transparency_register_id="12345678901-23")
    long_name = "A" * 300
    plan = _plan(
        HEADER
        + "12345678901-23,Keep renamed,,Companies & groups,Atlantis,\n"
        + "not-an-id,Something,,,Belgium,\n"
        + "1234-5,Short id,,,Belgium,\n"
        + f"22345678901-23,{long_name},,,Belgium,\n"
        + "32345678901-23,Web,,,Belgium,http://exa mple\n"
        + "42345678901-23,HEMOFARM AКCIONARSKO DRUŠTVO,N/A,Companies  groups,Serbia,\n"
        + "42345678901-23,Twice,,,Belgium,\n"
        + ",,,,,\n"
    )
    reasons = {row.line: str(row.refused) for row in plan.refused}
    assert reasons == {
        2: "Unknown country “Atlantis”.",
        3: "“not-an-id” is not a Transparency Register ID.",
        4: "“1234-5” is not a Transparency Register ID.",
        5: "The name is longer than 255 characters.",
        6: "The website “http://exa mple” is not a web address.",
        8: "The same ID is also on line 7.",
    }
    homoglyph = plan.rows[5]
    assert not homoglyph.refused
    assert homoglyph.values["name"] == "HEMOFARM AКCIONARSKO DRUŠTVO"  # kept as registered
    assert homoglyph.values["category"] == "Companies & groups"
    assert "acronym" not in homoglyph.values
    rr.apply_refresh(actor=None, plan=plan, file_name="bad.csv")
    keep.refresh_from_db()
    assert keep.name == "Keep" and keep.transparency_register_verified_at is None


def test_the_xml_export_is_read_despite_its_xml_1_1_character_references():
    OrganisationFactory(name="Old", transparency_register_id="86045688255-44")
    xml = (
        "<?xml version='1.1' encoding='UTF-8'?>"
        '<ListOfIRPublicDetail xmlns="http://intragate.ec.europa.eu/transparencyregister/odp">'
        '<metaData xmlns=""><exportDate>2026-08-19T20:00:00.069+00:00</exportDate></metaData>'
        '<resultList xmlns=""><interestRepresentative>'
        "<identificationCode>86045688255-44</identificationCode>"
        "<name><originalName>New &#xb;Name</originalName></name><acronym>NN</acronym>"
        "<registrationCategory>Companies &amp; groups</registrationCategory>"
        "<headOffice><country>GERMANY</country></headOffice><webSiteURL>www.new.de</webSiteURL>"
        "</interestRepresentative></resultList></ListOfIRPublicDetail>"
    )
    plan = _plan(xml)
    assert plan.export_date.startswith("2026-08-19")
    assert plan.changed[0].changes == {
        "name": ["Old", "New Name"],
        "acronym": ["", "NN"],
        "transparency_register_category": ["", "Companies & groups"],
        "country": ["BE", "DE"],
        "website": ["", "https://www.new.de"],
    }


def test_files_that_are_not_an_export_are_refused_in_words():
    with pytest.raises(DomainError, match="Excel"):
        rr.read_export(b"\xd0\xcf\x11\xe0 binary")
    with pytest.raises(DomainError, match="Identification Number"):
        rr.read_export(b"name,email\nA,b@example.org\n")
    with pytest.raises(DomainError, match="entities"):
        rr.read_export(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


def test_only_staff_who_change_organisations_may_refresh(client):
    plan = _plan(HEADER + "12345678901-23,Name,,,Belgium,\n")
    with pytest.raises(PermissionDenied):
        rr.register_refresh_commit(user=make_staff("Events manager"), plan=plan, file_name="x")
    client.force_login(make_staff("Body secretariat"))
    assert client.get("/crm/register/").status_code == 403


def test_the_command_shows_then_applies():
    OrganisationFactory(name="ADS", transparency_register_id="02762144321-07")
    out = StringIO()
    call_command("refresh_transparency_register", str(SAMPLE), "--dry-run", stdout=out)
    assert "'ADS' -> 'ADS Insight'" in out.getvalue()
    assert Organisation.objects.get(transparency_register_id="02762144321-07").name == "ADS"
    call_command("refresh_transparency_register", str(SAMPLE), stdout=StringIO())
    assert Organisation.objects.get(transparency_register_id="02762144321-07").name == "ADS Insight"


def test_the_demo_keeps_only_what_the_register_says_of_real_organisations():
    from crm.demo import _import_register_sample

    assert _import_register_sample() == 144
    ads = Organisation.objects.get(transparency_register_id="02762144321-07")
    assert (ads.name, ads.acronym, ads.country.code) == ("ADS Insight", "", "BE")
    assert ads.transparency_register_category == "Professional consultancies"
    assert ads.website == "http://www.ads-insight.com"
    real = Organisation.objects.filter(transparency_register_category__gt="")
    assert not real.exclude(size="").exists()  # not in the register: not invented
    assert not real.filter(sectors__isnull=False).exists()
    assert not real.filter(country="").exists()
