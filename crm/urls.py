from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("representatives/", views.affiliation_queue, name="affiliation_queue"),
    path(
        "representatives/<int:pk>/<str:decision>/",
        views.affiliation_decide,
        name="affiliation_decide",
    ),
    path("privacy/erasure-requests/", views.erasure_request_list, name="erasure_request_list"),
    path(
        "privacy/erasure-requests/<int:pk>/",
        views.erasure_request_detail,
        name="erasure_request_detail",
    ),
    path("privacy/access-log/", views.access_log, name="access_log"),
]
