"""Pact staff powers need the second factor in this session, and drafts stay with their
organisation until submitted."""

import pytest

from core.models import Job
from tests.crm.factories import make_staff


@pytest.mark.django_db
def test_draft_pledge_content_is_not_shown_to_pact_staff(client, pact_officer, pledge_factory):
    pledge, _rep = pledge_factory("draft", signatory_name="Dana Draftwriter")
    client.force_login(pact_officer)
    assert client.get(f"/crm/pact/pledges/{pledge.pk}/").status_code == 404
    assert client.post(f"/reports/pledges/{pledge.pk}/pdf/").status_code == 404
    queue = client.get("/crm/pact/?status=draft")
    assert queue.status_code == 200
    assert pledge.organisation.name in queue.content.decode()  # that it exists
    assert "Dana Draftwriter" not in queue.content.decode()


@pytest.mark.django_db
def test_submitted_pledge_is_shown_to_pact_staff(client, pact_officer, pledge_factory):
    pledge, _rep = pledge_factory("submitted")
    client.force_login(pact_officer)
    assert client.get(f"/crm/pact/pledges/{pledge.pk}/").status_code == 200


@pytest.mark.django_db
def test_staff_without_the_second_factor_cannot_request_or_download_pledge_pdfs(
    client, pledge_factory, django_capture_on_commit_callbacks
):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/pledges/{pledge.pk}/pdf/")
    job = Job.objects.get()
    assert job.status == Job.Status.DONE

    for account in (make_staff("Pact officer", mfa=False), make_staff("Pact officer")):
        client.force_login(account, mfa=False)
        assert client.post(f"/reports/pledges/{pledge.pk}/pdf/").status_code == 404
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_superuser_without_the_second_factor_cannot_read_other_peoples_documents(
    client, pledge_factory
):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    client.post(f"/reports/pledges/{pledge.pk}/pdf/")
    job = Job.objects.get()
    client.force_login(make_staff(is_superuser=True), mfa=False)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_register_csv_neutralises_formulas_in_organisation_names(client, pledge_factory):
    from tests.crm.factories import OrganisationFactory

    for name in ('=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "@SUM(1)", "\t=1"):
        pledge_factory("published", organisation=OrganisationFactory(name=name))
    text = client.get("/pact/signatories.csv").content.decode("utf-8-sig")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert '\'=HYPERLINK("http://evil")' in cells


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/pact/signatories.csv", "/pact/signatories.json"])
def test_open_data_refuses_unknown_filter_values_saying_which(client, path, pledge_factory):
    pledge_factory("published")
    response = client.get(path, {"country": "XX", "ai_role": "wizard"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["parameters"]) == {"country", "ai_role"}
    assert body["documentation"] == "/pact/open-data/"


@pytest.mark.django_db
def test_withdrawn_list_follows_the_register_filters(client, pledge_factory):
    from tests.crm.factories import OrganisationFactory

    french, _rep = pledge_factory("withdrawn", organisation=OrganisationFactory(country="FR"))
    german, _rep = pledge_factory("withdrawn", organisation=OrganisationFactory(country="DE"))
    text = client.get("/pact/", {"country": "FR"}).content.decode()
    assert french.organisation.name in text
    assert german.organisation.name not in text


@pytest.mark.django_db
def test_commitment_filter_names_each_commitment_not_just_its_code(client):
    from pact.catalogue import catalogue_load
    from pact.models import Commitment

    catalogue_load(Commitment)
    text = client.get("/pact/").content.decode()
    core = Commitment.objects.get(code="CORE-1", is_current=True)
    assert f">CORE-1: {core.text[:30]}" in text


@pytest.mark.django_db
def test_a_submitted_pledge_alerts_officers_who_chose_immediate_alerts(pledge_factory, mailoutbox):
    from crm.models import StaffAlertSetting

    officer = make_staff("Pact officer")
    StaffAlertSetting.objects.create(user=officer, frequency="immediate")
    pledge, _rep = pledge_factory("submitted")
    alerts = [m for m in mailoutbox if m.to == [officer.email]]
    assert len(alerts) == 1
    assert f"pledge of {pledge.organisation.name}" in alerts[0].subject
    assert f"/crm/pact/pledges/{pledge.pk}/" in alerts[0].body
