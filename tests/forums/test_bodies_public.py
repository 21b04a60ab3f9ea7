"""The public pages of the expert bodies, and what they must never show."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from crm.models import Consent, Person
from forums import demo_bodies
from forums.models import Body, Event, Membership
from forums.real_bodies import ADVISORY_FORUM, SCIENTIFIC_PANEL, bodies_ensure
from tests.crm.factories import PersonFactory

from .factories import (
    BalanceRuleFactory,
    BodyFactory,
    CallFactory,
    EventFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_the_real_bodies_are_created_once_with_their_rules_and_permanent_members():
    assert bodies_ensure() == 7
    assert bodies_ensure() == 0
    panel = Body.objects.get(slug=SCIENTIFIC_PANEL)
    assert (panel.max_members, panel.term_months, panel.declarations_public) == (60, 24, True)
    assert (
        panel.balance_rules.filter(dimension="eu_eea", operator="min_share").get().threshold == 80
    )
    forum = Body.objects.get(slug=ADVISORY_FORUM)
    assert forum.max_service_months == 48
    permanent = forum.memberships.filter(member_type=Membership.MemberType.PERMANENT)
    assert sorted(m.organisation.acronym for m in permanent) == [
        "CEN",
        "CENELEC",
        "ENISA",
        "ETSI",
        "FRA",
    ]
    assert Body.objects.get(slug="gpai-code-of-practice").children.count() == 4


def test_the_bodies_list_shows_bodies_and_open_calls_only(client):
    body = BodyFactory(name="Panel of testers")
    BodyFactory(name="Hidden group", is_public=False)
    CallFactory(body=body, title="Open call")
    CallFactory(body=body, title="Draft call", status="draft")
    CallFactory(
        body=body,
        title="Closed call",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
    )
    page = client.get(reverse("forums:body_list")).content.decode()
    assert "Panel of testers" in page and "Open call" in page
    assert "Hidden group" not in page
    assert "Draft call" not in page and "Closed call" not in page


def test_the_body_page_shows_mandate_rules_chairs_members_and_past_meetings(client):
    body = BodyFactory(name="Panel", description="Advises on evaluations.")
    BalanceRuleFactory(body=body, description="At least 80 % EU/EEA nationals")
    MembershipFactory(
        body=body,
        person=PersonFactory(first_name="Chaira", last_name="One"),
        role=Membership.Role.CHAIR,
    )
    MembershipFactory(body=body, person=PersonFactory(first_name="Mema", last_name="Two"))
    past = timezone.now() - timedelta(days=20)
    EventFactory(
        title="First meeting",
        programme=Event.Programme.EXPERT_BODY,
        body=body,
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )
    response = client.get(body.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Advises on evaluations.",
        "At least 80 % EU/EEA nationals",
        "Chaira One",
        "Mema Two",
        "First meeting",
    ]:
        assert text in page


def test_only_members_with_a_basis_for_publication_are_listed(client):
    body = BodyFactory()
    MembershipFactory(body=body, person=PersonFactory(last_name="Lawful"))
    consenting = PersonFactory(last_name="Consenting")
    Consent.objects.create(
        person=consenting,
        purpose=Consent.Purpose.PUBLISH_NAME,
        privacy_notice="Expert bodies",
        notice_version="1",
    )
    MembershipFactory(body=body, person=consenting, publication="consent")
    withdrawn = PersonFactory(last_name="Withdrawn")
    Consent.objects.create(
        person=withdrawn,
        purpose=Consent.Purpose.PUBLISH_NAME,
        privacy_notice="Expert bodies",
        notice_version="1",
        given_at=timezone.now() - timedelta(days=2),
        withdrawn_at=timezone.now() - timedelta(days=1),
    )
    MembershipFactory(body=body, person=withdrawn, publication="consent")
    MembershipFactory(body=body, person=PersonFactory(last_name="Unasked"), publication="consent")
    MembershipFactory(
        body=body, person=PersonFactory(last_name="Private"), publication="not_published"
    )
    MembershipFactory(body=body, person=PersonFactory(last_name="Former"), status="ended")
    page = client.get(body.get_absolute_url()).content.decode()
    assert "Lawful" in page and "Consenting" in page
    for hidden in ["Withdrawn", "Unasked", "Private", "Former"]:
        assert hidden not in page


def test_the_call_page_shows_the_call_and_refuses_drafts_and_hidden_bodies(client):
    call = CallFactory(title="Experts wanted", criteria=["Depth of expertise"])
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Experts wanted" in page and "Depth of expertise" in page
    assert "Open for applications" in page
    draft = CallFactory(status="draft")
    hidden = CallFactory(body=BodyFactory(is_public=False))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("forums:body_detail", args=["nothing-here"])).status_code == 404


def test_an_event_of_the_body_programme_names_its_body():
    event = EventFactory.build(programme=Event.Programme.EXPERT_BODY, body=None)
    with pytest.raises(ValidationError):
        event.full_clean()
    body = BodyFactory(name="Forum")
    event = EventFactory(programme=Event.Programme.EXPERT_BODY, body=body)
    assert event.programme_name == "Forum"


def test_a_balance_rule_names_a_known_group():
    rule = BalanceRuleFactory.build(
        body=BodyFactory(),
        dimension="stakeholder",
        value="pirates",
        operator="min_count",
        threshold=3,
    )
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule.value = "academia"
    rule.full_clean()
    share = BalanceRuleFactory.build(body=rule.body, threshold=120)
    with pytest.raises(ValidationError):
        share.full_clean()


def test_no_public_body_page_shows_emails_genders_or_undisclosed_members(client):
    from crm import demo as crm_demo

    crm_demo.seed()
    demo_bodies.seed()
    for body in Body.objects.all():
        MembershipFactory(
            body=body,
            person=PersonFactory(last_name=f"Undisclosed{body.pk}", gender="female"),
            publication="not_published",
        )
    hidden_names = [
        m.person.last_name
        for m in Membership.objects.filter(publication="not_published").select_related("person")
    ]
    assert hidden_names
    urls = [reverse("forums:body_list")]
    urls += [body.get_absolute_url() for body in Body.objects.filter(is_public=True)]
    urls += [call.get_absolute_url() for call in demo_bodies.Call.objects.all()]
    urls += [
        reverse("forums:body_declarations", args=[body.slug])
        for body in Body.objects.filter(is_public=True, declarations_public=True)
    ]
    assert any("/declarations/" in url for url in urls)
    # The declarations of members without a basis for publication stay unpublished, and the
    # secretariat's assessments stay internal.
    from forums.models import Declaration

    for membership in Membership.objects.filter(publication="not_published"):
        if not Declaration.objects.filter(person=membership.person).exists():
            Declaration.objects.create(
                person=membership.person,
                version=1,
                signed_name=membership.person.full_name,
                signed_at=timezone.now(),
                assessment="no_conflict",
                assessment_reason="Internal reasoning",
            )
    reasons = set(Declaration.objects.values_list("assessment_reason", flat=True)) - {""}
    genders = [str(label) for value, label in Person.Gender.choices if value]
    genders += [value for value, _label in Person.Gender.choices]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        main = page.split("<main", 1)[-1].split("</main>", 1)[0]
        assert not EMAIL.search(main), url
        assert not any(re.search(rf"\b{g}\b", main) for g in genders), url
        assert "score" not in main.lower(), url
        for name in hidden_names:
            assert name not in page, url
        for reason in reasons:
            assert reason not in page, url


def test_the_demo_moves_the_advisory_forum_plenary_to_the_forum():
    from crm import demo as crm_demo
    from forums import demo

    crm_demo.seed()
    demo.seed()
    event = Event.objects.get(title="Advisory Forum plenary meeting")
    assert event.programme == Event.Programme.EXPERT_BODY
    assert event.body.slug == ADVISORY_FORUM


def test_the_demo_applications_come_in_every_state_and_load_once():
    from crm import demo as crm_demo
    from forums.models import Application

    crm_demo.seed()
    demo_bodies.seed()
    forum = Application.objects.filter(call__body__slug=ADVISORY_FORUM)
    panel = Application.objects.filter(call__body__slug=SCIENTIFIC_PANEL)
    assert forum.count() == 700 and panel.count() == 150
    assert set(forum.values_list("status", flat=True)) == set(Application.Status.values)
    assert forum.filter(decision="appoint").count() > 100
    demo_bodies.seed()
    assert Application.objects.count() == 850
