"""CSV import: map, preview row by row, then all or nothing."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry, Job
from crm import imports
from crm.models import Affiliation, Organisation, Person, Tag
from tests.crm.factories import OrganisationFactory, PersonFactory, make_staff

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def _plan(kind, text):
    header, rows = imports.read_rows(text)
    return imports.plan_import(kind, header, rows, imports.guess_mapping(kind, header))


def test_the_sample_organisations_file_plans_cleanly():
    plan = _plan(imports.ORGANISATIONS, (SAMPLES / "organisations.csv").read_text("utf-8"))
    assert [row.action for row in plan.rows] == ["create"] * 3
    first = plan.rows[0].values
    assert first["transparency_register_id"] == "123456789-12"
    assert (
        first["country"] == "SE" and first["type"] == "startup" and first["ai_role"] == "provider"
    )
    assert first["website"] == "https://nordicvision.example.se"
    assert plan.rows[1].values["country"] == "ES"


def test_bad_rows_are_refused_with_their_line_and_column():
    text = (
        "Name,Transparency Register ID,Country,Size,Website\n"
        "Good one,123456789-12,BE,Small,example.be\n"
        ",1-2,Atlantis,Gigantic,not a url with spaces\n"
        "Twin,123456789-12,BE,,\n"
    )
    plan = _plan(imports.ORGANISATIONS, text)
    assert [row.action for row in plan.rows] == ["create", "error", "error"]
    errors = {(column, message) for column, message in plan.rows[1].errors}
    assert ("Name", "Required.") in errors
    assert (
        "Transparency Register ID",
        "Not a Transparency Register ID (e.g. 86045688255-44).",
    ) in errors
    assert ("Country", "Unknown country “Atlantis”.") in errors
    assert ("Size", "Unknown value “Gigantic”.") in errors
    assert plan.rows[1].line == 3
    assert plan.rows[2].errors == [("Transparency Register ID", "Also on line 2 of the file.")]


def test_existing_organisations_are_matched_by_register_id_then_by_name():
    by_id = OrganisationFactory(name="Old name", transparency_register_id="123456789-12")
    by_name = OrganisationFactory(name="Telefónica", country="ES")
    text = "Name,Transparency Register ID,Country\nNew name,REG123456789-12,\nTELEFONICA,,ES\n"
    plan = _plan(imports.ORGANISATIONS, text)
    assert [(r.action, r.record_id) for r in plan.rows] == [
        ("update", by_id.pk),
        ("unchanged", by_name.pk),
    ]
    assert plan.rows[0].changes == {"name": ["Old name", "New name"]}


def test_a_file_with_a_refused_row_imports_nothing(staff):
    text = "Name,Country\nFine,BE\nBad,Atlantis\n"
    plan = _plan(imports.ORGANISATIONS, text)
    with pytest.raises(imports.DomainError):
        imports.import_commit(user=staff, plan=plan)
    assert not Organisation.objects.exists()


def test_importing_creates_updates_links_and_records_history(staff):
    existing = OrganisationFactory(name="Acme", transparency_register_id="123456789-12")
    text = (
        "Name,Transparency Register ID,Country,Sectors,Tags\n"
        "Acme Group,123456789-12,FR,Digital,partner\n"
        "Łódź AI,,PL,Health; digital,partner; new\n"
    )
    counts = imports.import_commit(user=staff, plan=_plan(imports.ORGANISATIONS, text))
    assert counts == {"created": 1, "updated": 1, "unchanged": 0}
    existing.refresh_from_db()
    assert (existing.name, existing.country.code, existing.hq_region) == ("Acme Group", "FR", "eu")
    lodz = Organisation.objects.get(name="Łódź AI")
    assert lodz.search_name == "lodz ai"
    assert {s.code for s in lodz.sectors.all()} == {"health", "digital"}
    assert set(Tag.objects.values_list("name", flat=True)) == {"partner", "new"}
    assert AuditEntry.objects.filter(action="crm.organisation.imported").count() == 1
    assert AuditEntry.objects.get(action="crm.organisation.updated").data["changes"]["name"] == [
        "Acme",
        "Acme Group",
    ]


def test_people_are_matched_by_email_and_linked_to_their_organisation(staff):
    organisation = OrganisationFactory(name="Telefónica Investigación y Desarrollo")
    PersonFactory(email="jan.kowalski@example.pl", first_name="Jan", last_name="K")
    OrganisationFactory(transparency_register_id="123456789-12")
    text = (SAMPLES / "people.csv").read_text("utf-8")
    plan = _plan(imports.PEOPLE, text)
    assert [row.action for row in plan.rows] == ["create", "update"]
    imports.import_commit(user=staff, plan=plan)
    zoe = Person.objects.get(email="zoe.nunez@example.es")
    assert zoe.preferred_language == "es"
    assert Affiliation.objects.get(person=zoe).organisation == organisation
    assert Person.objects.get(email="jan.kowalski@example.pl").last_name == "Kowalski"


def test_encodings_are_recognised_and_other_delimiters_read():
    text, used = imports.decode("Name;Country\nSociété;FR\n".encode("cp1252"))
    assert used == "cp1252" and "Société" in text
    header, rows = imports.read_rows(text)
    assert header == ["Name", "Country"] and rows == [["Société", "FR"]]


def test_the_whole_journey_upload_map_check_and_import(client, django_capture_on_commit_callbacks):
    officer = make_staff("Pact officer")
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "orgs.csv", (SAMPLES / "organisations.csv").read_bytes(), content_type="text/csv"
    )
    response = client.post("/crm/import/", {"kind": "organisations", "file": upload})
    assert response["Location"] == "/crm/import/columns/"
    page = client.get("/crm/import/columns/").content.decode()
    assert "Import 3 rows" in page
    mapping = {
        name: column
        for name, column in imports.guess_mapping(
            "organisations",
            [
                "Name",
                "Acronym",
                "Transparency Register ID",
                "Country",
                "Type",
                "Size",
                "AI role",
                "Website",
                "Sectors",
                "Tags",
            ],
        ).items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/crm/import/columns/", {**mapping, "go": "import"})
    job = Job.objects.get(kind="crm.import")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result_data["created"] == 3
    assert job.message == "Imported: 3 new, 0 updated, 0 unchanged."
    assert Organisation.objects.count() == 3


def test_a_binary_file_is_refused_clearly(client):
    client.force_login(make_staff("Pact officer"))
    upload = SimpleUploadedFile("x.csv", b"\x89PNG\x00\x00\x00binary", content_type="text/csv")
    response = client.post("/crm/import/", {"kind": "organisations", "file": upload})
    assert response.status_code == 400
    assert "This is not a CSV text file." in response.content.decode()


def test_events_managers_cannot_import(client):
    client.force_login(make_staff("Events manager"))
    upload = SimpleUploadedFile("o.csv", b"Name\nX\n", content_type="text/csv")
    assert client.post("/crm/import/", {"kind": "organisations", "file": upload}).status_code in (
        302,
        403,
    )
    assert not Organisation.objects.exists()


def test_quoted_paragraphs_do_not_split_rows():
    """The register's export holds paragraphs in quoted cells: each row is still one row."""
    from pathlib import Path

    from crm import imports

    sample = Path(imports.__file__).parent / "data" / "transparency_register_sample.csv"
    header, rows = imports.read_rows(sample.read_text(encoding="utf-8"))
    assert len(rows) == 144
    assert header[0] == "Identification Number"
