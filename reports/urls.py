from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/", views.document_list, name="document_list"),
    path("new/<slug:kind>/", views.request_new, name="request_new"),
    path("requests/<id:pk>/", views.request_detail, name="request_detail"),
    path("requests/<id:pk>/retry/", views.request_retry, name="request_retry"),
    path("requests/<id:pk>/pdf/", views.request_pdf, name="request_pdf"),
    path("requests/<id:pk>/csv/", views.request_csv, name="request_csv"),
    path("requests/<id:pk>/save/", views.saved_create, name="saved_create"),
    path("saved/<id:pk>/run/", views.saved_run, name="saved_run"),
    path("saved/<id:pk>/delete/", views.saved_delete, name="saved_delete"),
    path("pledges/<id:pk>/pdf/", views.pledge_pdf, name="pledge_pdf"),
    path("progress-reports/<id:pk>/pdf/", views.progress_report_pdf, name="progress_report_pdf"),
]
