import datetime

from django.utils import timezone

from pact import services
from pact.models import Commitment, Pledge
from pact.services import CommitmentInput


def pledge_inputs(pledge: Pledge, *, extra_codes=(), target=None, **overrides) -> dict:
    """Complete keyword arguments for `pledge_save`: core commitments plus `extra_codes`."""
    target = target or timezone.localdate() + datetime.timedelta(days=365)
    commitments = {}
    for commitment in Commitment.objects.filter(is_current=True):
        included = commitment.is_core or commitment.code in extra_codes
        commitments[commitment.code] = CommitmentInput(
            included=included,
            planned_actions=f"Actions for {commitment.code}" if included else "",
            target_date=target if included else None,
            implementation_status="planned",
        )
    kwargs = {
        "version": pledge.version,
        "ai_role": pledge.ai_role,
        "language": pledge.language,
        "best_effort": False,
        "signatory_name": "Ada Lovelace",
        "signatory_function": "Chief Executive Officer",
        "authority_confirmed": True,
        "publish_in_register": True,
        "commitments": commitments,
    }
    kwargs.update(overrides)
    return kwargs


def make_pledge(organisation, representative, *, status="draft", reviewer=None, **inputs):
    """A pledge taken through the services to `status` (draft, submitted, returned,
    published, rejected, or withdrawn after publication)."""
    pledge = services.pledge_start(user=representative, organisation=organisation, ai_role="both")
    if status == "draft" and not inputs:
        return pledge
    pledge = services.pledge_save(
        user=representative, pledge=pledge, **pledge_inputs(pledge, **inputs)
    )
    if status == "draft":
        return pledge
    pledge = services.pledge_submit(user=representative, pledge=pledge, version=pledge.version)
    if status == "submitted":
        return pledge
    if status == "returned":
        return services.pledge_return(user=reviewer, pledge=pledge, comment="Add dates")
    if status == "rejected":
        return services.pledge_reject(user=reviewer, pledge=pledge, comment="Out of scope")
    pledge = services.pledge_publish(user=reviewer, pledge=pledge)
    if status == "withdrawn":
        # Withdrawn after publication, so the register says it was withdrawn.
        return services.pledge_withdraw(user=representative, pledge=pledge, reason="Merged")
    return pledge
