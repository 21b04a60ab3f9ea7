from django.urls import path

from . import staff_bodies_setup_views as setup
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
    path("calls/<id:pk>/edit/", setup.call_edit, name="call_edit"),
    path("applications/<id:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<id:pk>/eligibility/",
        views.application_eligibility,
        name="application_eligibility",
    ),
    path("applications/<id:pk>/evaluators/", views.evaluator_add, name="evaluator_add"),
    path("evaluations/<id:pk>/remove/", views.evaluator_remove, name="evaluator_remove"),
    path("bodies/", setup.body_list, name="body_list"),
    path("bodies/new/", setup.body_create, name="body_create"),
    path("bodies/<id:pk>/", setup.body_detail, name="body_detail"),
    path("bodies/<id:pk>/edit/", setup.body_edit, name="body_edit"),
    path("bodies/<id:pk>/calls/new/", setup.call_create, name="call_create"),
    path("members/<id:pk>/", setup.membership_change, name="membership_change"),
    path("declarations/", views.declaration_queue, name="declaration_queue"),
    path("declarations/<id:pk>/", views.declaration_detail, name="declaration_detail"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<id:pk>/", views.evaluation_detail, name="evaluation_detail"),
]
