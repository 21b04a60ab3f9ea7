"""The staff JSON API at /api/: each app's read-only endpoints, and the OpenAPI schema."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from crm.api import OrganisationViewSet, PersonViewSet
from forums.api import EventViewSet, RegistrationViewSet
from pact.api import PledgeViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]
