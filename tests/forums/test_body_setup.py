"""The secretariat's pages on bodies: creating and changing a body with its balance rules (shown
in words), creating and changing a call, with validation and audit; the body's staff page with
attendance per member and terms ending soon."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from forums import selectors, services
from forums.balance import group_label
from forums.models import BalanceRule, Body, Call, Evaluation, Registration
from tests.crm.factories import PersonFactory, make_staff

from .factories import (
    BalanceRuleFactory,
    BodyFactory,
    CallFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
)
from .test_selection import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return make_staff("Body secretariat")


def body_post(**extra):
    data = {
        "texts-en-name": "Working group on transparency",
        "slug": "wg-transparency",
        "texts-en-description": "Drafts the transparency chapter.",
        "kind": "working_group",
        "legal_basis": "AI Act Art. 56",
        "max_members": "40",
        "term_months": "24",
        "max_service_months": "48",
        "nominees_per_organisation": "2",
        "declarations_public": "on",
        "is_public": "on",
        "order": "50",
        "rule-TOTAL_FORMS": "3",
        "rule-INITIAL_FORMS": "0",
        "rule-MIN_NUM_FORMS": "0",
        "rule-MAX_NUM_FORMS": "40",
        "rule-0-group": "gender:",
        "rule-0-operator": "max_share",
        "rule-0-threshold": "60",
        "rule-1-group": "eu_eea:eu_eea",
        "rule-1-operator": "min_share",
        "rule-1-threshold": "80",
        "rule-1-description": "At least 80 % EU/EEA nationals",
        # An empty row, as a browser sends it.
        "rule-2-group": "",
        "rule-2-country": "",
        "rule-2-operator": "",
        "rule-2-threshold": "",
        "rule-2-description": "",
    }
    return data | extra


def test_the_secretariat_creates_a_body_with_rules_written_in_words(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("forums_bodies_staff:body_create"), body_post())
    assert response.status_code == 302
    body = Body.objects.get(slug="wg-transparency")
    assert (body.term_months, body.nominees_per_organisation, body.declarations_public) == (
        24,
        2,
        True,
    )
    rules = list(body.balance_rules.order_by("pk"))
    assert [r.description for r in rules] == [
        "Gender: no group above 60 %",
        "At least 80 % EU/EEA nationals",
    ]
    assert AuditEntry.objects.filter(action="forums.body.created").exists()
    page = client.get(reverse("forums_bodies_staff:body_detail", args=[body.pk])).content.decode()
    assert "Gender: no group above 60 %" in page


@pytest.mark.parametrize(
    "extra, field_text",
    [
        ({"max_service_months": "12"}, "at least one term"),
        ({"slug": "declarations"}, "used by the site"),
        ({"rule-0-threshold": "160"}, "at most 100"),
        ({"rule-0-group": "", "rule-0-operator": "min_share"}, "what the rule counts"),
        (
            {
                "rule-2-group": "gender:",
                "rule-2-country": "FR",
                "rule-2-operator": "max_share",
                "rule-2-threshold": "5",
            },
            "only with a rule on countries",
        ),
    ],
)
def test_a_body_with_bad_values_is_refused_with_a_message(client, secretariat, extra, field_text):
    client.force_login(secretariat)
    response = client.post(reverse("forums_bodies_staff:body_create"), body_post(**extra))
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert not Body.objects.filter(slug__in=["wg-transparency", "declarations"]).exists()


def test_editing_a_body_replaces_its_rules_and_keeps_limits_true(client, secretariat):
    body = BodyFactory(max_members=5)
    BalanceRuleFactory(body=body)
    for _ in range(3):
        MembershipFactory(body=body)
    client.force_login(secretariat)
    url = reverse("forums_bodies_staff:body_edit", args=[body.pk])
    form = client.get(url).content.decode()
    assert "EU/EEA nationals" in form  # the group in words
    data = body_post(slug=body.slug, max_members="2")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "3 active members" in response.content.decode()
    response = client.post(url, body_post(slug=body.slug, **{"rule-1-group": ""}))
    assert response.status_code == 400  # a half-filled rule
    data = body_post(slug=body.slug)
    data["rule-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert [r.dimension for r in BalanceRule.objects.filter(body=body)] == ["gender"]
    with pytest.raises(DomainError):
        services.body_save(user=secretariat, body=body, rules=[], parent=body)
    with pytest.raises(PermissionDenied):
        services.body_save(user=make_staff("Events manager"), body=body, rules=[], name="X")


def call_post(**extra):
    data = {
        "texts-en-title": "Call for experts 2027",
        "texts-en-text": "Apply.",
        "time_zone": "Europe/Brussels",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-02-10T17:00",
        "applicants": "individuals",
        "roles": ["member", "chair"],
        "criteria": "Expertise\nIndependence\n",
        "eligibility_questions": "Doctorate or 10 years\n",
        "seats": "20",
        "declaration_required": "on",
        "blind_review": "on",
        "status": "published",
    }
    return data | extra


def test_the_secretariat_creates_and_edits_a_call(client, secretariat):
    body = BodyFactory(max_members=60)
    client.force_login(secretariat)
    url = reverse("forums_bodies_staff:call_create", args=[body.pk])
    assert client.post(url, call_post(closes_at="2027-01-01T09:00")).status_code == 400
    assert client.post(url, call_post(criteria="  \n")).status_code == 400
    assert client.post(url, call_post(seats="61")).status_code == 400
    response = client.post(url, call_post())
    assert response.status_code == 302
    call = Call.objects.get(title="Call for experts 2027")
    assert call.criteria == ["Expertise", "Independence"]
    assert call.blind_review and call.declaration_required
    assert call.opens_at.astimezone(call.tz).hour == 9
    edit = reverse("forums_bodies_staff:call_edit", args=[call.pk])
    assert "Independence" in client.get(edit).content.decode()
    renamed = call_post(**{"texts-en-title": "Renamed", "texts-fr-title": "Renommé"})
    assert client.post(edit, renamed).status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed"
    assert call.translations == {"fr": {"title": "Renommé"}}
    assert AuditEntry.objects.filter(action="forums.call.updated").exists()


def test_what_evaluations_rest_on_is_frozen(secretariat):
    call = CallFactory(criteria=["Expertise"], blind_review=False)
    application = make_application(call)
    evaluator = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    with pytest.raises(DomainError) as info:
        services.call_save(user=secretariat, body=call.body, call=call, blind_review=True)
    assert info.value.field == "blind_review"
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    services.evaluation_score(user=evaluator, evaluation=evaluation, scores={"Expertise": 5})
    with pytest.raises(DomainError) as info:
        services.call_save(user=secretariat, body=call.body, call=call, criteria=["Other"])
    assert info.value.field == "criteria"
    assert Evaluation.objects.get().scores == {"Expertise": 5}


def test_the_body_page_shows_attendance_per_member_and_terms_ending_soon(client, secretariat):
    body = BodyFactory()
    today = timezone.localdate()
    ada = MembershipFactory(
        body=body,
        person=PersonFactory(first_name="Ada"),
        term_start=today - timedelta(days=400),
        term_end=today + timedelta(days=30),
    )
    newcomer = MembershipFactory(
        body=body, person=PersonFactory(first_name="Newton"), term_start=today - timedelta(days=5)
    )
    past = [
        EventFactory(
            programme="expert_body",
            body=body,
            starts_at=timezone.now() - timedelta(days=days),
            ends_at=timezone.now() - timedelta(days=days) + timedelta(hours=3),
        )
        for days in (200, 100, 20)
    ]
    RegistrationFactory(event=past[0], person=ada.person, attendance="attended")
    RegistrationFactory(event=past[1], person=ada.person, attendance="no_show")
    RegistrationFactory(event=past[2], person=ada.person, attendance="attended")
    members = {m.pk: m for m in selectors.body_members_staff(user=secretariat, body=body)}
    assert members[ada.pk].attendance == {"meetings": 3, "attended": 2, "missed": 1}
    assert members[newcomer.pk].attendance == {"meetings": 0, "attended": 0, "missed": 0}
    assert list(selectors.terms_ending_soon(user=secretariat, body=body)) == [ada]
    client.force_login(secretariat)
    html = client.get(reverse("forums_bodies_staff:body_detail", args=[body.pk])).content.decode()
    assert "2 of 3" in html and "1 missed" in html
    assert selectors.body_members_staff(user=make_staff("Events manager"), body=body) == []
    assert Registration.objects.count() == 3


def test_balance_groups_read_as_words():
    assert group_label("gender", "female") == "women"
    assert group_label("eu_eea", "non_eu_eea") == "nationals of other countries"
    assert group_label("stakeholder", "academia") == "Academia and research"
    assert group_label("country", "mt") == "Malta"
    assert group_label("gender", "") == "every gender"
    rule = BalanceRule(
        dimension="sme_of_commercial", value="sme", operator="min_share", threshold=Decimal("33.33")
    )
    from forums.balance import rule_in_words

    assert rule_in_words(rule) == "At least 33.33 % SMEs and start-ups among commercial members"


def test_the_balance_panel_names_groups_in_words(client, secretariat):
    call = CallFactory()
    BalanceRuleFactory(
        body=call.body,
        dimension="gender",
        value="",
        operator="max_share",
        threshold=60,
        description="No gender above 60 %",
    )
    make_application(call, gender="female")
    client.force_login(secretariat)
    html = client.get(reverse("forums_bodies_staff:call_selection", args=[call.pk])).content
    html = html.decode()
    assert "<td>women</td>" in html and "<td>female</td>" not in html
