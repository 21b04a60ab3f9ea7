from django.urls import path  # noqa: F401

app_name = "pact_staff"

urlpatterns = []
