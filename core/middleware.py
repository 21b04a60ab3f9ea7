import logging

from django.contrib.auth import get_user
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from .access import restrict_pending_staff

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    """503 with a page in words, rendered without the database, the session or a request
    context (its context processors would ask the database who is signed in)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


class StaffSecondFactorMiddleware:
    """Staff powers come with a session that completed the second factor in this sign-in, not
    with an account that merely has an authenticator (a password-only session, whatever path
    created it, holds no staff permission)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: restrict_pending_staff(request, get_user(request)))
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with a clear page, not a 500.

    Failures in other middleware (e.g. loading the session) reach `core.views.error_500`,
    which answers the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable on %s: %s", request.path, exception)
            return database_unavailable_response()
        return None
