"""What the AI Pact shows on the CRM's record pages and on /me/."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import Series, line_chart, month_label, per_month, recent_months
from crm.selectors import organisations_acting_for

from . import selectors


def organisation_pact(request, organisation):
    pledges = selectors.organisation_pledges(user=request.user, organisation=organisation)
    memberships = selectors.organisation_network(user=request.user, organisation=organisation)
    if not request.user.has_perm("pact.view_pledge"):
        return None
    return {"pledges": list(pledges[:20]), "memberships": list(memberships[:5])}


def me_pledges(request, person):
    if not organisations_acting_for(user=request.user).exists():
        return None
    return {"pledges": list(selectors.pledges_for_user(user=request.user)[:20])}


def dashboard(request, _obj):
    """The AI Pact on the back office's home: each figure links to the list of its items."""
    months = recent_months(12)
    figures = selectors.dashboard_pact(user=request.user, months=months)
    if figures is None:
        return None
    queue = reverse("pact_staff:pledge_queue")
    lines = [
        {
            "label": _("progress reports overdue"),
            "count": figures["overdue"],
            "url": f"{queue}?status=published&report=overdue",
        },
        {
            "label": _("published pledges"),
            "count": figures["published"],
            "url": f"{queue}?status=published",
        },
    ]
    series = [
        Series(_("Pledges received"), per_month(figures["received_per_month"], months)),
        Series(_("Pledges published"), per_month(figures["published_per_month"], months)),
    ]
    if figures["network"] is not None:
        lines.append(
            {
                "label": _("organisations in the AI Pact network"),
                "count": figures["network"],
                "url": reverse("pact_staff:network") + "?status=interested",
            }
        )
        series.append(
            Series(
                _("Organisations joining the network"),
                per_month(figures["joined_per_month"], months),
            )
        )
    chart = line_chart(
        [month_label(month) for month in months],
        series,
        title=_("AI Pact: pledges and network, per month"),
        description=_(
            "Pledges received and published, and organisations joining the AI Pact "
            "network, in each of the last twelve months."
        ),
    )
    return {"figures": lines, "charts": [chart]}
