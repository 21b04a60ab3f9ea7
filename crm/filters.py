import django_filters
from django.utils.translation import gettext_lazy as _

from core.widgets import use_fast_selects

from .countries import HQRegion, country_choices
from .models import Organisation, Person, Sector, Tag
from .registry import list_filters


class RegisteredFiltersMixin:
    """Adds the filters other apps register in `crm.registry.list_filters` (AI Pact status,
    expert body, event attendance...), so that the list, its CSV export and its bulk actions
    narrow the same way without the CRM importing those apps."""

    registry_kind = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for registered in list_filters.for_list(self.registry_kind):
            self.filters[registered.name] = django_filters.ChoiceFilter(
                field_name=registered.name,
                label=registered.label,
                choices=registered.choices,
                empty_label=_("Any"),
                method=lambda queryset, _name, value, apply=registered.apply: (
                    apply(queryset, value) if value else queryset
                ),
            )

    @property
    def form(self):
        if not hasattr(self, "_form"):
            use_fast_selects(super().form)
        return self._form


class OrganisationFilter(RegisteredFiltersMixin, django_filters.FilterSet):
    registry_kind = "organisation"

    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
    hq_region = django_filters.ChoiceFilter(label=_("HQ region"), choices=HQRegion.choices)
    type = django_filters.ChoiceFilter(label=_("Type"), choices=Organisation.Type.choices)
    size = django_filters.ChoiceFilter(label=_("Size"), choices=Organisation.Size.choices)
    ai_role = django_filters.ChoiceFilter(label=_("AI role"), choices=Organisation.AIRole.choices)
    sectors = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("Any")
    )
    tags = django_filters.ModelChoiceFilter(
        label=_("Tag"), queryset=Tag.objects.all(), empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Organisation.Status.choices)

    class Meta:
        model = Organisation
        fields = ["country", "hq_region", "type", "size", "ai_role", "sectors", "tags", "status"]


class PersonFilter(RegisteredFiltersMixin, django_filters.FilterSet):
    registry_kind = "person"

    nationality = django_filters.ChoiceFilter(label=_("Nationality"), choices=country_choices)
    preferred_language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Person._meta.get_field("preferred_language").choices
    )
    tags = django_filters.ModelChoiceFilter(
        label=_("Tag"), queryset=Tag.objects.all(), empty_label=_("Any")
    )

    class Meta:
        model = Person
        fields = ["nationality", "preferred_language", "tags"]
