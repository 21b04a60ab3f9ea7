"""Reads of an event's agenda and materials, scoped to the user who asks."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.access import is_staff_user
from crm.models import Person

from ..models import AgendaItem, Event, Material, Registration
from .events import event_get


def agenda_of(*, event: Event) -> list[AgendaItem]:
    """The agenda shown with the event, speakers in the order of their names."""
    return list(
        AgendaItem.objects.filter(event=event).prefetch_related(
            Prefetch("speakers", queryset=Person.objects.order_by("last_name", "first_name"))
        )
    )


def _is_participant(user, event: Event) -> bool:
    return (
        user.is_authenticated
        and Registration.objects.filter(
            event=event, person__user=user, status=Registration.Status.CONFIRMED
        ).exists()
    )


def _may_manage(user) -> bool:
    return is_staff_user(user) and user.has_perm("forums.view_event")


def materials_for(*, user, event: Event) -> list[Material]:
    """The materials this user may see now: published ones for everyone, and those for
    participants to confirmed participants. The events team sees every material, released or
    not, each marked."""
    materials = list(Material.objects.filter(event=event))
    if _may_manage(user):
        return materials
    now = timezone.now()
    released = [m for m in materials if m.is_released(now)]
    if any(m.audience == Material.Audience.PARTICIPANTS for m in released):
        if not _is_participant(user, event):
            released = [m for m in released if m.audience == Material.Audience.PUBLIC]
    return released


def material_get_for_download(*, user, event_pk, pk) -> Material | None:
    """A material with a file, if the user may see its event and the material itself."""
    event = event_get(user=user, pk=event_pk, with_places=False)
    if event is None:
        return None
    material = Material.objects.filter(event=event, pk=pk).exclude(file="").first()
    if material is None:
        return None
    material.event = event
    if _may_manage(user):
        return material
    if not material.is_released():
        return None
    if material.audience == Material.Audience.PARTICIPANTS and not _is_participant(user, event):
        return None
    return material


def agenda_item_get_staff(*, user, event: Event, pk) -> AgendaItem | None:
    if not (_may_manage(user) and user.has_perm("forums.change_event")):
        return None
    return AgendaItem.objects.filter(event=event, pk=pk).first()


def material_get_staff(*, user, event: Event, pk) -> Material | None:
    if not (_may_manage(user) and user.has_perm("forums.change_event")):
        return None
    return Material.objects.filter(event=event, pk=pk).first()


def materials_staff(*, user, event: Event) -> QuerySet[Material]:
    if not _may_manage(user):
        return Material.objects.none()
    return Material.objects.filter(event=event)
