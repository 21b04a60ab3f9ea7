from django.urls import path

from . import views

app_name = "me"

urlpatterns = [
    path("", views.me_dashboard, name="dashboard"),
    path("profile/", views.me_profile, name="profile"),
    path("organisations/register/", views.me_organisation_register, name="organisation_register"),
    path("organisations/join/", views.me_organisation_join, name="organisation_join"),
]
