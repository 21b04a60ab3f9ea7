from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry

# What each action code means, in words; apps add theirs from AppConfig.ready().
_action_labels: dict[str, str] = {}


def register_action_labels(labels: dict[str, str]) -> None:
    _action_labels.update(labels)


def action_label(code: str) -> str:
    """The human label of an action code: "crm.note.added" is "Note added"."""
    if code in _action_labels:
        return str(_action_labels[code])
    # A code nobody labelled still reads as words, never as a code.
    words = " ".join(code.split(".")[1:]).replace("_", " ").strip() or code
    return words[:1].upper() + words[1:]


def audit_log(*, actor, action: str, subject=None, data: dict | None = None) -> AuditEntry:
    """Record one state change. Call it inside the service's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(actor=actor, action=action, data=data or {})
    if subject is not None:
        entry.subject_type = ContentType.objects.get_for_model(subject)
        entry.subject_id = str(subject.pk)
    entry.save()
    return entry


def audit_log_many(*, actor, action: str, subjects, data: dict | None = None) -> None:
    """The same change to many records, in one insert."""
    audit_log_bulk((actor, action, subject, data) for subject in subjects)


def audit_log_bulk(entries) -> None:
    """Many changes at once, each (actor, action, subject, data), in one insert."""
    rows = []
    types = {}
    for actor, action, subject, data in entries:
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        model = type(subject)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            AuditEntry(
                actor=actor,
                action=action,
                data=data or {},
                subject_type=types[model],
                subject_id=str(subject.pk),
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=1000)


def audit_entries_for(subject):
    """The history of one record, newest first, with the actor loaded."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("actor")
