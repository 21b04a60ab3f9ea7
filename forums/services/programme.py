"""Staff writes on an event's agenda (sessions, speakers) and materials (files, links)."""

import os

from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError, full_clean_or_refuse
from crm.models import Person

from ..models import MATERIAL_MAX_BYTES, MATERIAL_TYPES, AgendaItem, Event, Material


@transaction.atomic
def agenda_item_save(
    *,
    user,
    event: Event,
    item: AgendaItem | None = None,
    starts_at,
    ends_at=None,
    title: str,
    description: str = "",
    speakers: list[Person] = (),
    other_speakers: str = "",
) -> AgendaItem:
    """Add a session to the agenda, or change one. Sessions fall within the event's time."""
    require_staff(user, "forums.change_event")
    if starts_at < event.starts_at or starts_at > event.ends_at:
        raise DomainError(_("A session starts within the event's time."), field="starts_at")
    if ends_at is not None and ends_at > event.ends_at:
        raise DomainError(_("A session ends within the event's time."), field="ends_at")
    creating = item is None
    item = item or AgendaItem(event=event)
    item.starts_at, item.ends_at = starts_at, ends_at
    item.title, item.description = title.strip(), description.strip()
    item.other_speakers = other_speakers.strip()
    full_clean_or_refuse(item, exclude=["event"])
    item.save()
    item.speakers.set(speakers)
    audit_log(
        actor=user,
        action="forums.event.agenda_item_added" if creating else "forums.event.agenda_item_changed",
        subject=event,
        data={"item": item.pk, "title": item.title, "speakers": [p.pk for p in speakers]},
    )
    return item


@transaction.atomic
def agenda_item_delete(*, user, item: AgendaItem) -> None:
    require_staff(user, "forums.change_event")
    event, data = item.event, {"item": item.pk, "title": item.title}
    item.delete()
    audit_log(actor=user, action="forums.event.agenda_item_removed", subject=event, data=data)


def _check_upload(upload) -> str:
    """The upload's extension, once its type, first bytes and size are what we accept."""
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in MATERIAL_TYPES:
        raise DomainError(
            _("Upload a file of one of these types: %(types)s.")
            % {"types": ", ".join(sorted(MATERIAL_TYPES))},
            field="file",
        )
    if upload.size > MATERIAL_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(size)d MB; publish a link to it instead.")
            % {"size": MATERIAL_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = MATERIAL_TYPES[extension][1]
    matches = head[4:8] == b"ftyp" if extension == "mp4" else head.startswith(signatures)
    if not matches:
        raise DomainError(
            _("This file is not a valid .%(type)s file.") % {"type": extension}, field="file"
        )
    return extension


@transaction.atomic
def material_add(
    *,
    user,
    event: Event,
    title: str,
    kind: str,
    audience: str,
    release: str,
    file=None,
    url: str = "",
) -> Material:
    """Publish slides, a recording or a document, as an uploaded file (kept in private storage
    and served only through a view that checks who asks) or as a link."""
    require_staff(user, "forums.change_event")
    url = url.strip()
    if bool(file) == bool(url):
        raise DomainError(_("Upload a file or give a link, not both."), field="file")
    material = Material(
        event=event, title=title.strip(), kind=kind, audience=audience, release=release, url=url
    )
    if file:
        _check_upload(file)
        material.file_name = os.path.basename(file.name)[:255]
        material.file_size = file.size
        material.file = file
    full_clean_or_refuse(material, exclude=["event", "file"])
    material.save()
    audit_log(
        actor=user,
        action="forums.event.material_added",
        subject=event,
        data={
            "material": material.pk,
            "title": material.title,
            "audience": audience,
            "release": release,
        },
    )
    return material


@transaction.atomic
def material_remove(*, user, material: Material) -> None:
    require_staff(user, "forums.change_event")
    event, data = material.event, {"material": material.pk, "title": material.title}
    name, storage = material.file.name, material.file.storage
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit_log(actor=user, action="forums.event.material_removed", subject=event, data=data)
