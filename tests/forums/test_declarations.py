"""Declarations of interest: filing versions, the secretariat's assessment, the declaration
filed with an application, what evaluators may know of it, publication on the page of a body
whose declarations are public, and the yearly renewal with its reminder and overdue list."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from forums import selectors, services
from forums.models import Application, Declaration, Membership
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .factories import BodyFactory, CallFactory, DeclarationFactory, MembershipFactory
from .test_applications import apply, private_media  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

INTEREST = {
    "category": "consultancy",
    "organisation": "Frontier Lab SA",
    "description": "Advice on model evaluations",
    "started_on": date(2023, 1, 1),
    "ended_on": None,
    "amount": "up_to_50k",
}


@pytest.fixture
def expert():
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    PersonFactory(user=user, email=user.email, first_name="Ada", last_name="Lovelace")
    return user


@pytest.fixture
def secretariat():
    return make_staff("Body secretariat")


def file(user, **kwargs):
    values = {"no_interests": False, "interests": [INTEREST], "signed_name": "Ada Lovelace"}
    return services.declaration_file(user=user, **(values | kwargs))


def test_each_filing_is_a_new_version_and_earlier_ones_stay_as_signed(expert):
    first = file(expert)
    second = file(expert, no_interests=True, interests=[], signed_name="  ada   LOVELACE ")
    assert (first.version, second.version) == (1, 2)
    assert first.interests.get().organisation == "Frontier Lab SA"
    assert second.no_interests and not second.interests.exists()
    assert second.signed_name == "ada LOVELACE"
    assert selectors.declaration_latest_of_user(user=expert) == second


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"no_interests": True}, "no_interests"),  # both "none" and interests
        ({"interests": []}, "no_interests"),  # neither
        ({"signed_name": "Someone Else"}, "signed_name"),
        ({"interests": [INTEREST | {"organisation": ""}]}, "organisation"),
        ({"interests": [INTEREST | {"category": "lobbying"}]}, "category"),
        (
            {"interests": [INTEREST | {"ended_on": date(2022, 1, 1)}]},
            "ended_on",
        ),
    ],
)
def test_an_incomplete_or_contradictory_declaration_is_refused(expert, kwargs, field):
    with pytest.raises(DomainError) as info:
        file(expert, **kwargs)
    assert info.value.field == field
    assert not Declaration.objects.exists()


def test_the_secretariat_assesses_with_a_reason_and_others_cannot(expert, secretariat):
    declaration = file(expert)
    with pytest.raises(DomainError):
        services.declaration_assess(
            user=secretariat, declaration=declaration, assessment="managed", reason="  "
        )
    with pytest.raises(DomainError):
        services.declaration_assess(
            user=secretariat, declaration=declaration, assessment="pending", reason="x"
        )
    for outsider in (expert, make_staff("Events manager")):
        with pytest.raises(PermissionDenied):
            services.declaration_assess(
                user=outsider, declaration=declaration, assessment="no_conflict", reason="Fine"
            )
    services.declaration_assess(
        user=secretariat,
        declaration=declaration,
        assessment="managed",
        reason="Does not take part in evaluations of Frontier Lab models.",
    )
    declaration.refresh_from_db()
    assert declaration.assessment == "managed" and declaration.assessed_by == secretariat


def test_the_declaration_pages_file_a_version_prefilled_from_the_last(client, expert):
    client.force_login(expert)
    file(expert)
    page = client.get(reverse("forums:declaration_new"))
    assert "Frontier Lab SA" in page.content.decode()  # the last rows, to renew quickly
    data = {
        "interest-TOTAL_FORMS": "2",
        "interest-INITIAL_FORMS": "0",
        "interest-0-category": "boards",
        "interest-0-organisation": "AI Ethics Foundation",
        "interest-0-description": "Unpaid board member",
        "interest-0-amount": "unpaid",
        "signed_name": "Ada Lovelace",
        "confirm": "on",
    }
    refused = client.post(reverse("forums:declaration_new"), data | {"confirm": ""})
    assert refused.status_code == 400
    half_row = data | {"interest-1-organisation": "Somewhere"}  # no category nor description
    assert client.post(reverse("forums:declaration_new"), half_row).status_code == 400
    response = client.post(reverse("forums:declaration_new"), data)
    assert response.status_code == 302
    latest = selectors.declaration_latest_of_user(user=expert)
    assert latest.version == 2
    assert [i.organisation for i in latest.interests.all()] == ["AI Ethics Foundation"]
    listing = client.get(reverse("forums:declaration_list")).content.decode()
    assert "AI Ethics Foundation" in listing and "Version 1" in listing


def test_an_individual_files_a_declaration_with_the_application(expert):
    call = CallFactory(declaration_required=True)
    with pytest.raises(DomainError) as info:
        apply(expert, call)
    assert info.value.code == "declaration_missing"
    old = file(expert)
    Declaration.objects.filter(pk=old.pk).update(signed_at=timezone.now() - timedelta(days=400))
    with pytest.raises(DomainError):  # older than a year
        apply(expert, call)
    assert not Application.objects.exists()  # a refused submission saves nothing
    current = file(expert)
    application = apply(expert, call)
    assert application.declaration == current
    file(expert, no_interests=True, interests=[])  # a later version does not replace it
    application.refresh_from_db()
    assert application.declaration == current


def _evaluation_for(application, evaluator, secretariat):
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    return evaluation


def test_an_evaluator_sees_the_assessment_but_not_the_declaration_without_the_right(
    client, expert, secretariat
):
    call = CallFactory(declaration_required=True)
    declaration = file(expert)
    services.declaration_assess(
        user=secretariat, declaration=declaration, assessment="managed", reason="Recusal"
    )
    application = apply(expert, call)
    # An evaluator who may see applications but not declarations.
    from django.contrib.auth.models import Permission

    evaluator = make_staff()
    evaluator.user_permissions.add(Permission.objects.get(codename="view_application"))
    evaluator = type(evaluator).objects.get(pk=evaluator.pk)
    evaluation = _evaluation_for(application, evaluator, secretariat)
    client.force_login(evaluator)
    page = client.get(reverse("forums_bodies_staff:evaluation_detail", args=[evaluation.pk]))
    html = page.content.decode()
    assert "Conflict of interest, managed" in html
    assert "Frontier Lab SA" not in html and "Recusal" not in html
    url = reverse("forums_bodies_staff:declaration_detail", args=[declaration.pk])
    assert url not in html
    assert client.get(url).status_code == 403
    # The secretariat (who may read declarations) gets a link to it.
    colleague = make_staff("Body secretariat")
    evaluation = _evaluation_for(application, colleague, secretariat)
    client.force_login(colleague)
    page = client.get(reverse("forums_bodies_staff:evaluation_detail", args=[evaluation.pk]))
    assert url in page.content.decode()
    assert "Frontier Lab SA" in client.get(url).content.decode()


def test_the_declarations_of_a_public_body_are_published_once_assessed(client, secretariat):
    body = BodyFactory(declarations_public=True)
    member = MembershipFactory(body=body, person=PersonFactory(first_name="Grace"))
    hidden = MembershipFactory(
        body=body, publication=Membership.Publication.NOT_PUBLISHED, person=PersonFactory()
    )
    declaration = DeclarationFactory(person=member.person, no_interests=False)
    declaration.interests.create(
        category="employment", organisation="Université de Liège", description="Professor"
    )
    DeclarationFactory(person=hidden.person)
    url = reverse("forums:body_declarations", args=[body.slug])
    assert "Université de Liège" not in client.get(url).content.decode()  # not assessed yet
    services.declaration_assess(
        user=secretariat, declaration=declaration, assessment="no_conflict", reason="Checked-XYZ"
    )
    html = client.get(url).content.decode()
    assert "Université de Liège" in html and "Grace" in html
    assert hidden.person.last_name not in html
    assert "Checked-XYZ" not in html  # the assessment stays internal
    assert url in client.get(body.get_absolute_url()).content.decode()
    private = BodyFactory(declarations_public=False)
    assert client.get(reverse("forums:body_declarations", args=[private.slug])).status_code == 404


def test_members_are_reminded_once_a_cycle_and_the_overdue_are_listed(
    client, secretariat, django_capture_on_commit_callbacks
):
    body = BodyFactory()
    today = timezone.localdate()
    fresh = MembershipFactory(body=body)
    DeclarationFactory(person=fresh.person)
    due_soon = MembershipFactory(body=body)
    DeclarationFactory(person=due_soon.person, signed_at=timezone.now() - timedelta(days=350))
    never = MembershipFactory(body=body, term_start=today - timedelta(days=10))
    MembershipFactory(body=body, member_type=Membership.MemberType.REPRESENTATIVE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.declaration_reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [due_soon.person.email, never.person.email]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.declaration_reminders_send() == 0  # once per cycle
    overdue = selectors.memberships_declaration_overdue(user=secretariat)
    assert [m.pk for m in overdue] == [never.pk]
    client.force_login(secretariat)
    html = client.get(reverse("forums_bodies_staff:declaration_queue")).content.decode()
    to_assess, overdue_section = html.split('id="overdue-heading"')
    assert fresh.person.full_name in to_assess  # filed, waiting for its assessment
    assert never.person.full_name in overdue_section
    assert fresh.person.full_name not in overdue_section
    assert selectors.memberships_declaration_overdue(user=make_staff("Events manager")).count() == 0


def test_a_person_gets_their_declarations_in_their_data_and_erasure_clears_them(
    expert, secretariat
):
    from forums import privacy

    declaration = file(expert)
    person = declaration.person
    exported = privacy.export_person(person=person)["declarations_of_interest"]
    assert exported[0]["interests"][0]["organisation"] == "Frontier Lab SA"
    counts = privacy.erase_person(person=person, actor=secretariat)
    assert counts["declared_interests"] == 1
    interest = declaration.interests.get()
    assert (interest.organisation, interest.description) == ("", "")


def test_reading_a_declaration_is_in_the_access_log(client, expert, secretariat):
    from core.models import AccessLogEntry

    declaration = file(expert)
    client.force_login(secretariat)
    client.get(reverse("forums_bodies_staff:declaration_detail", args=[declaration.pk]))
    entry = AccessLogEntry.objects.get(subject_type="forums.declaration")
    assert entry.actor == secretariat
    assert list(entry.people.values_list("person_id", flat=True)) == [declaration.person_id]
