"""Events and registrations in the staff JSON API (special requirements never leave the
events team's pages)."""

from rest_framework import serializers

from core.api import ReadOnlyApiViewSet

from .models import Event, Registration


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "programme",
            "format",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue",
            "capacity",
            "waitlist_enabled",
            "audience",
            "registration_opens_at",
            "registration_closes_at",
            "status",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "person",
            "organisation",
            "status",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
            "attendance",
            "on_participant_list",
            "photo_opt_out",
            "created_at",
        ]


class EventViewSet(ReadOnlyApiViewSet):
    """Events; `?status=`, `?kind=`, `?format=` filter them."""

    serializer_class = EventSerializer
    filterset_fields = ["status", "kind", "format", "audience"]

    def get_queryset(self):
        return Event.objects.order_by("starts_at", "pk")


class RegistrationViewSet(ReadOnlyApiViewSet):
    """Registrations; `?event=`, `?person=`, `?status=`, `?attendance=` filter them."""

    serializer_class = RegistrationSerializer

    @staticmethod
    def people_of(registration):
        return [registration.person_id]

    filterset_fields = ["event", "person", "organisation", "status", "attendance"]

    def get_queryset(self):
        return Registration.objects.order_by("pk")
