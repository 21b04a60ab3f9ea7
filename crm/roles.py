"""Staff roles: Django groups with permissions.

The groups are created by a data migration; each app lists the permissions its role needs as
`role_permissions` on its AppConfig, and `sync_role_permissions` (run after every migrate)
grants them, so a role gains an app's permissions without the CRM importing that app.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

PACT_OFFICER = "Pact officer"
BODY_SECRETARIAT = "Body secretariat"
EVENTS_MANAGER = "Events manager"
DATA_PROTECTION_COORDINATOR = "Data-protection coordinator"

ROLES = {
    PACT_OFFICER: _("Pact officer"),
    BODY_SECRETARIAT: _("Body secretariat"),
    EVENTS_MANAGER: _("Events manager"),
    DATA_PROTECTION_COORDINATOR: _("Data-protection coordinator"),
}


def sync_role_permissions(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for config in global_apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            group, _created = Group.objects.get_or_create(name=role)
            for perm in perms:
                app_label, codename = perm.split(".")
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission is not None:
                    group.permissions.add(permission)
