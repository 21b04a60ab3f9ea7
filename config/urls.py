from django.contrib import admin
from django.urls import include, path

from core import languages
from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("status/", core_views.status, name="status"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    # Django's switcher, which also remembers the choice on a signed-in person's account.
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("me/", include("crm.me_urls")),
    path("crm/pact/", include("pact.staff_urls")),
    path("crm/events/", include("forums.staff_urls")),
    path("crm/bodies/", include("forums.staff_bodies_urls")),
    path("crm/", include("crm.urls")),
    path("pact/", include("pact.urls")),
    path("updates/", include("crm.mailings.urls")),
    path("", include("forums.urls")),
    path("reports/", include("reports.urls")),
    path("", include("core.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
