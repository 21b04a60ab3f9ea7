"""Writes of the forums module, one module per concern; import them from here.

- `registrations`: taking, cancelling and offering places at events; the periodic jobs on them.
- `attendance`: check-in and attendance records.
- `events`: creating and changing events (and telling registrants), invitation lists.
- `programme`: an event's agenda, speakers and materials.
- `applications`: applications to the calls of expert bodies.
- `memberships`: terms, renewals and their limits, term-end reminders.
- `selection`: eligibility, evaluators, evaluation, prepared decisions and their commitment.
- `declarations`: declarations of interest, their assessment and yearly renewal.
- `bodies`: creating and changing bodies (with their balance rules) and calls.
"""

from .applications import (
    APPLICATION_FIELDS,
    application_save,
    application_withdraw,
    nomination_add,
    nomination_remove,
)
from .attendance import (
    attendance_mark,
    attendance_mark_no_shows,
    registration_check_in,
    registration_check_in_undo,
)
from .bodies import BODY_FIELDS, CALL_FIELDS, body_save, call_save
from .declarations import declaration_assess, declaration_file, declaration_reminders_send
from .events import EVENT_FIELDS, event_save, invitation_add, invitation_remove
from .memberships import (
    membership_end,
    membership_renew,
    membership_role_set,
    membership_term_reminders_send,
    memberships_expire,
    renewed_term_end,
)
from .programme import agenda_item_delete, agenda_item_save, material_add, material_remove
from .registrations import (
    REMINDER_LEAD_TIME,
    SPECIAL_REQUIREMENTS_RETENTION,
    event_reminders_send,
    registration_accept_offer,
    registration_cancel,
    registration_create,
    registration_create_for_colleague,
    special_requirements_purge,
    waitlist_offers_expire,
)
from .selection import (
    MAX_SCORE,
    decision_prepare,
    decisions_commit,
    eligibility_record,
    evaluation_declare,
    evaluation_score,
    evaluator_assign,
    evaluator_unassign,
    evaluators_assign_balanced,
    slate_accept,
)

__all__ = [
    "agenda_item_delete",
    "agenda_item_save",
    "material_add",
    "material_remove",
    "BODY_FIELDS",
    "CALL_FIELDS",
    "body_save",
    "call_save",
    "declaration_assess",
    "declaration_file",
    "declaration_reminders_send",
    "eligibility_record",
    "evaluator_unassign",
    "nomination_add",
    "nomination_remove",
    "membership_end",
    "membership_renew",
    "membership_role_set",
    "renewed_term_end",
    "membership_term_reminders_send",
    "memberships_expire",
    "MAX_SCORE",
    "decision_prepare",
    "decisions_commit",
    "evaluation_declare",
    "evaluation_score",
    "evaluator_assign",
    "evaluators_assign_balanced",
    "slate_accept",
    "APPLICATION_FIELDS",
    "EVENT_FIELDS",
    "REMINDER_LEAD_TIME",
    "SPECIAL_REQUIREMENTS_RETENTION",
    "application_save",
    "application_withdraw",
    "attendance_mark",
    "attendance_mark_no_shows",
    "event_reminders_send",
    "event_save",
    "invitation_add",
    "invitation_remove",
    "registration_accept_offer",
    "registration_cancel",
    "registration_check_in",
    "registration_check_in_undo",
    "registration_create",
    "registration_create_for_colleague",
    "special_requirements_purge",
    "waitlist_offers_expire",
]
