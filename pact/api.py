"""AI Pact pledges in the staff JSON API (drafts stay with their organisation)."""

from rest_framework import serializers

from core.api import ReadOnlyApiViewSet

from .models import Pledge


class PledgeSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "status",
            "ai_role",
            "language",
            "best_effort",
            "publish_in_register",
            "commitments",
            "submitted_at",
            "published_at",
            "withdrawn_at",
            "next_report_due",
        ]

    def get_commitments(self, pledge) -> list[str]:
        return [row.commitment.code for row in pledge.commitments.all()]


class PledgeViewSet(ReadOnlyApiViewSet):
    """Pledges once submitted; `?status=` and `?organisation=` filter them."""

    serializer_class = PledgeSerializer
    filterset_fields = ["status", "ai_role", "organisation"]

    def get_queryset(self):
        return (
            Pledge.objects.exclude(status=Pledge.Status.DRAFT)
            .select_related("organisation")
            .prefetch_related("commitments__commitment")
            .order_by("pk")
        )
