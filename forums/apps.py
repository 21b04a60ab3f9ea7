from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Expert bodies and events")

    role_permissions = {
        "Events manager": [
            "forums.add_event",
            "forums.change_event",
            "forums.view_event",
            "forums.add_eventinvitation",
            "forums.change_eventinvitation",
            "forums.delete_eventinvitation",
            "forums.view_eventinvitation",
            "forums.view_registration",
            "forums.change_registration",
            "forums.check_in",
            "forums.view_special_requirements",
        ],
        "Body secretariat": [
            "forums.view_body",
            "forums.add_body",
            "forums.change_body",
            "forums.view_declaration",
            "forums.change_declaration",
            "forums.view_balancerule",
            "forums.add_balancerule",
            "forums.change_balancerule",
            "forums.delete_balancerule",
            "forums.view_call",
            "forums.add_call",
            "forums.change_call",
            "forums.view_application",
            "forums.change_application",
            "forums.view_membership",
            "forums.add_membership",
            "forums.change_membership",
        ],
        # Oversees what is collected and kept; special requirements stay with the events team.
        "Data-protection coordinator": [
            "forums.view_event",
            "forums.view_registration",
        ],
    }

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)

        from . import segments

        segments.register()

        from . import crm_hooks

        crm_hooks.register()
        from core.registry import NavItem, registry
        from crm.registry import Panel, panels

        from . import dashboard, demo, demo_bodies, privacy
        from .panels import (
            me_applications,
            me_declarations,
            me_memberships,
            me_registrations,
            organisation_bodies,
            organisation_registrations,
            person_bodies,
            person_registrations,
        )

        registry.add_nav(
            NavItem("main", _("Events"), "forums:event_list", order=30, match="/events/")
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Event management"),
                "forums_staff:event_list",
                order=30,
                perms=("forums.view_event",),
                match="/crm/events/",
            )
        )
        registry.add_nav(
            NavItem("main", _("Expert bodies"), "forums:body_list", order=25, match="/bodies/")
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Expert bodies"),
                "forums_bodies_staff:call_list",
                order=25,
                perms=("forums.view_application",),
                match="/crm/bodies/",
            )
        )
        panels.register(
            "dashboard",
            Panel(
                name="events",
                title=_("Upcoming events"),
                template="forums/panels/dashboard_events.html",
                context=dashboard.events,
                order=30,
            ),
        )
        panels.register(
            "dashboard",
            Panel(
                name="calls",
                title=_("Open calls for expert bodies"),
                template="forums/panels/dashboard_calls.html",
                context=dashboard.calls,
                order=25,
            ),
        )
        registry.add_demo_seeder(25, "bodies", demo_bodies.seed)
        registry.add_demo_seeder(30, "forums", demo.seed)
        privacy.register()
        panels.register(
            "person",
            Panel(
                name="event-registrations",
                title=_("Event registrations"),
                template="forums/panels/person_registrations.html",
                context=person_registrations,
                order=30,
            ),
        )
        panels.register(
            "organisation",
            Panel(
                name="event-registrations",
                title=_("Event registrations"),
                template="forums/panels/person_registrations.html",
                context=organisation_registrations,
                order=30,
            ),
        )
        panels.register(
            "person",
            Panel(
                name="expert-bodies",
                title=_("Expert bodies"),
                template="forums/panels/person_bodies.html",
                context=person_bodies,
                order=25,
            ),
        )
        panels.register(
            "organisation",
            Panel(
                name="expert-bodies",
                title=_("Expert bodies"),
                template="forums/panels/organisation_bodies.html",
                context=organisation_bodies,
                order=25,
            ),
        )
        panels.register(
            "me",
            Panel(
                name="my-declarations",
                title=_("My declaration of interests"),
                template="forums/panels/me_declarations.html",
                context=me_declarations,
                order=27,
            ),
        )
        panels.register(
            "me",
            Panel(
                name="my-registrations",
                title=_("My registrations"),
                template="forums/panels/me_registrations.html",
                context=me_registrations,
                order=30,
            ),
        )
        panels.register(
            "me",
            Panel(
                name="my-bodies",
                title=_("My expert bodies"),
                template="forums/panels/me_memberships.html",
                context=me_memberships,
                order=25,
            ),
        )
        panels.register(
            "me",
            Panel(
                name="my-applications",
                title=_("My applications to expert bodies"),
                template="forums/panels/me_applications.html",
                context=me_applications,
                order=26,
            ),
        )
