from django.urls import path

from . import views

app_name = "pact"

urlpatterns = [
    path("", views.register, name="register"),
    path("signatories/<id:pk>/", views.public_pledge, name="public_pledge"),
    path("signatories.csv", views.signatories_csv, name="signatories_csv"),
    path("signatories.json", views.signatories_json, name="signatories_json"),
    path("open-data/", views.open_data, name="open_data"),
    path("figures/", views.figures_public, name="figures"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/start/", views.pledge_start, name="pledge_start"),
    path("pledges/<id:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<id:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<id:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("pledges/<id:pk>/reports/start/", views.report_start, name="report_start"),
    path("reports/<id:pk>/", views.report_detail, name="report_detail"),
    path("reports/<id:pk>/edit/", views.report_edit, name="report_edit"),
    path("network/join/", views.network_join, name="network_join"),
    path("network/<id:pk>/leave/", views.network_leave, name="network_leave"),
]
