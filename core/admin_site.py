"""The Django admin, for superusers only, behind the same sign-in as everything else.

Admin's own login form would be a second way in without the second factor and without the
sign-in rate limits, so it redirects to the site's sign-in (or to the second-factor step for a
superuser whose session has not completed it).
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import has_mfa, staff_session_ok


def is_admin_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser and user.is_staff)


class SuperuserAdminSite(admin.AdminSite):
    site_header = gettext_lazy("AI Office CRM administration")
    site_title = gettext_lazy("AI Office CRM administration")

    def has_permission(self, request):
        return is_admin_user(request.user) and staff_session_ok(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("account_login"))
        if not is_admin_user(user):
            raise PermissionDenied(_("The administration is for superusers only."))
        if not has_mfa(user):
            return redirect_to_login(next_url, login_url=reverse("mfa_activate_totp"))
        return redirect_to_login(next_url, login_url=reverse("mfa_reauthenticate"))
