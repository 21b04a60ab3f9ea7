from django.urls import path

from . import staff_views

app_name = "pact_staff"

urlpatterns = [
    path("", staff_views.pledge_queue, name="pledge_queue"),
    path("pledges/<id:pk>/", staff_views.pledge_detail, name="pledge_detail"),
    path("pledges/<id:pk>/<str:decision>/", staff_views.pledge_review, name="pledge_review"),
    path("reports/", staff_views.report_queue, name="report_queue"),
    path("reports/<id:pk>/", staff_views.report_detail, name="report_detail"),
    path("catalogue/", staff_views.catalogue, name="catalogue"),
    path("catalogue/new/", staff_views.commitment_edit, name="commitment_create"),
    path("catalogue/<id:pk>/", staff_views.commitment_edit, name="commitment_edit"),
    path("network/", staff_views.network, name="network"),
]
