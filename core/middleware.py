from django.contrib.auth import get_user
from django.utils.functional import SimpleLazyObject

from .access import restrict_pending_staff


class StaffSecondFactorMiddleware:
    """Staff powers come with a session that completed the second factor in this sign-in, not
    with an account that merely has an authenticator (a password-only session, whatever path
    created it, holds no staff permission)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: restrict_pending_staff(request, get_user(request)))
        return self.get_response(request)
