from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.conf import locale
        from django.urls import register_converter

        from core import languages  # noqa: F401  (remembers the account's language at sign-in)
        from core.access import record_mfa_on_activation
        from core.audit import register_action_labels
        from core.converters import IdConverter
        from core.privacy import access_log_purge
        from core.registry import RetentionKind, registry

        # `<id:pk>`: an id the database can hold, so a 30-digit id is a 404, not a 500.
        register_converter(IdConverter, "id")

        authenticator_added.connect(record_mfa_on_activation, dispatch_uid="core.mfa_activation")
        register_action_labels({"core.retention.purged": _("Expired personal data purged")})
        registry.add_retention_kind(
            RetentionKind("access_log", _("Access log of personal data"), access_log_purge, 90)
        )

        # Maltese is an official EU language that Django's language table lacks.
        locale.LANG_INFO.setdefault(
            "mt", {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"}
        )
