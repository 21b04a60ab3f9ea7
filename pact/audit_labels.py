from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "pact.pledge.started": _("Pledge started"),
    "pact.pledge.saved": _("Pledge draft saved"),
    "pact.pledge.submitted": _("Pledge submitted for review"),
    "pact.pledge.returned": _("Pledge returned for changes"),
    "pact.pledge.published": _("Pledge published"),
    "pact.pledge.rejected": _("Pledge rejected"),
    "pact.pledge.withdrawn": _("Pledge withdrawn"),
    "pact.report.started": _("Progress report started"),
    "pact.report.saved": _("Progress report draft saved"),
    "pact.report.submitted": _("Progress report submitted"),
    "pact.report.accepted": _("Progress report accepted"),
    "pact.report.returned": _("Progress report returned for changes"),
    "pact.report.reminder_due": _("Reminder sent: progress report due"),
    "pact.report.reminder_overdue": _("Reminder sent: progress report overdue"),
    "pact.commitment.created": _("Commitment added to the catalogue"),
    "pact.commitment.changed": _("Commitment wording changed"),
    "pact.network.joined": _("Joined the AI Pact network"),
    "pact.network.left": _("Left the AI Pact network"),
}
