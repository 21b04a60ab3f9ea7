"""The CRM in the staff JSON API: organisations and people, filtered like the lists."""

from rest_framework import serializers

from core.api import ReadOnlyApiViewSet

from .filters import OrganisationFilter, PersonFilter
from .models import Organisation, Person
from .selectors import _organisation_search, _person_search


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "transparency_register_id",
            "transparency_register_verified_at",
            "country",
            "hq_region",
            "type",
            "size",
            "ai_role",
            "sectors",
            "website",
            "tags",
            "status",
            "created_at",
            "updated_at",
        ]


class PersonSerializer(serializers.ModelSerializer):
    nationality = serializers.CharField(source="nationality.code")
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    organisations = serializers.SerializerMethodField()

    class Meta:
        model = Person
        # Gender is for anonymous balance statistics only: never in the API.
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "nationality",
            "preferred_language",
            "tags",
            "organisations",
            "created_at",
            "updated_at",
        ]

    def get_organisations(self, person) -> list[dict]:
        return [
            {
                "organisation": a.organisation_id,
                "position": a.position,
                "representative": a.is_representative,
                "status": a.status,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
            }
            for a in person.affiliations.all()
        ]


class OrganisationViewSet(ReadOnlyApiViewSet):
    """Organisations; `?q=` searches names without case or accents, and every filter of the
    back-office list applies (`country`, `type`, `size`, `ai_role`, `sectors`, `tags`...)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        queryset = Organisation.objects.prefetch_related("sectors", "tags").order_by("pk")
        if query := self.request.query_params.get("q", "").strip():
            queryset = _organisation_search(queryset, query)
        return queryset


class PersonViewSet(ReadOnlyApiViewSet):
    """People with their links to organisations; `?q=` searches names and email."""

    serializer_class = PersonSerializer

    @staticmethod
    def people_of(person):
        return [person.pk]
    filterset_class = PersonFilter

    def get_queryset(self):
        queryset = Person.objects.prefetch_related("tags", "affiliations").order_by("pk")
        if query := self.request.query_params.get("q", "").strip():
            queryset = _person_search(queryset, query)
        return queryset
