"""The back office's duplicates, merge, register refresh and people bulk pages: they fit a
phone (390 px) and a laptop (1280 px), and axe finds no serious violation."""

import pytest

from .support import axe_violations, force_sign_in, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(db):
    from crm import dedupe, merge, register_refresh
    from tests.crm.factories import OrganisationFactory, PersonFactory, make_staff
    from tests.forums.factories import EventFactory

    staff = make_staff("Pact officer", "Events manager")
    a = OrganisationFactory(name="Telefónica Investigación y Desarrollo S.A.")
    b = OrganisationFactory(name="TELEFONICA INVESTIGACION Y DESARROLLO")
    c = OrganisationFactory(name="Acme Robotics GmbH", website="https://acme.example")
    d = OrganisationFactory(name="Acme Robotics", transparency_register_id="12345678901-23")
    PersonFactory(first_name="Łucja", last_name="Nowak", email="lucja.nowak@example.org")
    PersonFactory(first_name="Lucja", last_name="Nowak", email="lucja.nowak+events@example.org")
    EventFactory(title="AI Pact workshop on literacy")
    from core.jobs import job_run
    from core.models import Job

    for kind in ("organisation", "person"):
        job = Job.objects.create(kind=dedupe.SCAN_JOB, params={"kind": kind}, created_by=staff)
        job_run(job_id=job.pk)
    record = merge.records_merge(user=staff, kind="organisation", survivor_id=c.pk, loser_id=d.pk)
    plan = register_refresh.plan_refresh(
        [
            {
                "register_id": "12345678901-23",
                "name": "Acme Robotics GmbH (ACME)",
                "country": "Germany",
            }
        ]
    )
    refresh = register_refresh.apply_refresh(actor=staff, plan=plan, file_name="ODP.xml")
    return {
        "staff": staff,
        "paths": [
            "/crm/duplicates/?kind=organisation",
            "/crm/duplicates/?kind=person",
            f"/crm/duplicates/merge/organisation/{a.pk}/{b.pk}/",
            "/crm/merges/",
            record.get_absolute_url(),
            "/crm/register/",
            f"/crm/register/{refresh.pk}/",
            "/crm/people/",
            "/crm/organisations/?pact=none",
        ],
    }


def test_the_pages_fit_both_widths_and_pass_axe(browser, live_server, client, pages):
    too_wide, violations = [], {}
    for width in (390, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en", bypass_csp=True
        )
        force_sign_in(context, live_server, client, pages["staff"])
        page = context.new_page()
        for path in pages["paths"]:
            page.goto(url(live_server, path))
            screenshot(page, f"crm-{width}-{path}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{path} at {width} px is {scroll_width} px wide")
            if width == 1280 and (found := axe_violations(page)):
                violations[path] = found
        context.close()
    assert too_wide == []
    assert violations == {}
