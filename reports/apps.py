from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from core.registry import NavItem, registry

        from . import kinds  # noqa: F401 - registers the job kinds

        registry.add_nav(
            NavItem(
                "staff",
                _("Reports"),
                "reports:document_list",
                order=90,
                perms=("pact.view_pledge",),
                match="/reports/",
            )
        )
