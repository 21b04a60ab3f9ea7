from django.urls import path

from . import staff_views, views

app_name = "updates"

# /updates/: the public side.
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.requested, name="requested"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# Under /crm/ (the "crm" namespace).
staff_urlpatterns = [
    path("mailings/", staff_views.mailing_list, name="mailing_list"),
    path("mailings/new/", staff_views.mailing_create, name="mailing_create"),
    path("mailings/topics/", staff_views.topic_list, name="topic_list"),
    path("mailings/topics/new/", staff_views.topic_create, name="topic_create"),
    path("mailings/topics/<id:pk>/", staff_views.topic_edit, name="topic_edit"),
    path("mailings/<id:pk>/", staff_views.mailing_detail, name="mailing_detail"),
    path("mailings/<id:pk>/edit/", staff_views.mailing_edit, name="mailing_edit"),
    path("mailings/<id:pk>/preview/", staff_views.mailing_preview, name="mailing_preview"),
    path("mailings/<id:pk>/test/", staff_views.mailing_test, name="mailing_test"),
    path("mailings/<id:pk>/send/", staff_views.mailing_send, name="mailing_send"),
    path("mailings/<id:pk>/cancel/", staff_views.mailing_cancel, name="mailing_cancel"),
    path("mailings/<id:pk>/recipients/", staff_views.mailing_recipients, name="mailing_recipients"),
]
