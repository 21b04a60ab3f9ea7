"""Every relation from a record to a person or an account is either exported and erased by an
app's part of the person's data (`PersonDataPart.covers`) or listed here with the reason it holds
no personal data of that person. A new model pointing at a person fails until it is one or the
other, so that "download my data" and erasure stay complete."""

from django.apps import apps
from django.conf import settings

from crm.registry import person_data

# Relations that record what a staff member or another person did in their role: the acting
# account is not the data subject of the record, and staff accounts are closed by the AI
# Office's user administration, not through an erasure request.
NOT_THE_PERSONS_DATA = {
    "admin.LogEntry.user": "Django admin's own log of superusers' edits",
    "core.Job.created_by": "a staff member's background job",
    "core.AccessLogEntry.actor": "the access audit of staff reading personal data",
    "crm.Note.author": "the staff member who wrote a note",
    "crm.ErasureRequest.decided_by": "the data-protection coordinator's decision",
    "crm.StaffAlertSetting.user": "a staff member's alert settings",
    "crm.ApiToken.user": "a staff member's API token",
    "crm.MergeRecord.merged_by": "the staff member who merged records",
    "crm.MergeRecord.undone_by": "the staff member who undid a merge",
    "crm.RegisterRefresh.applied_by": "the staff member who refreshed from the register",
    "crm.Mailing.created_by": "the staff member who wrote a mailing",
    "crm.Mailing.sent_by": "the staff member who sent a mailing",
    "pact.PledgeStatusChange.actor": "the pledge's history; the actor is the erased account",
    "forums.Declaration.signed_by": "the account that filed a declaration, already covered "
    "through the declaration's person",
    "forums.Declaration.assessed_by": "the staff member who assessed a declaration",
    "forums.Application.submitted_by": "the account that submitted for an organisation",
    "forums.Evaluation.evaluator": "the staff evaluator",
    "forums.EligibilityFinding.recorded_by": "the staff member who checked eligibility",
    "forums.Registration.registered_by": "the representative who registered a colleague",
    "reports.SavedReport.created_by": "a staff member's saved report",
    "reports.ReportRequest.requested_by": "a staff member's report request",
}


def _relations_to_people() -> set[str]:
    person = apps.get_model("crm", "Person")
    account = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in (person, account):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def _covered() -> set[str]:
    return {relation for part in person_data.parts for relation in part.covers}


def test_every_relation_to_a_person_is_exported_and_erased_or_explained():
    unexplained = _relations_to_people() - _covered() - set(NOT_THE_PERSONS_DATA)
    assert unexplained == set()


def test_the_lists_name_relations_that_exist_and_no_relation_twice():
    relations = _relations_to_people()
    assert _covered() <= relations
    assert set(NOT_THE_PERSONS_DATA) <= relations
    assert not _covered() & set(NOT_THE_PERSONS_DATA)
