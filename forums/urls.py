from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
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
