import django_filters
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from crm.countries import HQRegion
from crm.filters import NotStatedChoiceFilter
from crm.models import Organisation, Sector

from .models import AIRole, Commitment, Pledge


def _commitment_choices():
    """Each commitment code with the start of its current wording, in the reader's language."""
    language = get_language() or "en"
    return [
        (c.code, f"{c.code}: {Truncator(c.text_in(language)).chars(70)}")
        for c in Commitment.objects.filter(is_current=True).order_by("order", "code")
    ]


ANY = _("Any")
# Offered where a pledger's organisation may not have said: the pledges whose field is empty.
NOT_STATED = {"null_label": _("Not stated"), "null_value": NotStatedChoiceFilter.NOT_STATED}


class RegisterFilter(django_filters.FilterSet):
    """Filters of the public register: every value comes from a choice list, so bad input is
    reported next to its field and ignored."""

    q = django_filters.CharFilter(label=_("Organisation name"), method="search")
    country = NotStatedChoiceFilter(
        label=_("Country"),
        field_name="organisation__country",
        choices=countries,
        empty_label=ANY,
        **NOT_STATED,
    )
    hq_region = NotStatedChoiceFilter(
        label=_("Headquarters"),
        field_name="organisation__hq_region",
        choices=HQRegion.choices,
        empty_label=ANY,
        **NOT_STATED,
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="organisation__sectors",
        queryset=Sector.objects.all(),
        to_field_name="code",
        distinct=True,
        empty_label=ANY,
    )
    ai_role = django_filters.ChoiceFilter(
        label=_("AI role"), choices=AIRole.choices, empty_label=ANY
    )
    commitment = django_filters.ChoiceFilter(
        label=_("Commitment"),
        field_name="commitments__commitment__code",
        choices=_commitment_choices,
        empty_label=ANY,
        distinct=True,
    )
    type = NotStatedChoiceFilter(
        label=_("Type of organisation"),
        field_name="organisation__type",
        choices=Organisation.Type.choices,
        empty_label=ANY,
        **NOT_STATED,
    )
    size = NotStatedChoiceFilter(
        label=_("Size"),
        field_name="organisation__size",
        choices=Organisation.Size.choices,
        empty_label=ANY,
        **NOT_STATED,
    )

    class Meta:
        model = Pledge
        fields = ["q", "country", "hq_region", "sector", "ai_role", "commitment", "type", "size"]

    def search(self, queryset, name, value):
        for word in value.split()[:6]:
            queryset = queryset.filter(
                Q(organisation__name__icontains=word) | Q(organisation__acronym__icontains=word)
            )
        return queryset
