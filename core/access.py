"""Who may see a view. Every view in the project declares it with one of these decorators.

- `public`: anyone, signed in or not.
- `login_required`: any signed-in user.
- `staff_required(*perms)`: staff members holding every permission named, whose session
  completed the second factor in this sign-in (when STAFF_MFA_REQUIRED is on). Having an
  authenticator is not enough: a session signed in by password alone is asked for the code.

The declaration is stored on the view as `access` so a test can check every URL pattern.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
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


def is_staff_account(user) -> bool:
    """A staff account, whether or not this session may use its powers."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_staff_user(user) -> bool:
    """A staff member who may act as staff in this request: see StaffSecondFactorMiddleware."""
    return is_staff_account(user) and not getattr(user, "second_factor_pending", False)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request, user=None) -> bool:
    """Whether this session's sign-in completed the second factor (allauth's record of the
    authentication steps, kept in the session and bound to the user)."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user or request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_session_ok(request) -> bool:
    """A staff member whose session may reach staff pages: the second factor was used."""
    return is_staff_user(request.user) and (
        not settings.STAFF_MFA_REQUIRED or session_passed_mfa(request)
    )


def _deny(*args, **kwargs):
    return False


def restrict_pending_staff(request, user):
    """Take away a staff or superuser account's powers for this request unless its session
    completed the second factor. Permissions are then empty wherever they are asked for
    (views, selectors, services, templates), so no check can forget the second factor. Only
    the in-memory object changes; nothing is saved."""
    if (
        user.is_authenticated
        and (user.is_staff or user.is_superuser)
        and settings.STAFF_MFA_REQUIRED
        and not session_passed_mfa(request, user)
    ):
        user.second_factor_pending = True
        user.has_perm = user.has_perms = user.has_module_perms = _deny
        user.get_all_permissions = user.get_user_permissions = user.get_group_permissions = (
            lambda obj=None: set()
        )
    return user


def require_staff(user, *perms: str) -> None:
    """For services: refuse unless `user` is staff acting with the second factor and holds every
    permission named (defence in depth behind the view's own check)."""
    if not (is_staff_user(user) and user.has_perms(perms)):
        raise PermissionDenied(_("You do not have permission to do this."))


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
            if not is_staff_account(user):
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
            if settings.STAFF_MFA_REQUIRED and not is_staff_user(user):
                return redirect_to_login(
                    request.get_full_path(), login_url=reverse("mfa_reauthenticate")
                )
            if perms and not user.has_perms(perms):
                raise PermissionDenied(_("You do not have permission to see this page."))
            return view(request, *args, **kwargs)

        return _mark(wrapped, STAFF, perms)

    return decorator


def record_mfa_on_activation(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator proves possession of it with a valid code, so the session
    that did so counts as having completed the second factor (signal receiver)."""
    from allauth.account.internal.flows.login import record_authentication

    if request is not None and request.user.pk == user.pk:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
