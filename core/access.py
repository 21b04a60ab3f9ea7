"""Who may see a view. Every view in the project declares it with one of these decorators.

- `public`: anyone, signed in or not.
- `login_required`: any signed-in user.
- `staff_required(*perms)`: staff members holding every permission named, who have set up
  multi-factor authentication (when STAFF_MFA_REQUIRED is on).

The declaration is stored on the view as `access` so a test can check every URL pattern.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required as django_login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

PUBLIC = "public"
LOGIN = "login"
STAFF = "staff"


def _mark(view, access, perms=()):
    view.access = access
    view.access_perms = tuple(perms)
    return view


def public(view):
    return _mark(view, PUBLIC)


def login_required(view):
    return _mark(django_login_required(view), LOGIN)


def is_staff_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def staff_required(*perms):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return django_login_required(view)(request, *args, **kwargs)
            if not is_staff_user(user):
                raise PermissionDenied(_("This page is for AI Office staff."))
            if settings.STAFF_MFA_REQUIRED and not has_mfa(user):
                messages.warning(
                    request,
                    _(
                        "Staff must use two-factor authentication. Set up an authenticator "
                        "app to continue to the back office."
                    ),
                )
                return redirect("mfa_activate_totp")
            if perms and not user.has_perms(perms):
                raise PermissionDenied(_("You do not have permission to see this page."))
            return view(request, *args, **kwargs)

        return _mark(wrapped, STAFF, perms)

    return decorator
