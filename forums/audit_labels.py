from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "forums.event.created": _("Event created"),
    "forums.event.updated": _("Event updated"),
    "forums.event.invited": _("Invitations added"),
    "forums.event.invitation_removed": _("Invitation removed"),
    "forums.event.reminders_sent": _("Reminders sent"),
    "forums.event.attendance_marked": _("Attendance recorded"),
    "forums.event.no_shows_marked": _("No-shows recorded"),
    "forums.event.registrations_cancelled": _("Registrations cancelled"),
    "forums.event.special_requirements_purged": _("Special requirements deleted"),
    "forums.registration.confirmed": _("Registration confirmed"),
    "forums.registration.waitlisted": _("Placed on the waiting list"),
    "forums.registration.offered": _("Place offered"),
    "forums.registration.cancelled": _("Registration cancelled"),
    "forums.registration.promoted_confirmed": _("Moved from the waiting list to a place"),
    "forums.registration.promoted_offered": _("Place offered from the waiting list"),
    "forums.registration.offer_accepted": _("Offered place accepted"),
    "forums.registration.offer_expired": _("Offered place expired"),
    "forums.registration.checked_in": _("Checked in"),
    "forums.registration.check_in_undone": _("Check-in undone"),
}
