from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM")

    role_permissions = {
        # Pact officers keep the CRM of organisations and the people who act for them.
        "Pact officer": [
            "crm.view_organisation",
            "crm.add_organisation",
            "crm.change_organisation",
            "crm.view_person",
            "crm.add_person",
            "crm.change_person",
            "crm.add_affiliation",
            "crm.change_affiliation",
            "crm.confirm_affiliation",
        ],
        # The secretariat keeps the records of experts and the organisations they come from.
        "Body secretariat": [
            "crm.view_organisation",
            "crm.view_person",
            "crm.add_person",
            "crm.change_person",
            "crm.add_affiliation",
            "crm.change_affiliation",
        ],
        "Events manager": ["crm.view_organisation", "crm.view_person"],
        "Data-protection coordinator": [
            "crm.view_organisation",
            "crm.view_person",
            "crm.change_person",
            "crm.view_consent",
        ],
    }

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)

        from core.registry import NavItem, registry

        from . import (
            demo,
            imports,  # noqa: F401  (registers the import job kind)
        )
        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="crm_sync_role_permissions")
        registry.add_nav(NavItem("main", _("Home"), "home", order=0, match="/$"))
        registry.add_nav(NavItem("me", _("My account"), "me:dashboard", order=0))
        registry.add_nav(
            NavItem("staff", _("Back office"), "crm:dashboard", order=0, match="/crm/$")
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Organisations"),
                "crm:organisation_list",
                order=10,
                perms=("crm.view_organisation",),
                match="/crm/organisations/",
            )
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("People"),
                "crm:person_list",
                order=11,
                perms=("crm.view_person",),
                match="/crm/people/",
            )
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Representatives"),
                "crm:affiliation_queue",
                order=12,
                perms=("crm.confirm_affiliation",),
                match="/crm/representatives/",
            )
        )
        registry.add_demo_seeder(10, "crm", demo.seed)
