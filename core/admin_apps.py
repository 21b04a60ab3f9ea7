from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """Django admin on `core.admin_site.SuperuserAdminSite` (superusers, second factor)."""

    default_site = "core.admin_site.SuperuserAdminSite"
