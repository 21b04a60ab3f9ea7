"""Groups of people the AI Pact offers to the CRM's mailings (see crm.registry)."""

from django.utils.translation import gettext_lazy as _

from crm.models import Affiliation, Person
from crm.registry import MailingSegment, mailing_segments

from .models import Pledge
from .selectors import report_overdue_condition


def _representatives_of(pledges):
    organisations = pledges.values("organisation_id")
    return Person.objects.filter(
        pk__in=Affiliation.objects.acting()
        .filter(organisation_id__in=organisations)
        .values("person_id")
    )


def pledgers_with_overdue_report(_value: str = ""):
    return _representatives_of(Pledge.objects.filter(report_overdue_condition()))


def signatories(_value: str = ""):
    return _representatives_of(Pledge.objects.filter(status=Pledge.Status.PUBLISHED))


def register() -> None:
    mailing_segments.register(
        MailingSegment(
            "pact_overdue",
            _("Representatives of pledgers whose progress report is overdue"),
            "pact.view_pledge",
            pledgers_with_overdue_report,
            order=10,
        )
    )
    mailing_segments.register(
        MailingSegment(
            "pact_signatories",
            _("Representatives of organisations with a published pledge"),
            "pact.view_pledge",
            signatories,
            order=11,
        )
    )
