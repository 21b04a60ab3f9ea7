"""The main journeys in a language other than English, through the real pages: a Swedish
company signs up, registers, signs a pledge and downloads its PDF; a Croatian member is
waitlisted for a full event and promoted when someone cancels; a Danish expert applies to a
call; French staff prepare a report and download it.

Buttons and labels are found by their translation (`_in(language, text)`), so a page that
stayed in English fails here; the catalogue test makes sure each translation exists.
"""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from .support import TOTP_SECRET, axe_violations, screenshot, sign_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _context(browser, language: str, width: int = 1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=language, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    return context


def _switch_language(page, language: str) -> None:
    """The header's switcher, as a person uses it once: the choice is kept on the account."""
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-switcher [type=submit]").click()
    assert page.locator("html").get_attribute("lang") == language


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_a_swedish_company_signs_up_registers_signs_a_pledge_and_downloads_its_pdf(
    browser, live_server
):
    from django.contrib.auth import get_user_model

    from crm.models import Affiliation
    from crm.services import affiliation_confirm
    from pact.catalogue import catalogue_load
    from pact.models import Commitment, Pledge
    from tests.crm.factories import make_staff

    catalogue_load(Commitment)
    sv = "sv"
    context = _context(browser, sv)
    page = context.new_page()

    page.goto(url(live_server, "/"))
    assert page.locator("html").get_attribute("lang") == sv
    page.get_by_role("banner").get_by_role("link", name=_in(sv, "Create an account")).click()
    page.locator("input[name=email]").fill("anna.lind@example.se")
    page.locator("input[name=password1]").fill("Sturdy-pass-4821")
    page.locator("input[name=password2]").fill("Sturdy-pass-4821")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    confirmation = mail.outbox[-1]
    assert confirmation.extra_headers.get("Content-Language") == sv
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", confirmation.body).group(0)
    page.goto(url(live_server, urlsplit(link).path))
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    user = get_user_model().objects.get(email="anna.lind@example.se")
    assert user.emailaddress_set.get().verified

    page.goto(url(live_server, "/me/organisations/register/"))
    assert page.get_by_role("heading", level=1).inner_text() != "Register an organisation"
    page.locator("#id_name").fill("Nordisk Robotik AB")
    page.locator("#id_country").select_option("SE")
    page.locator("#id_type").select_option(index=1)
    page.locator("#id_ai_role").select_option("deployer")
    page.locator("#id_position").fill("VD")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert axe_violations(page) == []
    affiliation = Affiliation.objects.get(person__user=user)
    affiliation_confirm(user=make_staff("Pact officer"), affiliation=affiliation)

    page.goto(url(live_server, "/pact/pledges/"))
    page.locator("select[name=ai_role]").select_option("deployer")
    with page.expect_navigation():
        page.get_by_role("button", name=_in(sv, "Start the pledge")).click()
    target = (timezone.localdate() + timedelta(days=300)).isoformat()
    for code in ("CORE-1", "CORE-2", "CORE-3"):
        page.locator(f"#id_c-{code}-planned_actions").fill(f"Vår plan för {code}")
        page.locator(f"#id_c-{code}-target_date").fill(target)
    page.locator("#id_signatory_name").fill("Anna Lind")
    page.locator("#id_signatory_function").fill("Verkställande direktör")
    page.locator("#id_authority_confirmed").check()
    assert axe_violations(page) == []
    screenshot(page, "sv-pledge-form")
    with page.expect_navigation():
        page.get_by_role("button", name=_in(sv, "Sign and submit to the AI Office")).click()
    pledge = Pledge.objects.get(organisation__name="Nordisk Robotik AB")
    errors = page.locator("main [role=alert]").all_inner_texts()
    assert (pledge.status, errors)[0] == "submitted", errors
    assert (pledge.status, pledge.language) == ("submitted", sv)
    screenshot(page, "sv-pledge-signed")

    page.goto(url(live_server, f"/pact/pledges/{pledge.pk}/"))
    with page.expect_navigation():
        page.get_by_role("button", name=_in(sv, "Download the signed pledge (PDF)")).click()
    download_link = page.locator("[data-job-download] a")
    download_link.wait_for(timeout=60_000)
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as handle:
        text = _pdf_text(handle.read())
    core_1 = Commitment.objects.get(code="CORE-1", is_current=True)
    assert core_1.text_in(sv)[:40] in " ".join(text.split())
    assert "Vår plan för CORE-1" in text
    context.close()


def test_a_croatian_member_is_waitlisted_for_a_full_event_and_promoted(browser, live_server):
    from forums.models import Registration
    from forums.services import registration_cancel
    from tests.crm.factories import PersonFactory, UserFactory
    from tests.forums.factories import EventFactory, RegistrationFactory

    hr = "hr"
    event = EventFactory(capacity=1, waitlist_enabled=True, title="AI literacy webinar")
    holder = UserFactory()
    first = RegistrationFactory(
        event=event,
        person=PersonFactory(user=holder, email=holder.email),
        status=Registration.Status.CONFIRMED,
    )
    member = UserFactory()
    PersonFactory(user=member, email=member.email)

    context = _context(browser, "en")
    page = context.new_page()
    sign_in(page, live_server, member.email)
    _switch_language(page, hr)
    page.goto(url(live_server, f"/events/{event.pk}/"))
    assert page.locator("html").get_attribute("lang") == hr
    with page.expect_navigation():
        page.get_by_role("button", name=_in(hr, "Join the waiting list")).click()
    registration = Registration.objects.get(event=event, person__user=member)
    assert registration.status == Registration.Status.WAITLISTED
    assert _in(hr, "Leave the waiting list") in page.get_by_role("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "hr-waitlisted")

    mail.outbox.clear()
    registration_cancel(user=first.person.user, registration=first)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    promoted = [m for m in mail.outbox if member.email in m.to]
    assert promoted and promoted[0].extra_headers.get("Content-Language") == hr
    assert any(name.endswith(".ics") for name, *_ in promoted[0].attachments)

    page.goto(url(live_server, "/me/"))
    assert _in(hr, "Cancel my registration") in page.get_by_role("main").inner_text() or (
        event.title in page.get_by_role("main").inner_text()
    )
    screenshot(page, "hr-me-promoted")
    context.close()


def test_a_danish_expert_applies_to_a_call(browser, live_server, tmp_path):
    from forums.models import Application, Body, Call
    from tests.crm.factories import PersonFactory, UserFactory

    da = "da"
    body = Body.objects.create(
        name="Advisory Forum on AI", slug="advisory-forum-da", kind=Body.Kind.ADVISORY_FORUM
    )
    call = Call.objects.create(
        body=body,
        title="Call for members",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=20),
        applicants=Call.Applicants.INDIVIDUALS,
        roles=["member"],
        criteria=["Expertise"],
        declaration_required=False,
        status=Call.Status.PUBLISHED,
    )
    expert = UserFactory(first_name="Karen", last_name="Blixen")
    PersonFactory(user=expert, email=expert.email, first_name="Karen", last_name="Blixen")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

    context = _context(browser, "en")
    page = context.new_page()
    sign_in(page, live_server, expert.email)
    _switch_language(page, da)
    page.goto(url(live_server, call.get_absolute_url()))
    page.get_by_role("link", name=_in(da, "Apply")).click()
    assert page.locator("html").get_attribute("lang") == da
    page.locator("select[name=role]").select_option("member")
    page.locator("textarea[name=expertise], input[name=expertise]").first.fill(
        "Evaluering af AI-modeller til almen brug"
    )
    page.locator("textarea[name=motivation]").fill(
        "For at give uafhængig videnskabelig rådgivning."
    )
    page.locator("select[name=nationality]").select_option("DK")
    page.set_input_files("#id_cv", str(cv))
    assert axe_violations(page) == []
    screenshot(page, "da-application-form")
    page.get_by_role("button", name=_in(da, "Save as draft")).click()
    page.wait_for_url("**/bodies/applications/**")
    page.get_by_role("button", name=_in(da, "Submit my application")).click()
    page.wait_for_selector(
        f"text={_in(da, 'Your application is submitted. We will email you the outcome.')}"
    )
    application = Application.objects.get(call=call)
    assert application.status == "submitted"
    screenshot(page, "da-application-submitted")
    context.close()


def test_french_staff_prepare_a_report_and_download_it(browser, live_server, monkeypatch):
    from core import outbox
    from core.jobs import job_run
    from reports.models import ReportRequest
    from tests.crm.factories import make_staff

    fr = "fr"
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args, **kw: None)
    officer = make_staff("Pact officer")
    context = _context(browser, "en")
    page = context.new_page()
    sign_in(page, live_server, officer.email, totp_secret=TOTP_SECRET)
    _switch_language(page, fr)

    page.goto(url(live_server, "/reports/"))
    page.get_by_role("link", name=_in(fr, "AI Pact overview")).click()
    page.locator("main select[name=language]").select_option(fr)
    with page.expect_navigation():
        page.get_by_role("button", name=_in(fr, "Prepare the report")).click()
    report_request = ReportRequest.objects.get()
    assert report_request.language == fr
    job_run(job_id=report_request.job.pk)
    download_link = page.get_by_role("link", name=_in(fr, "Download the PDF"))
    download_link.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "fr-report-done")
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(_pdf_text(handle.read()).split())
    assert _in(fr, "The AI Pact in figures") in text
    context.close()
