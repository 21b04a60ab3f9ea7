"""Selection by the body secretariat: evaluators and conflicts, scores, prepared decisions, the
balance panel, the suggested slate and the commitment with its emails and memberships."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from forums import selectors, services
from forums.models import Application, Evaluation, Membership
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .factories import BalanceRuleFactory, BodyFactory, CallFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def make_application(call, *, gender="female", nationality="BE", score=None, **extra):
    person = PersonFactory(user=UserFactory())
    fields = {"role": "member", "expertise": "AI", "motivation": "Help"} | extra
    return Application.objects.create(
        call=call,
        kind="individual",
        person=person,
        gender=gender,
        nationality=nationality,
        status="submitted",
        score=score,
        **fields,
    )


@pytest.fixture
def secretariat():
    return make_staff("Body secretariat")


@pytest.fixture
def call():
    return CallFactory(criteria=["Expertise", "Independence"], body=BodyFactory(term_months=24))


def test_an_evaluator_declares_no_conflict_then_scores(secretariat, call):
    application = make_application(call)
    evaluator = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    with pytest.raises(DomainError):
        services.evaluation_score(
            user=evaluator, evaluation=evaluation, scores={"Expertise": 8, "Independence": 6}
        )
    services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    with pytest.raises(DomainError):  # every criterion, whole numbers 0-10
        services.evaluation_score(user=evaluator, evaluation=evaluation, scores={"Expertise": 11})
    services.evaluation_score(
        user=evaluator, evaluation=evaluation, scores={"Expertise": 8, "Independence": 6}
    )
    application.refresh_from_db()
    assert application.score == Decimal("14")


def test_a_declared_conflict_blocks_the_evaluation_and_hides_the_application(
    client, secretariat, call
):
    application = make_application(call, motivation="Secret motivation")
    evaluator = make_staff("Body secretariat")
    evaluation = services.evaluator_assign(
        user=secretariat, application=application, evaluator=evaluator
    )
    client.force_login(evaluator)
    url = reverse("forums_bodies_staff:evaluation_detail", args=[evaluation.pk])
    assert "Secret motivation" not in client.get(url).content.decode()
    client.post(url, {"conflict": "yes"})
    evaluation.refresh_from_db()
    assert evaluation.has_conflict is True
    assert "Secret motivation" not in client.get(url).content.decode()
    with pytest.raises(DomainError):
        services.evaluation_score(
            user=evaluator, evaluation=evaluation, scores={"Expertise": 1, "Independence": 1}
        )
    with pytest.raises(DomainError):
        services.evaluation_declare(user=evaluator, evaluation=evaluation, has_conflict=False)
    client.force_login(make_staff("Body secretariat"))
    page = client.get(url).content.decode()
    assert "They declared a conflict of interest." in page
    assert "Secret motivation" not in page
    client.force_login(make_staff("Events manager"))
    assert client.get(url).status_code == 403


def test_balanced_assignment_spreads_the_work_evenly(secretariat, call):
    for _ in range(5):
        make_application(call)
    evaluators = [make_staff("Body secretariat") for _ in range(3)]
    assert (
        services.evaluators_assign_balanced(user=secretariat, call=call, evaluators=evaluators)
        == 10
    )
    loads = sorted(
        Evaluation.objects.filter(evaluator__in=evaluators).values_list("evaluator", flat=True)
    )
    counts = sorted(loads.count(e.pk) for e in evaluators)
    assert counts[-1] - counts[0] <= 1
    assert (
        services.evaluators_assign_balanced(user=secretariat, call=call, evaluators=evaluators) == 0
    )


def test_the_balance_panel_counts_sitting_members_and_prepared_appointments(secretariat, call):
    BalanceRuleFactory(body=call.body, description="At least 80 % EU/EEA nationals")
    MembershipFactory(body=call.body, person=PersonFactory(nationality="FR", gender="male"))
    eu = make_application(call, nationality="DE")
    us = make_application(call, nationality="US")
    services.decision_prepare(user=secretariat, application=eu, decision="appoint")
    panel = selectors.balance_panel(user=secretariat, call=call)
    (result,) = panel["results"]
    assert (result.count, result.base, result.ok) == (2, 2, True)
    services.decision_prepare(user=secretariat, application=us, decision="appoint")
    panel = selectors.balance_panel(user=secretariat, call=call)
    (result,) = panel["results"]
    assert (result.count, result.base, result.ok) == (2, 3, False)
    assert panel["broken"]


def test_the_slate_is_suggested_accepted_and_committed_with_emails(
    client, secretariat, call, mailoutbox, django_capture_on_commit_callbacks
):
    BalanceRuleFactory(body=call.body, description="At least 80 % EU/EEA nationals")
    best_us = make_application(call, nationality="US", score=20)
    eu = [make_application(call, nationality="BE", score=10 + i) for i in range(4)]
    ids = selectors.slate_suggestion(user=secretariat, call=call, seats=3)
    # 3 seats at 80 % EU/EEA leave no room for the best-scored non-EU applicant.
    assert best_us.pk not in ids and len(ids) == 3
    client.force_login(secretariat)
    client.post(
        reverse("forums_bodies_staff:slate_accept", args=[call.pk]),
        {"application": [str(pk) for pk in ids]},
    )
    assert set(Application.objects.filter(decision="appoint").values_list("pk", flat=True)) == set(
        ids
    )
    services.decision_prepare(user=secretariat, application=best_us, decision="reserve")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decisions_commit(user=secretariat, call=call) == 4
    assert Application.objects.filter(status="appointed").count() == 3
    best_us.refresh_from_db()
    assert best_us.status == "reserve"
    assert Membership.objects.filter(body=call.body, status="active").count() == 3
    assert len(mailoutbox) == 4
    assert any("appointed" in m.body for m in mailoutbox)
    assert eu  # the four EU applicants were the pool


def test_an_infeasible_slate_is_a_clear_message_on_the_page(client, secretariat, call):
    BalanceRuleFactory(
        body=call.body,
        dimension="stakeholder",
        value="academia",
        operator="min_count",
        threshold=5,
        description="At least 5 academics",
    )
    make_application(call)
    make_application(call)
    client.force_login(secretariat)
    response = client.post(
        reverse("forums_bodies_staff:slate_suggest", args=[call.pk]), {"seats": 2}, follow=True
    )
    assert response.status_code == 400
    assert "At least 5 academics" in response.content.decode()


def test_the_selection_page_is_for_the_body_secretariat_only(client, call):
    make_application(call, score=12)
    url = reverse("forums_bodies_staff:call_selection", args=[call.pk])
    client.force_login(make_staff("Events manager"))
    assert client.get(url).status_code == 403
    client.force_login(make_staff("Body secretariat"))
    response = client.get(url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_decisions_are_prepared_only_by_the_secretariat(call):
    application = make_application(call)
    with pytest.raises(DomainError):
        services.decision_prepare(
            user=make_staff("Events manager"), application=application, decision="appoint"
        )
