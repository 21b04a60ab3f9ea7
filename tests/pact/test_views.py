import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from pact.models import Commitment, NetworkMembership, Pledge, ProgressReport
from tests.crm.factories import OrganisationFactory, make_representative

pytestmark = pytest.mark.django_db


def edit_data(pledge, *, extra_codes=(), submit=False, **overrides):
    """The POST body of the pledge form, complete unless overridden."""
    target = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    data = {
        "version": pledge.version,
        "ai_role": pledge.ai_role,
        "language": pledge.language,
        "signatory_name": "Ada Lovelace",
        "signatory_function": "CEO",
        "authority_confirmed": "on",
        "publish_in_register": "on",
    }
    for commitment in Commitment.objects.filter(is_current=True):
        prefix = f"c-{commitment.code}"
        if commitment.is_core or commitment.code in extra_codes:
            data[f"{prefix}-included"] = "on"
            data[f"{prefix}-planned_actions"] = f"We will do {commitment.code}"
            data[f"{prefix}-target_date"] = target
        data[f"{prefix}-implementation_status"] = "planned"
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    data["submit" if submit else "save"] = "1"
    return data


def test_representative_signs_a_pledge_that_staff_publish_and_the_public_sees(
    client, organisation, representative, pact_officer, django_capture_on_commit_callbacks
):
    client.force_login(representative)
    assert client.get(reverse("pact:pledge_list")).status_code == 200
    response = client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    pledge = Pledge.objects.get(organisation=organisation)
    assert response["Location"] == reverse("pact:pledge_edit", args=[pledge.pk])

    page = client.get(reverse("pact:pledge_edit", args=[pledge.pk]))
    assert b"CORE-1" in page.content and b"DEPL-5" in page.content

    response = client.post(
        reverse("pact:pledge_edit", args=[pledge.pk]),
        edit_data(pledge, extra_codes=["DEPL-5"], signatory_function=""),
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.version == 2 and pledge.status == "draft"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pact:pledge_edit", args=[pledge.pk]),
            edit_data(pledge, extra_codes=["DEPL-5"], submit=True),
        )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "submitted"
    assert client.get(reverse("pact:public_pledge", args=[pledge.pk])).status_code == 404

    client.force_login(pact_officer)
    queue = client.get(reverse("pact_staff:pledge_queue"))
    assert organisation.name.encode() in queue.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pact_staff:pledge_review", args=[pledge.pk, "publish"]), {"confirmed": "yes"}
        )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "published"

    client.logout()
    register = client.get(reverse("pact:register"))
    assert organisation.name.encode() in register.content
    public = client.get(reverse("pact:public_pledge", args=[pledge.pk]))
    assert b"We will do DEPL-5" in public.content


def test_submit_with_missing_fields_saves_the_draft_and_explains_each_field(
    client, organisation, representative
):
    client.force_login(representative)
    client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    pledge = Pledge.objects.get()
    data = edit_data(
        pledge,
        submit=True,
        signatory_name="Grace Hopper",
        authority_confirmed=None,
        **{"c-CORE-2-planned_actions": ""},
    )
    response = client.post(reverse("pact:pledge_edit", args=[pledge.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "authority_confirmed" in form.errors
    assert "c-CORE-2-planned_actions" in form.errors
    assert b'id="id_c-CORE-2-planned_actions_error"' in response.content
    pledge.refresh_from_db()
    assert pledge.status == "draft" and pledge.signatory_name == "Grace Hopper"
    assert form["version"].value() == pledge.version


def test_stale_form_from_another_tab_is_refused_with_a_clear_message(
    client, organisation, representative
):
    client.force_login(representative)
    client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    pledge = Pledge.objects.get()
    url = reverse("pact:pledge_edit", args=[pledge.pk])
    tab_one = edit_data(pledge, signatory_name="Tab one")
    tab_two = edit_data(pledge, signatory_name="Tab two")
    assert client.post(url, tab_one).status_code == 302
    response = client.post(url, tab_two)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.signatory_name == "Tab one"


def test_bad_dates_and_choices_are_explained_next_to_their_fields(
    client, organisation, representative
):
    client.force_login(representative)
    client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    pledge = Pledge.objects.get()
    data = edit_data(
        pledge, ai_role="wizard", **{"c-CORE-1-target_date": "31/31/2026", "version": "x"}
    )
    response = client.post(reverse("pact:pledge_edit", args=[pledge.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"ai_role", "c-CORE-1-target_date", "version"} <= set(errors)


def test_double_start_shows_the_existing_pledge(client, organisation, representative):
    client.force_login(representative)
    data = {"organisation": organisation.pk, "ai_role": "both", "language": "en"}
    client.post(reverse("pact:pledge_start"), data)
    response = client.post(reverse("pact:pledge_start"), data)
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pledge.get_absolute_url()


def test_start_is_refused_to_a_user_who_does_not_represent_the_organisation(
    client, user, organisation
):
    client.force_login(user)
    response = client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Pledge.objects.exists()


def test_start_is_refused_to_a_representative_without_a_verified_email(client, organisation):
    unverified = make_representative(organisation, verified=False)
    client.force_login(unverified)
    response = client.post(
        reverse("pact:pledge_start"),
        {"organisation": organisation.pk, "ai_role": "both", "language": "en"},
    )
    assert response.status_code == 200
    assert "confirm your email" in response.content.decode()
    assert not Pledge.objects.exists()


def test_representative_of_another_organisation_cannot_see_or_edit_the_pledge(
    client, pledge_factory
):
    pledge, _rep = pledge_factory("draft")
    stranger = make_representative(OrganisationFactory())
    client.force_login(stranger)
    for name in ("pact:pledge_detail", "pact:pledge_edit", "pact:pledge_withdraw"):
        assert client.get(reverse(name, args=[pledge.pk])).status_code == 404
    assert client.post(reverse("pact:pledge_edit", args=[pledge.pk]), {}).status_code == 404


def test_withdrawal_through_the_page(client, pledge_factory):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    url = reverse("pact:pledge_withdraw", args=[pledge.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "Merged into a group"}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "withdrawn"


def test_staff_return_without_comment_is_explained_and_changes_nothing(
    client, pledge_factory, pact_officer
):
    pledge, _rep = pledge_factory("submitted")
    client.force_login(pact_officer)
    response = client.post(reverse("pact_staff:pledge_review", args=[pledge.pk, "return"]))
    assert response.status_code == 400
    assert "comment" in response.context["review_form"].errors
    pledge.refresh_from_db()
    assert pledge.status == "submitted"


def test_staff_review_of_a_published_pledge_is_refused(client, pledge_factory, pact_officer):
    pledge, _rep = pledge_factory("published")
    client.force_login(pact_officer)
    response = client.post(
        reverse("pact_staff:pledge_review", args=[pledge.pk, "reject"]),
        {"comment": "No"},
        follow=True,
    )
    assert "Only a submitted pledge" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "published"


def test_unknown_review_decision_is_not_found(client, pledge_factory, pact_officer):
    pledge, _rep = pledge_factory("submitted")
    client.force_login(pact_officer)
    response = client.post(reverse("pact_staff:pledge_review", args=[pledge.pk, "delete"]))
    assert response.status_code == 404


def test_progress_report_journey(
    client, pledge_factory, pact_officer, django_capture_on_commit_callbacks
):
    pledge, representative = pledge_factory("published")
    Pledge.objects.filter(pk=pledge.pk).update(next_report_due=timezone.localdate())
    client.force_login(representative)
    response = client.post(reverse("pact:report_start", args=[pledge.pk]))
    report = ProgressReport.objects.get()
    assert response["Location"] == reverse("pact:report_edit", args=[report.pk])
    data = {"version": report.version, "difficulties": "Budget", "submit": "1"}
    for item in report.items.all():
        data[f"item-{item.pk}-implementation_status"] = "partial"
        data[f"item-{item.pk}-narrative"] = ""
    response = client.post(reverse("pact:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert len(response.context["form"].errors) == report.items.count() + 1
    for item in report.items.all():
        data[f"item-{item.pk}-narrative"] = f"Progress on {item.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pact:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    public = client.get(reverse("pact:public_pledge", args=[pledge.pk])).content.decode()
    assert "Progress on" not in public

    client.force_login(pact_officer)
    response = client.post(
        reverse("pact_staff:report_detail", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    client.logout()
    public = client.get(reverse("pact:public_pledge", args=[pledge.pk])).content.decode()
    assert "Progress on" in public and "Budget" in public


def test_report_started_too_early_is_explained(client, pledge_factory):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    response = client.post(reverse("pact:report_start", args=[pledge.pk]), follow=True)
    assert "you can write it from" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_network_join_through_the_page_is_visible_in_the_crm(
    client, organisation, representative, staff
):
    client.force_login(representative)
    response = client.post(
        reverse("pact:network_join"),
        {
            "organisation": organisation.pk,
            "interests": ["webinars", "workshops"],
            "contact_email": "ai@example.org",
        },
    )
    assert response.status_code == 302
    assert NetworkMembership.objects.filter(organisation=organisation).exists()
    client.force_login(staff)
    page = client.get(reverse("crm:organisation_detail", args=[organisation.pk])).content.decode()
    assert "AI Pact network" in page and "ai@example.org" in page
    assert organisation.name in client.get(reverse("pact_staff:network")).content.decode()


def test_my_pledges_panel_on_the_me_page(client, pledge_factory):
    pledge, representative = pledge_factory("submitted")
    client.force_login(representative)
    page = client.get(reverse("me:dashboard")).content.decode()
    assert "My organisation&#x27;s pledges" in page or "My organisation's pledges" in page
    assert pledge.get_absolute_url() in page


# --- the public register -------------------------------------------------------------------


@pytest.fixture
def register_mix(pledge_factory):
    """One pledge in each status, plus a published one that chose not to appear."""
    pledges = {
        status: pledge_factory(status, organisation=OrganisationFactory(name=f"{status} Ltd"))[0]
        for status in Pledge.Status.values
    }
    hidden, representative = pledge_factory(
        "draft", organisation=OrganisationFactory(name="Unlisted Ltd")
    )
    from pact import services

    from .factories import pledge_inputs

    hidden = services.pledge_save(
        user=representative, pledge=hidden, **pledge_inputs(hidden, publish_in_register=False)
    )
    hidden = services.pledge_submit(user=representative, pledge=hidden, version=hidden.version)
    from tests.crm.factories import make_staff

    pledges["unlisted"] = services.pledge_publish(user=make_staff("Pact officer"), pledge=hidden)
    return pledges


def test_register_never_shows_a_pledge_that_is_not_published_and_public(client, register_mix):
    published = register_mix["published"]
    hidden = [p for key, p in register_mix.items() if key != "published"]
    register = client.get(reverse("pact:register"))
    assert [entry.pk for entry in register.context["page"]] == [published.pk]
    pages = [
        client.get(reverse("pact:signatories_csv")).content.decode(),
        client.get(reverse("pact:signatories_json")).content.decode(),
        register.content.decode().replace(register_mix["withdrawn"].organisation.name, ""),
    ]
    for page in pages:
        assert published.organisation.name in page
        for pledge in hidden:
            assert pledge.organisation.name not in page
    for key, pledge in register_mix.items():
        status = client.get(reverse("pact:public_pledge", args=[pledge.pk])).status_code
        assert status == (200 if key in ("published", "withdrawn") else 404), key


def test_withdrawn_pledge_that_was_public_says_so(client, register_mix):
    withdrawn = register_mix["withdrawn"]
    page = client.get(reverse("pact:public_pledge", args=[withdrawn.pk])).content.decode()
    assert "was withdrawn" in page
    assert "We will do" not in page and "Actions for" not in page
    register = client.get(reverse("pact:register"))
    assert [entry.pk for entry in register.context["withdrawn"]] == [withdrawn.pk]
    assert register.context["total"] == 1


def test_withdrawn_pledge_never_published_is_not_found(client, pledge_factory):
    pledge, representative = pledge_factory("submitted")
    from pact import services

    services.pledge_withdraw(user=representative, pledge=pledge, reason="Changed our mind")
    assert client.get(reverse("pact:public_pledge", args=[pledge.pk])).status_code == 404


def test_register_filters_and_counts(client, pledge_factory):
    french = pledge_factory("published", organisation=OrganisationFactory(country="FR"))[0]
    american = pledge_factory(
        "published", organisation=OrganisationFactory(country="US"), extra_codes=["PROV-7"]
    )[0]
    page = client.get(reverse("pact:register"), {"country": "FR"})
    assert french.organisation.name in page.content.decode()
    assert american.organisation.name not in page.content.decode()
    assert page.context["total"] == 1
    page = client.get(reverse("pact:register"), {"commitment": "PROV-7"})
    assert page.context["total"] == 1
    counts = {c["name"]: dict(c["rows"]) for c in page.context["counts"]}
    assert counts["commitment"]["PROV-7"] == 1
    page = client.get(reverse("pact:register"), {"hq_region": "us", "q": "organisation"})
    assert american.organisation.name in page.content.decode()
    data = json.loads(client.get(reverse("pact:signatories_json"), {"country": "FR"}).content)
    assert [p["organisation"] for p in data["pledges"]] == [french.organisation.name]
    assert data["pledges"][0]["commitments"][:3] == ["CORE-1", "CORE-2", "CORE-3"]


def test_register_ignores_bad_filter_values_and_says_so(client, pledge_factory):
    pledge_factory("published")
    page = client.get(reverse("pact:register"), {"country": "ZZ", "sector": "nope", "page": "x"})
    assert page.status_code == 200
    assert "country" in page.context["filter"].errors
    assert page.context["total"] == 1


def test_open_data_csv_has_documented_columns(client, pledge_factory):
    from pact.views import OPEN_DATA_FIELDS

    pledge_factory("published")
    lines = client.get(reverse("pact:signatories_csv")).content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == OPEN_DATA_FIELDS
    assert len(lines) == 2
    documentation = client.get(reverse("pact:open_data")).content.decode()
    for field in OPEN_DATA_FIELDS:
        assert f"<code>{field}</code>" in documentation


def test_register_credits_the_source_of_the_signatory_list(client):
    page = client.get(reverse("pact:register")).content.decode()
    assert "digital-strategy.ec.europa.eu/en/policies/ai-pact" in page


def test_register_and_queues_do_not_query_per_row(
    client, pledge_factory, pact_officer, django_assert_max_num_queries
):
    for _ in range(6):
        pledge_factory("published")
        pledge_factory("submitted")
    with django_assert_max_num_queries(15):
        client.get(reverse("pact:register"))
    with django_assert_max_num_queries(6):
        client.get(reverse("pact:signatories_csv"))
    client.force_login(pact_officer)
    with django_assert_max_num_queries(14):
        client.get(reverse("pact_staff:pledge_queue"))
    with django_assert_max_num_queries(14):
        client.get(reverse("pact_staff:pledge_queue"), {"status": "all"})


# --- staff catalogue -----------------------------------------------------------------------


def test_staff_edit_the_catalogue(client, pact_officer, pledge_factory):
    pledge_factory("published")
    commitment = Commitment.objects.get(code="CORE-2", is_current=True)
    client.force_login(pact_officer)
    assert client.get(reverse("pact_staff:catalogue")).status_code == 200
    url = reverse("pact_staff:commitment_edit", args=[commitment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "texts-en-text": "Map AI systems",
            "ai_act_article": "Art. 6",
            "texts-fr-text": "Recenser",
        },
    )
    assert response.status_code == 302
    current = Commitment.objects.get(code="CORE-2", is_current=True)
    assert current.version == 2 and current.translations == {"fr": {"text": "Recenser"}}
    response = client.post(url, {"texts-en-text": "Again"})
    assert response.status_code == 404


def test_staff_without_the_pact_role_cannot_reach_pact_pages(
    client, pledge_factory, events_manager
):
    pledge, _rep = pledge_factory("submitted")
    client.force_login(events_manager)
    for url in (
        reverse("pact_staff:pledge_queue"),
        reverse("pact_staff:pledge_detail", args=[pledge.pk]),
        reverse("pact_staff:catalogue"),
        reverse("reports:document_list"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:pledge_pdf", args=[pledge.pk])).status_code == 404


def test_staff_pages_render(client, pledge_factory, pact_officer):
    pledge, representative = pledge_factory("published")
    client.force_login(pact_officer)
    for url in (
        reverse("pact_staff:report_queue") + "?status=all",
        reverse("pact_staff:network") + "?status=left",
        reverse("pact_staff:commitment_create"),
        reverse("pact_staff:pledge_queue") + "?status=bogus&page=9",
    ):
        assert client.get(url).status_code == 200, url


def test_representative_cannot_reach_staff_pages(client, pledge_factory):
    pledge, representative = pledge_factory("submitted")
    client.force_login(representative)
    assert client.get(reverse("pact_staff:pledge_detail", args=[pledge.pk])).status_code == 403
    response = client.post(reverse("pact_staff:pledge_review", args=[pledge.pk, "publish"]))
    assert response.status_code == 403
    pledge.refresh_from_db()
    assert pledge.status == "submitted"


def test_garbage_input_never_yields_a_server_error(client, pledge_factory, pact_officer):
    pledge, representative = pledge_factory("published")
    Pledge.objects.filter(pk=pledge.pk).update(next_report_due=timezone.localdate())
    garbage = {
        "organisation": "abc",
        "ai_role": "<script>",
        "language": "xx",
        "version": "-1",
        "interests": ["nope"],
        "contact_email": "not-an-email",
        "reason": "x" * 5000,
        "comment": "\x00",
        "decision": "maybe",
        "c-NOPE-included": "on",
        "c-CORE-1-target_date": "0000-00-00",
        "item-999-narrative": "x",
        "status": "bogus",
    }
    client.force_login(representative)
    client.post(reverse("pact:report_start", args=[pledge.pk]))
    report = ProgressReport.objects.get()
    for path in (
        reverse("pact:pledge_start"),
        reverse("pact:pledge_edit", args=[pledge.pk]),
        reverse("pact:pledge_withdraw", args=[pledge.pk]),
        reverse("pact:report_edit", args=[report.pk]),
        reverse("pact:network_join"),
        reverse("pact:network_leave", args=[999]),
        reverse("reports:pledge_pdf", args=[999]),
    ):
        assert client.post(path, garbage).status_code < 500, path
    for query in ({"page": "-1"}, {"commitment": "x" * 300}, {"q": "\x00%"}, {"size": "huge"}):
        assert client.get(reverse("pact:register"), query).status_code == 200
        # A value that is not in a filter's list is refused with 400 and the reason.
        assert client.get(reverse("pact:signatories_json"), query).status_code in (200, 400)
    client.force_login(pact_officer)
    for path in (
        reverse("pact_staff:pledge_review", args=[pledge.pk, "reject"]),
        reverse("pact_staff:report_detail", args=[report.pk]),
        reverse("pact_staff:commitment_create"),
        reverse("pact_staff:pledge_review", args=[999, "publish"]),
    ):
        assert client.post(path, garbage).status_code < 500, path
    pledge.refresh_from_db()
    assert pledge.status == "published"


def test_a_pledge_published_today_says_when_reporting_opens_instead_of_offering_it(
    client, pledge_factory
):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    text = client.get(reverse("pact:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Write the next progress report" not in text
    assert "You can write the next progress report from" in text
    assert "published once reviewed" not in text


def test_starting_a_report_too_early_explains_in_the_sites_date_format(client, pledge_factory):
    pledge, representative = pledge_factory("published")
    client.force_login(representative)
    response = client.post(reverse("pact:report_start", args=[pledge.pk]), follow=True)
    text = response.content.decode()
    assert "you can write it from" in text
    assert pledge.next_report_due.isoformat() not in text


def test_public_page_marks_an_overdue_progress_report(client, pledge_factory):
    pledge, _rep = pledge_factory("published")
    Pledge.objects.filter(pk=pledge.pk).update(
        next_report_due=pledge.published_at.date() - datetime.timedelta(days=400)
    )
    text = client.get(pledge.get_public_url()).content.decode()
    assert "status--overdue" in text


def test_publishing_asks_for_confirmation_first_and_changes_nothing_until_then(
    client, pledge_factory, pact_officer, mailoutbox
):
    pledge, _rep = pledge_factory("submitted")
    sent_before = len(mailoutbox)
    client.force_login(pact_officer)
    url = reverse("pact_staff:pledge_review", args=[pledge.pk, "publish"])
    page = client.post(url, {"comment": "Welcome"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Publish the pledge of {pledge.organisation.name}?" in text
    assert 'name="confirmed" value="yes"' in text
    assert 'value="Welcome"' in text
    pledge.refresh_from_db()
    assert pledge.status == "submitted"
    assert len(mailoutbox) == sent_before
    assert client.post(url, {"comment": "Welcome", "confirmed": "yes"}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "published"


def test_rejecting_without_a_reason_is_refused_before_any_confirmation(
    client, pledge_factory, pact_officer
):
    pledge, _rep = pledge_factory("submitted")
    client.force_login(pact_officer)
    url = reverse("pact_staff:pledge_review", args=[pledge.pk, "reject"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert "Explain why the pledge is rejected." in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "submitted"
