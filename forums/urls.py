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
