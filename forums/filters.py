import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Registration


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Registration.Status.choices)
    attendance = django_filters.ChoiceFilter(
        label=_("Attendance"),
        choices=[
            (Registration.Attendance.ATTENDED, _("Attended")),
            (Registration.Attendance.NO_SHOW, _("Did not attend")),
            ("unknown", _("Not recorded")),
        ],
        method="filter_attendance",
    )
    checked_in = django_filters.BooleanFilter(
        label=_("Checked in"), field_name="checked_in_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Registration
        fields = ["status", "attendance", "checked_in"]

    def filter_attendance(self, queryset, name, value):
        return queryset.filter(attendance="" if value == "unknown" else value)
