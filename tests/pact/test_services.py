import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.errors import DomainError
from pact import services
from pact.models import (
    Commitment,
    NetworkMembership,
    Pledge,
    PledgeCommitment,
    ProgressReport,
    ReportReminder,
)
from pact.services import IncompleteError, add_months
from tests.crm.factories import OrganisationFactory, make_representative

from .factories import pledge_inputs

pytestmark = pytest.mark.django_db


def test_catalogue_is_loaded_with_three_core_commitments_and_translations():
    core = Commitment.objects.filter(category="core", is_current=True)
    assert core.count() == 3
    assert Commitment.objects.filter(category="provider").exists()
    assert Commitment.objects.filter(category="deployer").exists()
    assert Commitment.objects.filter(verified=True).count() == 5
    literacy = core.get(code="CORE-3")
    assert literacy.ai_act_article == "Art. 4"
    assert literacy.text_in("fr").startswith("Promouvoir")
    assert literacy.text_in("sv").startswith("Främja medvetenheten och AI-kunnigheten")
    assert literacy.text_in("en") == literacy.text


def test_start_gives_a_draft_with_the_three_core_commitments(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    assert pledge.status == Pledge.Status.DRAFT
    codes = set(pledge.commitments.values_list("commitment__code", flat=True))
    assert codes == {"CORE-1", "CORE-2", "CORE-3"}
    assert pledge.history.get().to_status == "draft"


def test_start_is_refused_to_someone_who_does_not_represent_the_organisation(organisation, user):
    with pytest.raises(DomainError, match="not a confirmed representative"):
        services.pledge_start(user=user, organisation=organisation, ai_role="both")
    assert not Pledge.objects.exists()


def test_start_is_refused_without_a_verified_email(organisation):
    unverified = make_representative(organisation, verified=False)
    with pytest.raises(DomainError, match="confirm your email"):
        services.pledge_start(user=unverified, organisation=organisation, ai_role="both")


def test_start_is_refused_with_an_unknown_ai_role(organisation, representative):
    with pytest.raises(DomainError) as error:
        services.pledge_start(user=representative, organisation=organisation, ai_role="oracle")
    assert error.value.field == "ai_role"


def test_second_pledge_for_the_same_organisation_is_refused(organisation, representative):
    services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    colleague = make_representative(organisation)
    with pytest.raises(DomainError, match="already has a pledge") as error:
        services.pledge_start(user=colleague, organisation=organisation, ai_role="deployer")
    assert error.value.code == "duplicate"
    assert Pledge.objects.count() == 1


def test_new_pledge_may_start_once_the_previous_one_is_withdrawn(pledge_factory):
    pledge, representative = pledge_factory("withdrawn")
    again = services.pledge_start(
        user=representative, organisation=pledge.organisation, ai_role="both"
    )
    assert again.pk != pledge.pk


def test_save_keeps_the_draft_and_bumps_the_version(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    saved = services.pledge_save(
        user=representative, pledge=pledge, **pledge_inputs(pledge, extra_codes=["DEPL-2"])
    )
    assert saved.version == pledge.version + 1
    assert saved.status == Pledge.Status.DRAFT
    row = saved.commitments.get(commitment__code="DEPL-2")
    assert row.planned_actions == "Actions for DEPL-2"


def test_stale_edit_is_refused_and_changes_nothing(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    first_tab = pledge_inputs(pledge, signatory_name="First tab")
    second_tab = pledge_inputs(pledge, signatory_name="Second tab")
    services.pledge_save(user=representative, pledge=pledge, **first_tab)
    with pytest.raises(DomainError, match="changed by someone else") as error:
        services.pledge_save(user=representative, pledge=pledge, **second_tab)
    assert error.value.code == "stale"
    pledge.refresh_from_db()
    assert pledge.signatory_name == "First tab"


def test_core_commitment_cannot_be_dropped(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    inputs = pledge_inputs(pledge)
    inputs["commitments"]["CORE-2"].included = False
    services.pledge_save(user=representative, pledge=pledge, **inputs)
    assert pledge.commitments.filter(commitment__code="CORE-2").exists()


def test_submit_is_refused_when_a_core_commitment_is_missing(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    pledge = services.pledge_save(user=representative, pledge=pledge, **pledge_inputs(pledge))
    PledgeCommitment.objects.filter(pledge=pledge, commitment__code="CORE-1").delete()
    with pytest.raises(IncompleteError) as error:
        services.pledge_submit(user=representative, pledge=pledge, version=pledge.version)
    assert "c-CORE-1-included" in error.value.errors
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.DRAFT


def test_submit_lists_every_missing_field(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    with pytest.raises(IncompleteError) as error:
        services.pledge_submit(user=representative, pledge=pledge, version=pledge.version)
    assert {
        "signatory_function",
        "authority_confirmed",
        "c-CORE-1-planned_actions",
        "c-CORE-3-target_date",
    } <= set(error.value.errors)


def test_submit_is_refused_when_a_target_date_has_passed(organisation, representative):
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    pledge = services.pledge_save(
        user=representative, pledge=pledge, **pledge_inputs(pledge, target=yesterday)
    )
    with pytest.raises(IncompleteError) as error:
        services.pledge_submit(user=representative, pledge=pledge, version=pledge.version)
    assert "has passed" in error.value.errors["c-CORE-1-target_date"]


def test_additional_commitment_must_match_the_ai_role(organisation, representative):
    pledge = services.pledge_start(
        user=representative, organisation=organisation, ai_role="provider"
    )
    with pytest.raises(IncompleteError) as error:
        services.pledge_save(
            user=representative,
            pledge=pledge,
            **pledge_inputs(pledge, extra_codes=["DEPL-5"], ai_role="provider"),
        )
    assert "c-DEPL-5-included" in error.value.errors


def test_submit_snapshots_the_wording_and_emails_the_representatives(pledge_factory, mailoutbox):
    pledge, _rep = pledge_factory("submitted", language="fr")
    core = pledge.commitments.get(commitment__code="CORE-1")
    assert core.text.startswith("Adopter une stratégie")
    assert pledge.submitted_at is not None
    assert any("received" in m.subject for m in mailoutbox)


def test_double_submit_is_refused(pledge_factory):
    pledge, representative = pledge_factory("submitted")
    with pytest.raises(DomainError, match="already been submitted") as error:
        services.pledge_submit(user=representative, pledge=pledge, version=None)
    assert error.value.code == "wrong_status"


def test_submitted_pledge_cannot_be_edited(pledge_factory):
    pledge, representative = pledge_factory("submitted")
    with pytest.raises(DomainError, match="can no longer be edited"):
        services.pledge_save(user=representative, pledge=pledge, **pledge_inputs(pledge))


def test_publish_sets_the_first_report_twelve_months_later(pledge_factory, mailoutbox):
    pledge, _rep = pledge_factory("published")
    assert pledge.status == Pledge.Status.PUBLISHED
    assert pledge.next_report_due == add_months(timezone.localdate(pledge.published_at), 12)
    assert [c.to_status for c in pledge.history.all()] == [
        "draft",
        "submitted",
        "published",
    ]
    assert any("is published" in m.subject for m in mailoutbox)


def test_only_reviewers_may_publish(pledge_factory, events_manager):
    pledge, representative = pledge_factory("submitted")
    for who in (representative, events_manager):
        with pytest.raises(DomainError, match="Only AI Office staff"):
            services.pledge_publish(user=who, pledge=pledge)


def test_return_and_reject_need_a_comment(pledge_factory, pact_officer):
    pledge, _rep = pledge_factory("submitted")
    with pytest.raises(DomainError) as error:
        services.pledge_return(user=pact_officer, pledge=pledge, comment=" ")
    assert error.value.field == "comment"
    with pytest.raises(DomainError):
        services.pledge_reject(user=pact_officer, pledge=pledge, comment="")


def test_review_of_a_pledge_not_submitted_is_refused(pledge_factory, pact_officer):
    pledge, _rep = pledge_factory("draft")
    with pytest.raises(DomainError, match="Only a submitted pledge"):
        services.pledge_publish(user=pact_officer, pledge=pledge)


def test_returned_pledge_can_be_edited_and_resubmitted(pledge_factory, mailoutbox):
    pledge, representative = pledge_factory("returned")
    assert any("needs changes" in m.subject for m in mailoutbox)
    pledge = services.pledge_save(user=representative, pledge=pledge, **pledge_inputs(pledge))
    pledge = services.pledge_submit(user=representative, pledge=pledge, version=pledge.version)
    assert pledge.status == Pledge.Status.SUBMITTED


def test_withdrawal_needs_a_reason_and_is_recorded(pledge_factory):
    pledge, representative = pledge_factory("published")
    with pytest.raises(DomainError) as error:
        services.pledge_withdraw(user=representative, pledge=pledge, reason="")
    assert error.value.field == "reason"
    pledge = services.pledge_withdraw(user=representative, pledge=pledge, reason="Acquired")
    assert pledge.was_public
    assert pledge.history.last().comment == "Acquired"
    with pytest.raises(DomainError, match="already closed"):
        services.pledge_withdraw(user=representative, pledge=pledge, reason="Again")


# --- progress reports ----------------------------------------------------------------------


def test_progress_report_opens_sixty_days_before_it_is_due(pledge_factory):
    pledge, representative = pledge_factory("published")
    with pytest.raises(DomainError, match="you can write it from") as error:
        services.progress_report_start(user=representative, pledge=pledge)
    assert error.value.code == "too_early"
    report = services.progress_report_start(
        user=representative,
        pledge=pledge,
        today=pledge.next_report_due - datetime.timedelta(days=30),
    )
    assert report.items.count() == pledge.commitments.count()


def test_progress_report_on_a_pledge_not_published_is_refused(pledge_factory):
    pledge, representative = pledge_factory("submitted")
    with pytest.raises(DomainError, match="published pledges only"):
        services.progress_report_start(user=representative, pledge=pledge)


def _open_report(pledge, representative):
    return services.progress_report_start(
        user=representative, pledge=pledge, today=pledge.next_report_due
    )


def test_progress_report_needs_a_narrative_per_commitment(pledge_factory):
    pledge, representative = pledge_factory("published")
    report = _open_report(pledge, representative)
    items = {item.pk: ("partial", "") for item in report.items.all()}
    with pytest.raises(IncompleteError) as error:
        services.progress_report_save(
            user=representative,
            report=report,
            version=report.version,
            difficulties="",
            items=items,
            submit=True,
        )
    assert len(error.value.errors) == len(items)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DRAFT


def test_accepted_report_updates_statuses_and_moves_the_next_due_date(pledge_factory, pact_officer):
    pledge, representative = pledge_factory("published")
    due = pledge.next_report_due
    report = _open_report(pledge, representative)
    items = {item.pk: ("full", "All done") for item in report.items.all()}
    report = services.progress_report_save(
        user=representative,
        report=report,
        version=report.version,
        difficulties="Finding trainers",
        items=items,
        submit=True,
    )
    assert report.status == ProgressReport.Status.SUBMITTED
    services.progress_report_review(user=pact_officer, report=report, accept=True)
    pledge.refresh_from_db()
    assert pledge.next_report_due == add_months(due, 12)
    assert set(pledge.commitments.values_list("implementation_status", flat=True)) == {"full"}


def test_returned_report_needs_a_comment(pledge_factory, pact_officer):
    pledge, representative = pledge_factory("published")
    report = _open_report(pledge, representative)
    items = {item.pk: ("full", "Done") for item in report.items.all()}
    report = services.progress_report_save(
        user=representative, report=report, version=1, difficulties="", items=items, submit=True
    )
    with pytest.raises(DomainError):
        services.progress_report_review(user=pact_officer, report=report, accept=False)
    report = services.progress_report_review(
        user=pact_officer, report=report, accept=False, comment="More detail please"
    )
    assert report.status == ProgressReport.Status.RETURNED


def test_reminders_go_out_thirty_days_before_and_when_overdue_once_each(
    pledge_factory, mailoutbox, django_capture_on_commit_callbacks
):
    pledge, _rep = pledge_factory("published")
    due = pledge.next_report_due
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.progress_reminders_send(today=due - datetime.timedelta(days=31)) == 0
        assert services.progress_reminders_send(today=due - datetime.timedelta(days=30)) == 1
        assert services.progress_reminders_send(today=due - datetime.timedelta(days=29)) == 0
        assert services.progress_reminders_send(today=due + datetime.timedelta(days=1)) == 1
        assert services.progress_reminders_send(today=due + datetime.timedelta(days=2)) == 0
    kinds = set(ReportReminder.objects.values_list("kind", flat=True))
    assert kinds == {"due_soon", "overdue"}
    assert [m.subject for m in mailoutbox][0].endswith(f"due soon: {pledge.organisation.name}")


def test_reminder_command_and_task_send_the_same(pledge_factory, capsys, mailoutbox):
    from pact.tasks import send_progress_report_reminders

    pledge, _rep = pledge_factory("published")
    Pledge.objects.filter(pk=pledge.pk).update(next_report_due=timezone.localdate())
    call_command("send_progress_report_reminders")
    assert "1 reminders sent" in capsys.readouterr().out
    assert send_progress_report_reminders.delay().get() == 0


# --- the catalogue -------------------------------------------------------------------------


def test_editing_a_signed_commitment_makes_a_new_version(pledge_factory, pact_officer):
    signed, _rep = pledge_factory("submitted")
    draft, _rep2 = pledge_factory("draft")
    old = Commitment.objects.get(code="CORE-1", is_current=True)
    signed_text = signed.commitments.get(commitment=old).text
    new = services.commitment_update(
        user=pact_officer,
        commitment=old,
        text="New wording",
        translations={"fr": {"text": "Nouveau"}},
    )
    assert new.pk != old.pk and new.version == old.version + 1
    old.refresh_from_db()
    assert not old.is_current
    assert signed.commitments.get(commitment__code="CORE-1").commitment_id == old.pk
    assert signed.commitments.get(commitment__code="CORE-1").text == signed_text
    assert draft.commitments.get(commitment__code="CORE-1").commitment_id == new.pk


def test_editing_an_unused_commitment_changes_it_in_place(pact_officer):
    commitment = Commitment.objects.get(code="PROV-3")
    saved = services.commitment_update(
        user=pact_officer, commitment=commitment, text="Logging", translations={}
    )
    assert saved.pk == commitment.pk and saved.text == "Logging"


def test_only_catalogue_editors_change_the_catalogue(representative, events_manager):
    commitment = Commitment.objects.get(code="PROV-3")
    for who in (representative, events_manager):
        with pytest.raises(DomainError):
            services.commitment_update(user=who, commitment=commitment, text="x", translations={})


def test_new_commitment_code_must_be_unique(pact_officer):
    with pytest.raises(DomainError) as error:
        services.commitment_create(
            user=pact_officer, code="core-1", category="core", text="x", translations={}
        )
    assert error.value.field == "code"
    created = services.commitment_create(
        user=pact_officer, code="depl-7", category="deployer", text="New", translations={}
    )
    assert created.code == "DEPL-7" and created.is_current


# --- the network ---------------------------------------------------------------------------


def test_join_and_leave_the_network(organisation, representative):
    membership = services.network_join(
        user=representative,
        organisation=organisation,
        interests=["webinars"],
        contact_email="ai@example.org",
    )
    with pytest.raises(DomainError, match="already in the AI Pact network"):
        services.network_join(
            user=representative,
            organisation=organisation,
            interests=[],
            contact_email="ai@example.org",
        )
    services.network_leave(user=representative, membership=membership)
    membership.refresh_from_db()
    assert membership.status == NetworkMembership.Status.LEFT


def test_network_join_is_refused_to_non_representatives(user):
    with pytest.raises(DomainError):
        services.network_join(
            user=user,
            organisation=OrganisationFactory(),
            interests=[],
            contact_email="x@example.org",
        )


def test_emails_use_each_representatives_language(organisation, django_capture_on_commit_callbacks):
    english = make_representative(organisation)
    french = make_representative(organisation)
    french.person.preferred_language = "fr"
    french.person.save()
    pledge = services.pledge_start(user=english, organisation=organisation, ai_role="both")
    pledge = services.pledge_save(user=english, pledge=pledge, **pledge_inputs(pledge))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_submit(user=english, pledge=pledge, version=pledge.version)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([english.email, french.email])
