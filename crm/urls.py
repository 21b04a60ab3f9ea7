from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<id:pk>/", views.person_detail, name="person_detail"),
    path("representatives/", views.affiliation_queue, name="affiliation_queue"),
    path(
        "representatives/<id:pk>/<str:decision>/",
        views.affiliation_decide,
        name="affiliation_decide",
    ),
]
