from django.urls import path

from . import views
from .mailings import views as mailing_views

app_name = "me"

urlpatterns = [
    path("", views.me_dashboard, name="dashboard"),
    path("profile/", views.me_profile, name="profile"),
    path("organisations/register/", views.me_organisation_register, name="organisation_register"),
    path("organisations/join/", views.me_organisation_join, name="organisation_join"),
    path("data/", views.me_data, name="data"),
    path("data/download/", views.me_data_download, name="data_download"),
    path("data/erasure/", views.me_erasure_request, name="erasure_request"),
    path("updates/", mailing_views.me_updates, name="updates"),
    path("consents/<id:pk>/withdraw/", views.me_consent_withdraw, name="consent_withdraw"),
]
