from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "crm.organisation.registered": _("Organisation registered"),
    "crm.organisation.confirmed": _("Organisation confirmed"),
    "crm.affiliation.requested": _("Asked to represent the organisation"),
    "crm.affiliation.confirmed": _("Representative confirmed"),
    "crm.affiliation.refused": _("Representative refused"),
    "crm.note.added": _("Note added"),
    "crm.organisation.created": _("Organisation added"),
    "crm.organisation.updated": _("Organisation updated"),
    "crm.organisation.tagged": _("Tag added"),
    "crm.organisation.untagged": _("Tag removed"),
    "crm.person.updated": _("Person updated"),
    "crm.affiliation.added": _("Person and organisation linked"),
    "crm.affiliation.ended": _("Link ended"),
    "crm.consent.given": _("Consent given"),
    "crm.consent.withdrawn": _("Consent withdrawn"),
    "crm.person.created": _("Person record created"),
    "crm.person.linked": _("Person linked to an account"),
    "crm.person.profile_updated": _("Profile updated"),
}
