from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.conf import locale

        # Maltese is an official EU language that Django's language table lacks.
        locale.LANG_INFO.setdefault(
            "mt", {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"}
        )
