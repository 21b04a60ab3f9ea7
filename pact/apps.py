from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactConfig(AppConfig):
    name = "pact"
    verbose_name = _("AI Pact")

    role_permissions = {
        "Pact officer": [
            "pact.view_pledge",
            "pact.review_pledge",
            "pact.view_progressreport",
            "pact.view_commitment",
            "pact.add_commitment",
            "pact.change_commitment",
            "pact.view_networkmembership",
        ],
        "Data-protection coordinator": ["pact.view_networkmembership"],
    }

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)

        from . import segments

        segments.register()

        from .figures import connect_signals

        connect_signals()

        from . import crm_hooks

        crm_hooks.register()

        from crm.registry import WorkQueue, work_queues

        from .selectors import pledges_waiting_review, reports_waiting_review

        work_queues.register(
            WorkQueue(
                "pact.pledges",
                _("Pledges to review"),
                "pact.review_pledge",
                pledges_waiting_review,
                "pact_staff:pledge_queue",
                order=20,
            )
        )
        work_queues.register(
            WorkQueue(
                "pact.reports",
                _("Progress reports to review"),
                "pact.review_pledge",
                reports_waiting_review,
                "pact_staff:report_queue",
                order=21,
            )
        )
        from core.registry import NavItem, registry
        from crm.registry import Panel, panels
        from crm.selectors import acts_for_an_organisation

        from . import demo, privacy
        from .panels import dashboard, me_pledges, organisation_pact

        registry.add_nav(NavItem("main", _("AI Pact"), "pact:register", order=20, match="/pact/"))
        registry.add_nav(
            NavItem(
                "me",
                _("My pledges"),
                "pact:pledge_list",
                order=20,
                match="/pact/pledges/",
                visible=acts_for_an_organisation,
            )
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Pledge review"),
                "pact_staff:pledge_queue",
                order=20,
                perms=("pact.view_pledge",),
                match="/crm/pact/",
            )
        )
        registry.add_demo_seeder(20, "pact", demo.seed)
        privacy.register()
        panels.register(
            "organisation",
            Panel(
                name="pact",
                title=_("AI Pact"),
                template="pact/panels/organisation_pact.html",
                context=organisation_pact,
                order=20,
            ),
        )
        panels.register(
            "dashboard",
            Panel(
                name="pact",
                title=_("AI Pact"),
                template="pact/panels/dashboard.html",
                context=dashboard,
                order=20,
            ),
        )
        panels.register(
            "me",
            Panel(
                name="my-pledges",
                title=_("My organisation's pledges"),
                template="pact/panels/me_pledges.html",
                context=me_pledges,
                order=20,
            ),
        )
