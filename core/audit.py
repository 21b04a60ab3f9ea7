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
    subjects = list(subjects)
    if not subjects:
        return
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    subject_type = ContentType.objects.get_for_model(subjects[0])
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=action,
            data=data or {},
            subject_type=subject_type,
            subject_id=str(subject.pk),
        )
        for subject in subjects
    )


def audit_entries_for(subject):
    """The history of one record, newest first, with the actor loaded."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("actor")
