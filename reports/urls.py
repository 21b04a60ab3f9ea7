from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("pledges/<id:pk>/pdf/", views.pledge_pdf, name="pledge_pdf"),
    path("progress-reports/<id:pk>/pdf/", views.progress_report_pdf, name="progress_report_pdf"),
]
