"""What the events module shows on the CRM's record pages and on /me/."""

from . import selectors


def person_registrations(request, person):
    if not request.user.has_perm("forums.view_registration"):
        return None
    registrations = selectors.registrations_of_person(user=request.user, person=person)
    return {"registrations": registrations[:50], "show_person": False}


def organisation_registrations(request, organisation):
    if not request.user.has_perm("forums.view_registration"):
        return None
    registrations = selectors.registrations_of_organisation(
        user=request.user, organisation=organisation
    )
    return {"registrations": registrations[:50], "show_person": True}


def me_registrations(request, person):
    return {"registrations": selectors.registrations_of_user(user=request.user)[:100]}


def me_applications(request, person):
    applications = selectors.applications_of_user(user=request.user)[:50]
    return {"applications": applications} if applications else None


def me_memberships(request, person):
    memberships = selectors.memberships_of_user(user=request.user)[:50]
    if not memberships:
        return None
    return {
        "memberships": memberships,
        "meetings": selectors.meetings_of_member(user=request.user)[:20],
    }


def person_bodies(request, person):
    """The person's applications, memberships and (for those who handle them) declarations."""
    if not request.user.has_perm("forums.view_membership"):
        return None
    return {
        "applications": selectors.applications_of_person(user=request.user, person=person)[:50],
        "memberships": selectors.memberships_of_person(user=request.user, person=person)[:50],
        "declarations": selectors.declarations_of_person(user=request.user, person=person)[:20],
        "show_declarations": selectors.can_see_declarations(request.user),
    }


def organisation_bodies(request, organisation):
    """Who represents the organisation in expert bodies, and whom it nominated."""
    if not request.user.has_perm("forums.view_membership"):
        return None
    return {
        "memberships": selectors.memberships_of_organisation(
            user=request.user, organisation=organisation
        )[:50],
        "applications": selectors.applications_of_organisation(
            user=request.user, organisation=organisation
        )[:50],
    }


def me_declarations(request, person):
    latest = selectors.declaration_latest_of_user(user=request.user)
    if latest is None and not selectors.memberships_of_user(user=request.user).exists():
        return None
    return {"latest": latest}
