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
        from core.registry import NavItem, registry
        from crm.registry import Panel, panels

        from . import demo, privacy
        from .panels import me_registrations, organisation_registrations, person_registrations

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
            "me",
            Panel(
                name="my-registrations",
                title=_("My registrations"),
                template="forums/panels/me_registrations.html",
                context=me_registrations,
                order=30,
            ),
        )
