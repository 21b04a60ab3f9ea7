from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Staff who write to the people they work with: the pact officers, the secretariats and the
# events managers; each reaches only the groups (segments) their role may see.
MAILING_PERMISSIONS = (
    "crm.view_mailing",
    "crm.add_mailing",
    "crm.change_mailing",
    "crm.send_mailing",
)


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
            *MAILING_PERMISSIONS,
            "crm.view_topic",
            "crm.add_topic",
            "crm.change_topic",
        ],
        # The secretariat keeps the records of experts and the organisations they come from.
        "Body secretariat": [
            "crm.view_organisation",
            "crm.view_person",
            "crm.add_person",
            "crm.change_person",
            "crm.add_affiliation",
            "crm.change_affiliation",
            *MAILING_PERMISSIONS,
        ],
        "Events manager": ["crm.view_organisation", "crm.view_person", *MAILING_PERMISSIONS],
        "Data-protection coordinator": [
            "crm.view_organisation",
            "crm.view_person",
            "crm.change_person",
            "crm.view_consent",
            "crm.view_erasurerequest",
            "crm.handle_erasure_request",
            "core.view_accesslogentry",
            "crm.view_mailing",
        ],
    }

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)

        from core.registry import AccessRule, NavItem, RetentionKind, registry

        from . import (
            dedupe,  # noqa: F401  (registers the duplicate scan job kind)
            demo,
            imports,  # noqa: F401  (registers the import job kind)
            merge,
            privacy,
            register_refresh,  # noqa: F401  (registers the register refresh job kind)
        )
        from .registry import PersonDataPart, person_data
        from .roles import sync_role_permissions

        merge.register_handlers()
        from .mailings import segments as mailing_segments

        mailing_segments.register()
        post_migrate.connect(sync_role_permissions, dispatch_uid="crm_sync_role_permissions")
        from core.registry import LanguageHook

        from .languages import person_language_read, person_language_write

        registry.add_language_hook(
            LanguageHook("crm.person", person_language_read, person_language_write)
        )
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
        registry.add_nav(
            NavItem(
                "staff",
                _("Duplicates"),
                "crm:duplicates",
                order=13,
                perms=("crm.change_person",),
                match="/crm/duplicates/",
            )
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Transparency Register"),
                "crm:register_refresh_start",
                order=14,
                perms=("crm.change_organisation",),
                match="/crm/register/",
            )
        )
        registry.add_nav(
            NavItem(
                "staff",
                _("Mailings"),
                "crm:mailing_list",
                order=15,
                perms=("crm.view_mailing",),
                match="/crm/mailings/",
            )
        )
        registry.add_nav(NavItem("me", _("Updates"), "me:updates", order=80, match="/me/updates/"))
        registry.add_nav(NavItem("me", _("My data"), "me:data", order=90, match="/me/data/"))
        registry.add_nav(
            NavItem(
                "staff",
                _("Data protection"),
                "crm:erasure_request_list",
                order=90,
                perms=("crm.handle_erasure_request",),
                match="/crm/privacy/",
            )
        )
        registry.add_demo_seeder(10, "crm", demo.seed)
        # Last, so that the other apps still see the person's email and account.
        person_data.register(
            PersonDataPart(
                "crm",
                privacy.export_person,
                privacy.erase_person,
                order=1000,
                covers=(
                    "crm.Person.user",
                    "crm.Affiliation.person",
                    "crm.Consent.person",
                    "crm.Note.person",
                    "crm.ErasureRequest.person",
                    "crm.Subscription.person",
                    "crm.MailingRecipient.person",
                    "account.EmailAddress.user",
                    "mfa.Authenticator.user",
                    "core.AuditEntry.actor",
                    "core.AccountLanguage.user",
                ),
            )
        )
        registry.add_retention_kind(
            RetentionKind(
                "unconfirmed_accounts",
                _("Accounts whose email was never confirmed"),
                privacy.purge_unconfirmed_accounts,
                order=10,
            )
        )
        registry.add_access_rule(
            AccessRule("crm:person_edit", "view", privacy.describe_person_edit)
        )
        registry.add_retention_kind(
            RetentionKind(
                "staff_notes", _("Staff notes on people"), privacy.purge_staff_notes, order=11
            )
        )

        from .registry import WorkQueue, work_queues
        from .selectors import erasure_requests_waiting, representative_requests_waiting

        work_queues.register(
            WorkQueue(
                "representatives",
                _("Representatives to confirm"),
                "crm.confirm_affiliation",
                representative_requests_waiting,
                "crm:affiliation_queue",
                order=10,
            )
        )
        work_queues.register(
            WorkQueue(
                "erasure_requests",
                _("Erasure requests to decide"),
                "crm.handle_erasure_request",
                erasure_requests_waiting,
                "crm:erasure_request_list",
                order=90,
                url_query="status=pending",
            )
        )
