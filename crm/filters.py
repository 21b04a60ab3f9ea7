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


class NotStatedChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter that also offers "Not stated": the records whose field is empty, so that
    staff can find what is still to be completed."""

    NOT_STATED = "not-stated"  # no choice of any field uses it ("none" is an AI role)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null_label", _("Not stated"))
        kwargs.setdefault("null_value", self.NOT_STATED)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value == self.null_value:
            return qs.filter(**{self.field_name: ""})
        return super().filter(qs, value)


class OrganisationFilter(RegisteredFiltersMixin, django_filters.FilterSet):
    registry_kind = "organisation"

    country = NotStatedChoiceFilter(label=_("Country"), choices=country_choices)
    hq_region = NotStatedChoiceFilter(label=_("HQ region"), choices=HQRegion.choices)
    type = NotStatedChoiceFilter(label=_("Type"), choices=Organisation.Type.choices)
    size = NotStatedChoiceFilter(label=_("Size"), choices=Organisation.Size.choices)
    ai_role = NotStatedChoiceFilter(label=_("AI role"), choices=Organisation.AIRole.choices)
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

    nationality = NotStatedChoiceFilter(label=_("Nationality"), choices=country_choices)
    preferred_language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Person._meta.get_field("preferred_language").choices
    )
    tags = django_filters.ModelChoiceFilter(
        label=_("Tag"), queryset=Tag.objects.all(), empty_label=_("Any")
    )

    class Meta:
        model = Person
        fields = ["nationality", "preferred_language", "tags"]
