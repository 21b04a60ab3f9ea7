"""Events and expert bodies on the back office's home (`crm.registry` dashboard panels): each
figure links to the list that counts the same items."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import bar_chart, month_label, per_month, recent_months

from .selectors.dashboard import dashboard_calls, dashboard_events


def events(request, _obj):
    months = recent_months(12)
    data = dashboard_events(user=request.user, months=months)
    if data is None:
        return None
    rows = []
    for event in data["upcoming"]:
        registrations = reverse("forums_staff:event_detail", args=[event.pk])
        rows.append(
            {
                "event": event,
                "confirmed": {
                    "label": _("confirmed"),
                    "count": event.confirmed_count,
                    "url": f"{registrations}?status=confirmed",
                },
                "waitlisted": {
                    "label": _("on the waiting list"),
                    "count": event.waitlisted_count,
                    "url": f"{registrations}?status=waitlisted",
                },
            }
        )
    chart = bar_chart(
        list(
            zip(
                [month_label(month) for month in months],
                per_month(data["participants_per_month"], months),
                strict=True,
            )
        ),
        title=_("Event participants per month"),
        description=_(
            "Confirmed participants of the published events held in each of the last twelve "
            "months, by the month the event starts."
        ),
        value_label=_("Participants"),
        orientation="vertical",
    )
    return {
        "rows": rows,
        "figures": [],
        "linked": [f for row in rows for f in (row["confirmed"], row["waitlisted"])],
        "charts": [chart],
    }


def calls(request, _obj):
    open_calls = dashboard_calls(user=request.user)
    if open_calls is None:
        return None
    rows = [
        {
            "call": call,
            "applications": {
                "label": _("applications"),
                "count": call.application_count,
                "url": reverse("forums_bodies_staff:call_selection", args=[call.pk]),
            },
        }
        for call in open_calls
    ]
    return {"rows": rows, "figures": [], "linked": [row["applications"] for row in rows]}
