"""What the AI Pact adds to the CRM through `crm.registry`: how pledges and network
memberships follow a merge of organisations, and the "AI Pact" filter of the CRM's lists."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import Affiliation
from crm.registry import ForeignKeyMerge, ListFilter, list_filters, merge_handlers

from .models import CLOSED_STATUSES, NetworkMembership, Pledge

PLEDGER, NETWORK, NONE = "pledger", "network", "none"


def _both(model, condition: Q, loser, survivor) -> bool:
    return (
        model.objects.filter(condition, organisation__in=[loser, survivor])
        .values("organisation")
        .distinct()
        .count()
        > 1
    )


def _pledge_conflicts(*, loser, survivor) -> list:
    if _both(Pledge, ~Q(status__in=CLOSED_STATUSES), loser, survivor):
        return [
            _(
                "Both organisations have a pledge in progress or published: withdraw or reject "
                "one of them first."
            )
        ]
    return []


def _network_conflicts(*, loser, survivor) -> list:
    active = Q(status=NetworkMembership.Status.INTERESTED)
    if _both(NetworkMembership, active, loser, survivor):
        return [_("Both organisations are in the AI Pact network: end one membership first.")]
    return []


def _pledging():
    return Pledge.objects.filter(status=Pledge.Status.PUBLISHED).values("organisation")


def _in_network():
    return NetworkMembership.objects.filter(status=NetworkMembership.Status.INTERESTED).values(
        "organisation"
    )


# Sets of ids (`pk__in` a subquery, which PostgreSQL hashes once) rather than a correlated
# EXISTS per row: the lists sort and page through 100,000 organisations.


def _organisations_with(queryset, value: str):
    if value == PLEDGER:
        return queryset.filter(pk__in=_pledging())
    if value == NETWORK:
        return queryset.filter(pk__in=_in_network())
    if value == NONE:
        return queryset.exclude(pk__in=_pledging()).exclude(pk__in=_in_network())
    return queryset


def _people_with(queryset, value: str):
    """People currently linked to an organisation of that AI Pact status."""
    links = Affiliation.objects.current().exclude(status=Affiliation.Status.REFUSED)
    if value == PLEDGER:
        links = links.filter(organisation__in=_pledging())
    elif value == NETWORK:
        links = links.filter(organisation__in=_in_network())
    elif value == NONE:
        linked = links.filter(Q(organisation__in=_pledging()) | Q(organisation__in=_in_network()))
        return queryset.exclude(pk__in=linked.values("person"))
    else:
        return queryset
    return queryset.filter(pk__in=links.values("person"))


def _choices():
    return [
        (PLEDGER, _("Pledger (published pledge)")),
        (NETWORK, _("AI Pact network participant")),
        (NONE, _("Neither")),
    ]


def register() -> None:
    merge_handlers.register(
        "organisation",
        ForeignKeyMerge(
            "pact.pledges",
            gettext_lazy("AI Pact pledges"),
            "pact.Pledge",
            "organisation",
            conflicts=_pledge_conflicts,
        ),
    )
    merge_handlers.register(
        "organisation",
        ForeignKeyMerge(
            "pact.network",
            gettext_lazy("AI Pact network memberships"),
            "pact.NetworkMembership",
            "organisation",
            conflicts=_network_conflicts,
        ),
    )
    list_filters.register(
        "organisation",
        ListFilter("pact", gettext_lazy("AI Pact"), _choices, _organisations_with, order=10),
    )
    list_filters.register(
        "person",
        ListFilter(
            "pact",
            gettext_lazy("Organisation in the AI Pact"),
            _choices,
            _people_with,
            order=10,
        ),
    )
