from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path(
        "events/<int:pk>/register-colleague/",
        views.event_register_colleague,
        name="event_register_colleague",
    ),
    path("events/<int:pk>/calendar.ics", views.event_calendar, name="event_calendar"),
    path(
        "events/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "events/registrations/<int:pk>/accept/",
        views.registration_accept,
        name="registration_accept",
    ),
]
