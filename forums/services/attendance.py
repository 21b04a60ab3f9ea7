"""Staff writes on the day and after it: check-in and attendance."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError

from ..models import Event, Registration


@transaction.atomic
def registration_check_in(*, user, registration: Registration) -> Registration:
    require_staff(user, "forums.check_in")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("Only confirmed participants can be checked in."))
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.attendance = Registration.Attendance.ATTENDED
        registration.save(update_fields=["checked_in_at", "attendance"])
        audit_log(actor=user, action="forums.registration.checked_in", subject=registration)
    return registration


@transaction.atomic
def registration_check_in_undo(*, user, registration: Registration) -> Registration:
    require_staff(user, "forums.check_in")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.checked_in_at is not None:
        registration.checked_in_at = None
        registration.attendance = Registration.Attendance.UNKNOWN
        registration.save(update_fields=["checked_in_at", "attendance"])
        audit_log(actor=user, action="forums.registration.check_in_undone", subject=registration)
    return registration


@transaction.atomic
def attendance_mark(*, user, event: Event, registration_ids: list[int], attendance: str) -> int:
    """Record after the event who attended and who did not, for many participants at once."""
    require_staff(user, "forums.check_in")
    if attendance not in Registration.Attendance.values:
        raise DomainError(_("Choose attended, did not attend or not recorded."), field="attendance")
    if event.starts_at > timezone.now():
        raise DomainError(_("Attendance can be recorded once the event has started."))
    updated = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, pk__in=registration_ids
    ).update(attendance=attendance)
    audit_log(
        actor=user,
        action="forums.event.attendance_marked",
        subject=event,
        data={"attendance": attendance, "count": updated},
    )
    return updated


@transaction.atomic
def attendance_mark_no_shows(*, user, event: Event) -> int:
    """After the event, every confirmed participant not recorded as attending is a no-show."""
    require_staff(user, "forums.check_in")
    if event.ends_at > timezone.now():
        raise DomainError(_("No-shows can be recorded once the event is over."))
    updated = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, attendance=""
    ).update(attendance=Registration.Attendance.NO_SHOW)
    audit_log(
        actor=user, action="forums.event.no_shows_marked", subject=event, data={"count": updated}
    )
    return updated
