"""What the AI Pact shows on the CRM's record pages and on /me/."""

from crm.selectors import organisations_acting_for

from . import selectors


def organisation_pact(request, organisation):
    pledges = selectors.organisation_pledges(user=request.user, organisation=organisation)
    memberships = selectors.organisation_network(user=request.user, organisation=organisation)
    if not request.user.has_perm("pact.view_pledge"):
        return None
    return {"pledges": list(pledges[:20]), "memberships": list(memberships[:5])}


def me_pledges(request, person):
    if not organisations_acting_for(user=request.user).exists():
        return None
    return {"pledges": list(selectors.pledges_for_user(user=request.user)[:20])}
