from django.urls import path

from . import views, views_bodies

app_name = "forums"

urlpatterns = [
    path("bodies/", views_bodies.body_list, name="body_list"),
    path("bodies/calls/<id:pk>/", views_bodies.call_detail, name="call_detail"),
    path("bodies/calls/<id:pk>/apply/", views_bodies.call_apply, name="call_apply"),
    path(
        "bodies/applications/<id:pk>/",
        views_bodies.application_detail,
        name="application_detail",
    ),
    path(
        "bodies/applications/<id:pk>/withdraw/",
        views_bodies.application_withdraw,
        name="application_withdraw",
    ),
    path("bodies/applications/<id:pk>/cv/", views_bodies.application_cv, name="application_cv"),
    path(
        "bodies/applications/<id:pk>/nominees/",
        views_bodies.application_nominate,
        name="application_nominate",
    ),
    path(
        "bodies/nominations/<id:pk>/remove/",
        views_bodies.nomination_remove,
        name="nomination_remove",
    ),
    path("bodies/declarations/", views_bodies.declaration_list, name="declaration_list"),
    path("bodies/declarations/new/", views_bodies.declaration_new, name="declaration_new"),
    path(
        "bodies/<slug:slug>/declarations/",
        views_bodies.body_declarations,
        name="body_declarations",
    ),
    path("bodies/<slug:slug>/", views_bodies.body_detail, name="body_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<id:pk>/", views.event_detail, name="event_detail"),
    path("events/<id:pk>/register/", views.event_register, name="event_register"),
    path(
        "events/<id:pk>/register-colleague/",
        views.event_register_colleague,
        name="event_register_colleague",
    ),
    path("events/<id:pk>/calendar.ics", views.event_calendar, name="event_calendar"),
    path(
        "events/<id:pk>/materials/<id:material_pk>/",
        views.material_download,
        name="material_download",
    ),
    path(
        "events/registrations/<id:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "events/registrations/<id:pk>/accept/",
        views.registration_accept,
        name="registration_accept",
    ),
]
