from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "reports.request.created": _("Report asked for"),
    "reports.request.retried": _("Report asked for again after a failure"),
    "reports.saved.created": _("Report definition saved"),
    "reports.saved.deleted": _("Report definition deleted"),
    "reports.saved.sent": _("Scheduled report sent"),
}
