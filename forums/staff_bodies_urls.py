from django.urls import path

from . import staff_bodies_views as views

app_name = "forums_bodies_staff"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/<id:pk>/", views.call_selection, name="call_selection"),
    path("calls/<id:pk>/slate/", views.slate_suggest, name="slate_suggest"),
    path("calls/<id:pk>/slate/accept/", views.slate_accept, name="slate_accept"),
    path("calls/<id:pk>/evaluators/", views.evaluators_assign, name="evaluators_assign"),
    path("calls/<id:pk>/commit/", views.decisions_commit, name="decisions_commit"),
    path(
        "applications/<id:pk>/decision/",
        views.application_decision,
        name="application_decision",
    ),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<id:pk>/", views.evaluation_detail, name="evaluation_detail"),
]
