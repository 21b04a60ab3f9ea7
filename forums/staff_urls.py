from django.urls import path

from . import staff_views as views
from . import staff_views_programme as programme

app_name = "forums_staff"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<id:pk>/", views.event_detail, name="event_detail"),
    path("<id:pk>/edit/", views.event_edit, name="event_edit"),
    path("<id:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path(
        "<id:pk>/invitations/<id:invitation_pk>/remove/",
        views.invitation_remove,
        name="invitation_remove",
    ),
    path("<id:pk>/registrations.csv", views.event_registrations_csv, name="registrations_csv"),
    path("<id:pk>/attendance/", views.event_attendance, name="attendance"),
    path("<id:pk>/no-shows/", views.event_no_shows, name="no_shows"),
    path("<id:pk>/check-in/", views.check_in, name="check_in"),
    path(
        "<id:pk>/check-in/<id:registration_pk>/",
        views.check_in_toggle,
        name="check_in_toggle",
    ),
    path("<id:pk>/programme/", programme.event_programme, name="event_programme"),
    path("<id:pk>/programme/agenda/", programme.agenda_item_add, name="agenda_item_add"),
    path(
        "<id:pk>/programme/agenda/<id:item_pk>/",
        programme.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "<id:pk>/programme/agenda/<id:item_pk>/remove/",
        programme.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path("<id:pk>/programme/materials/", programme.material_add, name="material_add"),
    path(
        "<id:pk>/programme/materials/<id:material_pk>/remove/",
        programme.material_remove,
        name="material_remove",
    ),
    path("registrations/<id:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
