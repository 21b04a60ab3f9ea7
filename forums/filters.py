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
    checked_in = django_filters.ChoiceFilter(
        label=_("Checked in"),
        choices=[("yes", _("Checked in")), ("no", _("Not checked in"))],
        method="filter_checked_in",
    )

    class Meta:
        model = Registration
        fields = ["status", "attendance", "checked_in"]

    def filter_attendance(self, queryset, name, value):
        return queryset.filter(attendance="" if value == "unknown" else value)

    def filter_checked_in(self, queryset, name, value):
        return queryset.filter(checked_in_at__isnull=value != "yes")
