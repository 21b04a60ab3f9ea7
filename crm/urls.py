from django.urls import path

from . import dedupe_views, import_views, staff_views, views
from .mailings.urls import staff_urlpatterns as mailing_urlpatterns

app_name = "crm"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", staff_views.organisation_create, name="organisation_create"),
    path("organisations/export.csv", views.organisation_export, name="organisation_export"),
    path("organisations/bulk/", views.organisation_bulk, name="organisation_bulk"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<id:pk>/edit/", staff_views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", staff_views.person_create, name="person_create"),
    path("people/<id:pk>/", views.person_detail, name="person_detail"),
    path("people/<id:pk>/edit/", staff_views.person_edit, name="person_edit"),
    path("affiliations/new/", staff_views.affiliation_add, name="affiliation_add"),
    path("affiliations/<id:pk>/end/", staff_views.affiliation_end, name="affiliation_end"),
    path("alerts/", staff_views.alert_settings, name="alert_settings"),
    path("api-tokens/", staff_views.api_tokens, name="api_tokens"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/columns/", import_views.import_map, name="import_map"),
    path("duplicates/", dedupe_views.duplicates, name="duplicates"),
    path(
        "duplicates/merge/organisation/<id:a>/<id:b>/",
        dedupe_views.merge_organisations,
        name="merge_organisations",
    ),
    path("duplicates/merge/person/<id:a>/<id:b>/", dedupe_views.merge_people, name="merge_people"),
    path("merges/", dedupe_views.merge_list, name="merge_list"),
    path("merges/<id:pk>/", dedupe_views.merge_detail, name="merge_detail"),
    path("merges/<id:pk>/undo/", dedupe_views.merge_undo, name="merge_undo"),
    path("register/", dedupe_views.register_refresh_start, name="register_refresh_start"),
    path(
        "register/preview/",
        dedupe_views.register_refresh_preview,
        name="register_refresh_preview",
    ),
    path("register/<id:pk>/", dedupe_views.register_refresh_detail, name="register_refresh_detail"),
    path("people/export.csv", views.person_export, name="person_export"),
    path("people/bulk/", views.person_bulk, name="person_bulk"),
    path("representatives/", views.affiliation_queue, name="affiliation_queue"),
    path(
        "representatives/<id:pk>/<str:decision>/",
        views.affiliation_decide,
        name="affiliation_decide",
    ),
    path("privacy/erasure-requests/", views.erasure_request_list, name="erasure_request_list"),
    path(
        "privacy/erasure-requests/<id:pk>/",
        views.erasure_request_detail,
        name="erasure_request_detail",
    ),
    path("privacy/access-log/", views.access_log, name="access_log"),
    *mailing_urlpatterns,
]
