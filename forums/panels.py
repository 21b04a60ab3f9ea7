"""What the events module shows on the CRM's record pages and on /me/."""

from . import selectors


def person_registrations(request, person):
    registrations = selectors.registrations_of_person(user=request.user, person=person)
    if not request.user.has_perm("forums.view_registration"):
        return None
    return {"registrations": registrations[:50]}


def me_registrations(request, person):
    return {"registrations": selectors.registrations_of_user(user=request.user)[:100]}
