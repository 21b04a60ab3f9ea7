"""The filters of each report kind (django-filter). A report's parameters are the raw values of
its filter form, stored on the request, so a job or a saved definition rebuilds the same
filter set and the same querysets."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from crm.countries import HQRegion
from crm.models import Organisation, Sector
from forums.balance import CATEGORY_OF_TYPE
from forums.models import BalanceRule, Body, Event, Membership, Registration

from .models import ReportKind

DATE = forms.DateInput(attrs={"type": "date"})


def category_q(category: str, prefix: str = "") -> Q:
    """Organisations of a stakeholder category (forums.balance.category_of) as a query."""
    types = [type_ for type_, value in CATEGORY_OF_TYPE.items() if value == category]
    q = Q(**{f"{prefix}type__in": types})
    if category == "sme":
        q |= Q(**{f"{prefix}type": "company", f"{prefix}size__in": ["micro", "small", "medium"]})
    elif category == "industry":
        q |= Q(**{f"{prefix}type": "company"}) & ~Q(
            **{f"{prefix}size__in": ["micro", "small", "medium"]}
        )
    elif category == "other":
        known = set(CATEGORY_OF_TYPE) | {"company"}
        q = ~Q(**{f"{prefix}type__in": known})
        if prefix:
            q |= Q(**{f"{prefix[:-2]}__isnull": True})
    return q


class PeriodMixin(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("From"), method="no_filter", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), method="no_filter", widget=DATE)

    def no_filter(self, queryset, name, value):
        return queryset

    def period(self):
        data = self.form.cleaned_data
        return data.get("date_from"), data.get("date_to")

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            start, end = self.period()
            if start and end and end < start:
                self.form.add_error("date_to", _("The end of the period is before its start."))
                return False
        return valid


class EventParticipationFilter(PeriodMixin):
    event = django_filters.ModelChoiceFilter(
        label=_("Event"),
        queryset=Event.objects.exclude(status=Event.Status.DRAFT).order_by("-starts_at"),
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), field_name="event__programme", choices=Event.Programme.choices
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="organisation__country", choices=countries
    )
    organisation_type = django_filters.ChoiceFilter(
        label=_("Organisation type"),
        field_name="organisation__type",
        choices=Organisation.Type.choices,
    )
    stakeholder_category = django_filters.ChoiceFilter(
        label=_("Stakeholder category"),
        choices=BalanceRule.Stakeholder.choices,
        method="filter_category",
    )

    class Meta:
        model = Registration
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_q(value, "organisation__"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.period()
        if start:
            queryset = queryset.filter(event__starts_at__date__gte=start)
        if end:
            queryset = queryset.filter(event__starts_at__date__lte=end)
        return queryset


class PactOverviewFilter(PeriodMixin):
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries)
    hq_region = django_filters.ChoiceFilter(label=_("HQ region"), choices=HQRegion.choices)
    organisation_type = django_filters.ChoiceFilter(
        label=_("Organisation type"), field_name="type", choices=Organisation.Type.choices
    )
    size = django_filters.ChoiceFilter(label=_("Size"), choices=Organisation.Size.choices)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="sectors", queryset=Sector.objects.order_by("name")
    )

    class Meta:
        model = Organisation
        fields = []

    def narrows(self) -> bool:
        data = self.form.cleaned_data
        return any(
            data.get(name)
            for name in ("country", "hq_region", "organisation_type", "size", "sector")
        )


class BodyParticipationFilter(PeriodMixin):
    body = django_filters.ModelChoiceFilter(
        label=_("Expert body"), queryset=Body.objects.order_by("order", "name"), required=True
    )

    class Meta:
        model = Membership
        fields = []


class OrganisationEngagementFilter(PeriodMixin):
    organisation = django_filters.NumberFilter(
        label=_("Organisation number"),
        field_name="pk",
        required=True,
        help_text=_("The number in the address of the organisation's page in the back office."),
    )

    class Meta:
        model = Organisation
        fields = []

    def is_valid(self):
        valid = super().is_valid()
        if (
            valid
            and not Organisation.objects.filter(pk=self.form.cleaned_data["organisation"]).exists()
        ):
            self.form.add_error("organisation", _("No organisation has this number."))
            return False
        return valid


FILTERS = {
    ReportKind.EVENT_PARTICIPATION: EventParticipationFilter,
    ReportKind.PACT_OVERVIEW: PactOverviewFilter,
    ReportKind.BODY_PARTICIPATION: BodyParticipationFilter,
    ReportKind.ORGANISATION_ENGAGEMENT: OrganisationEngagementFilter,
}

BASE_QUERYSETS = {
    ReportKind.EVENT_PARTICIPATION: lambda: Registration.objects.all(),
    ReportKind.PACT_OVERVIEW: lambda: Organisation.objects.all(),
    ReportKind.BODY_PARTICIPATION: lambda: Membership.objects.all(),
    ReportKind.ORGANISATION_ENGAGEMENT: lambda: Organisation.objects.all(),
}


def filterset_for(kind: str, data=None):
    """The kind's filter set bound to `data` (a QueryDict or the stored parameters)."""
    return FILTERS[kind](data=data, queryset=BASE_QUERYSETS[kind]())


def parameters_of(filterset) -> dict:
    """The filled-in filters as stored parameters: raw strings, empty ones left out."""
    names = filterset.form.fields.keys()
    return {
        name: str(filterset.form.data.get(name)) for name in names if filterset.form.data.get(name)
    }


def parameter_labels(filterset) -> list[tuple[str, str]]:
    """The filled-in filters as a person reads them (label, value), for the cover page."""
    labels = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        labels.append((str(field.label), str(value)))
    return labels
