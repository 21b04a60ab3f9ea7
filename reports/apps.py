from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    role_permissions = {
        "Pact officer": ["reports.run_report"],
        "Events manager": ["reports.run_report"],
        "Body secretariat": ["reports.run_report"],
    }

    def ready(self):
        from core.audit import register_action_labels
        from core.registry import NavItem, registry

        from . import kinds  # noqa: F401 - registers the job kinds
        from .audit_labels import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)

        registry.add_nav(
            NavItem(
                "staff",
                _("Reports"),
                "reports:index",
                order=90,
                perms=("reports.run_report",),
                match="/reports/",
            )
        )
