"""Reads of applications, scoped to the applicant (or the body secretariat)."""

from django.db.models import Q, QuerySet

from core.access import is_staff_user
from crm.models import Affiliation, Person

from ..models import Application, Nomination


def applications_of_user(*, user) -> QuerySet[Application]:
    """The user's own applications, and those they made for an organisation."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(Q(person__user=user) | Q(submitted_by=user))
        .select_related("call", "call__body", "organisation")
        .order_by("-created_at", "-pk")
    )


def application_get_own(*, user, pk) -> Application | None:
    return applications_of_user(user=user).filter(pk=pk).first()


def application_for_call(*, user, call) -> Application | None:
    """The user's current (not withdrawn) application to a call, if any."""
    return (
        applications_of_user(user=user)
        .filter(call=call)
        .exclude(status=Application.Status.WITHDRAWN)
        .first()
    )


def application_get_cv(*, user, pk, staff_session: bool) -> Application | None:
    """An application whose CV the user may read: their own, or any for the body secretariat
    (staff holding forums.view_application, in a session that completed the second factor)."""
    if staff_session and is_staff_user(user) and user.has_perm("forums.view_application"):
        from .selection import is_blinded

        application = Application.objects.filter(pk=pk).select_related("call").first()
        if application is not None and is_blinded(user=user, application=application):
            return None  # the CV names the applicant whom a blind review hides
        return application
    return application_get_own(user=user, pk=pk)


def nominee_candidates(*, user, application: Application) -> QuerySet[Person]:
    """People of the applying organisation (confirmed, current affiliation) not yet nominated,
    for the applicant's own organisation application."""
    if (
        application.organisation_id is None
        or not applications_of_user(user=user).filter(pk=application.pk).exists()
    ):
        return Person.objects.none()
    return (
        Person.objects.filter(
            pk__in=Affiliation.objects.current()
            .filter(
                organisation_id=application.organisation_id, status=Affiliation.Status.CONFIRMED
            )
            .values("person_id")
        )
        .exclude(pk__in=application.nominations.values("person_id"))
        .order_by("last_name", "first_name")
    )


def nomination_get_own(*, user, pk) -> Nomination | None:
    return (
        Nomination.objects.filter(pk=pk, application__in=applications_of_user(user=user))
        .select_related("application")
        .first()
    )
