"""Merging two CRM records that are the same organisation or person, and undoing it.

Every record that points to the loser moves to the survivor through the handlers each app
registers in `crm.registry.merge_handlers` (the CRM's own affiliations, notes, consents,
tags...; pledges from `pact`; applications, memberships, registrations, invitations from
`forums`), so the CRM knows no other app. The loser is then deleted; the merge record keeps
its fields and links and what each handler moved, so that an undo puts everything back. A
record that still points to the loser after every handler ran (an app that registered no
handler) stops the merge: nothing is lost silently.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import require_staff
from core.audit import audit_log
from core.errors import DomainError

from .models import Affiliation, ErasureRequest, MergeRecord, Organisation, Person
from .registry import ForeignKeyMerge, MergeHandler, merge_handlers

MODELS = {"organisation": Organisation, "person": Person}
# Fields of the survivor that the loser fills when they are empty on the survivor.
FILLABLE = {
    "organisation": (
        "acronym",
        "transparency_register_id",
        "transparency_register_verified_at",
        "transparency_register_category",
        "country",
        "size",
        "website",
    ),
    "person": ("phone", "nationality", "gender"),
}
# What the review page shows side by side.
ORGANISATION_COMPARE = (
    "name",
    "acronym",
    "transparency_register_id",
    "country",
    "type",
    "size",
    "ai_role",
    "website",
    "status",
    "created_at",
)
PERSON_COMPARE = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "nationality",
    "preferred_language",
    "user",
    "created_at",
)
M2M = {"organisation": ("tags", "sectors"), "person": ("tags",)}


def _require(user, kind: str) -> None:
    require_staff(user, f"crm.view_{kind}", f"crm.change_{kind}")


def _snapshot(record) -> dict:
    """The record's own fields as JSON, and the ids of its tags and sectors."""
    values = {}
    for field in record._meta.concrete_fields:
        value = field.value_from_object(record)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif hasattr(value, "code"):
            value = value.code or ""
        values[field.attname] = value
    kind = record._meta.model_name
    links = {name: sorted(getattr(record, name).values_list("pk", flat=True)) for name in M2M[kind]}
    return {"fields": values, "links": links}


def _restore(model, snapshot: dict):
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in snapshot["fields"]:
            raw = snapshot["fields"][field.attname]
            values[field.attname] = field.to_python(raw) if raw not in (None, "") else raw
    return model(**values)


def _is_empty(value) -> bool:
    return value in (None, "") or (hasattr(value, "code") and not value.code)


def merge_preview(*, user, kind: str, survivor, loser) -> dict:
    """What a merge would do: records that would move per kind, fields the loser would fill,
    and the reasons it cannot be done yet."""
    _require(user, kind)
    moves = []
    for handler in merge_handlers.handlers(kind):
        n = handler.count(record=loser)
        if n:
            moves.append({"label": handler.label, "count": n})
    conflicts = []
    if survivor.pk == loser.pk:
        conflicts.append(_("A record cannot be merged with itself."))
    for handler in merge_handlers.handlers(kind):
        if handler.conflicts:
            conflicts.extend(handler.conflicts(loser=loser, survivor=survivor))
    filled = {
        field: getattr(loser, field)
        for field in FILLABLE[kind]
        if _is_empty(getattr(survivor, field)) and not _is_empty(getattr(loser, field))
    }
    return {"moves": moves, "conflicts": conflicts, "filled": filled}


def _left_behind(record) -> list[str]:
    """Kinds of records that still point to `record` (after every handler ran)."""
    left = []
    for relation in record._meta.related_objects:
        if relation.many_to_many:
            still = getattr(record, relation.get_accessor_name()).exists()
        else:
            still = relation.related_model._default_manager.filter(
                **{relation.field.name: record}
            ).exists()
        if still:
            left.append(str(relation.related_model._meta.verbose_name_plural))
    return left


def _lock_pair(model, ids: list[int]) -> dict:
    """Both records, locked in id order: a merge of the same two records the other way round,
    at the same moment, waits and then finds its loser gone."""
    return {r.pk: r for r in model.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


@transaction.atomic
def records_merge(*, user, kind: str, survivor_id: int, loser_id: int) -> MergeRecord:
    """Merge the loser into the survivor, in one transaction, and record how to undo it."""
    _require(user, kind)
    if kind not in MODELS:
        raise DomainError(_("Unknown kind of record."))
    if survivor_id == loser_id:
        raise DomainError(_("A record cannot be merged with itself."))
    model = MODELS[kind]
    locked = _lock_pair(model, [survivor_id, loser_id])
    if len(locked) != 2:
        raise DomainError(_("One of the two records no longer exists (merged or deleted)."))
    survivor, loser = locked[survivor_id], locked[loser_id]
    handlers = merge_handlers.handlers(kind)
    conflicts = [
        reason
        for handler in handlers
        if handler.conflicts
        for reason in handler.conflicts(loser=loser, survivor=survivor)
    ]
    if conflicts:
        raise DomainError(" ".join(str(c) for c in conflicts))
    snapshot = _snapshot(loser)
    merge = MergeRecord(
        kind=kind,
        survivor_id=survivor.pk,
        loser_id=loser.pk,
        survivor_label=str(survivor)[:300],
        loser_label=str(loser)[:300],
        loser_snapshot=snapshot,
        merged_by=user,
    )
    moved, counts = {}, {}
    for handler in handlers:
        count = handler.count(record=loser)
        payload = handler.move(loser=loser, survivor=survivor)
        if payload is not None:
            moved[handler.name] = payload
        if count:
            counts[handler.name] = count
    left = _left_behind(loser)
    if left:
        raise DomainError(
            _("These records of %(name)s have no way to move yet: %(kinds)s. Nothing was merged.")
            % {"name": loser, "kinds": ", ".join(left)}
        )
    filled = {}
    for field in FILLABLE[kind]:
        before, value = getattr(survivor, field), getattr(loser, field)
        if _is_empty(before) and not _is_empty(value):
            filled[field] = _snapshot_value(value)
    loser.delete()
    for field in filled:
        setattr(survivor, field, getattr(loser, field))
    if filled:
        try:
            with transaction.atomic():
                survivor.save()
        except IntegrityError as exc:
            raise DomainError(_("The merged values clash with another record.")) from exc
    merge.filled = filled
    merge.moved = moved
    merge.counts = counts
    merge.save()
    data = {"merge": merge.pk, "merged": loser_id, "name": merge.loser_label, "counts": counts}
    audit_log(actor=user, action=f"crm.{kind}.merged", subject=survivor, data=data)
    audit_log(
        actor=user,
        action=f"crm.{kind}.merged_away",
        subject=model(pk=loser_id),
        data={"merge": merge.pk, "into": survivor.pk, "name": merge.survivor_label},
    )
    return merge


def _snapshot_value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "code"):
        return value.code or ""
    return value


@transaction.atomic
def merge_undo(*, user, merge: MergeRecord):
    """Recreate the merged record as it was and move back everything the merge moved."""
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    _require(user, merge.kind)
    if merge.undone_at is not None:
        raise DomainError(_("This merge has already been undone."))
    model = MODELS[merge.kind]
    survivor = model.objects.select_for_update().filter(pk=merge.survivor_id).first()
    later = MergeRecord.objects.filter(
        kind=merge.kind, undone_at__isnull=True, pk__gt=merge.pk
    ).filter(Q(loser_id=merge.survivor_id) | Q(survivor_id=merge.loser_id))
    if survivor is None or later.exists():
        raise DomainError(
            _("The kept record has since been merged into another one: undo that merge first.")
        )
    if model.objects.filter(pk=merge.loser_id).exists():
        raise DomainError(_("The merged record exists again; nothing to undo."))
    loser = _restore(model, merge.loser_snapshot)
    if merge.kind == "person":
        loser.user_id = None  # the account handler gives it back below
    for field, value in merge.filled.items():
        if _snapshot_value(getattr(survivor, field)) == value:
            setattr(survivor, field, model._meta.get_field(field).get_default() or "")
            if model._meta.get_field(field).null:
                setattr(survivor, field, None)
    try:
        with transaction.atomic():
            survivor.save()
            loser.save(force_insert=True)
    except IntegrityError as exc:
        raise DomainError(
            _(
                "The merged record cannot be put back: another record now has its email "
                "address or Transparency Register ID."
            )
        ) from exc
    fields = merge.loser_snapshot["fields"]
    model.objects.filter(pk=loser.pk).update(
        **{
            name: model._meta.get_field(name).to_python(fields[name])
            for name in ("created_at", "updated_at")
            if fields.get(name)
        }
    )
    for name, ids in merge.loser_snapshot["links"].items():
        related = model._meta.get_field(name).related_model
        getattr(loser, name).set(related.objects.filter(pk__in=ids))
    for handler in reversed(merge_handlers.handlers(merge.kind)):
        if handler.name in merge.moved:
            handler.undo(moved=merge.moved[handler.name], loser=loser, survivor=survivor)
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    for subject in (survivor, loser):
        audit_log(
            actor=user,
            action=f"crm.{merge.kind}.merge_undone",
            subject=subject,
            data={"merge": merge.pk},
        )
    return loser


# --- the CRM's own handlers -----------------------------------------------------------------


class AffiliationMerge:
    """Links to organisations (or people) move; where the survivor already has an open link to
    the same organisation (person), one of the two is closed, so that one open link remains:
    the loser's, unless only it lets the person act for the organisation. Undo reopens it."""

    def __init__(self, side: str):
        self.side = side  # "organisation" or "person": the side being merged
        self.other = "person" if side == "organisation" else "organisation"
        self.handler = MergeHandler(
            name=f"crm.affiliations.{side}",
            label=gettext_lazy("Links between people and organisations"),
            move=self._move,
            undo=self._undo,
            count=lambda *, record: Affiliation.objects.filter(**{side: record}).count(),
            order=10,
        )

    def _open(self):
        return Q(valid_to__isnull=True) & ~Q(status=Affiliation.Status.REFUSED)

    def _move(self, *, loser, survivor):
        rows = list(Affiliation.objects.filter(**{self.side: loser}))
        if not rows:
            return None
        taken = {
            getattr(a, f"{self.other}_id"): a
            for a in Affiliation.objects.filter(self._open(), **{self.side: survivor})
        }
        today = timezone.localdate()
        closed = []
        for affiliation in rows:
            is_open = affiliation.valid_to is None and affiliation.status != "refused"
            theirs = taken.get(getattr(affiliation, f"{self.other}_id"))
            if not is_open or theirs is None:
                continue
            # The link that lets the person act for the organisation is the one kept open.
            weaker = (
                theirs
                if affiliation.is_representative and not theirs.is_representative
                else affiliation
            )
            weaker.valid_to = max(today, weaker.valid_from or today)
            weaker.save(update_fields=["valid_to"])
            closed.append(weaker.pk)
        Affiliation.objects.filter(pk__in=[a.pk for a in rows]).update(**{self.side: survivor})
        return {"moved": [a.pk for a in rows], "closed": closed}

    def _undo(self, *, moved, loser, survivor) -> None:
        Affiliation.objects.filter(pk__in=moved["moved"], **{self.side: survivor}).update(
            **{self.side: loser}
        )
        Affiliation.objects.filter(pk__in=moved["closed"]).update(valid_to=None)


class TagsMerge:
    """The survivor gains the loser's tags (or sectors) it lacked; undo takes them away."""

    def __init__(self, kind: str, name: str, label):
        self.kind, self.name = kind, name
        self.handler = MergeHandler(
            name=f"crm.{name}.{kind}",
            label=label,
            move=self._move,
            undo=self._undo,
            count=lambda *, record: getattr(record, name).count(),
            order=50,
        )

    def _move(self, *, loser, survivor):
        added = sorted(
            set(getattr(loser, self.name).values_list("pk", flat=True))
            - set(getattr(survivor, self.name).values_list("pk", flat=True))
        )
        if not added:
            return None
        getattr(survivor, self.name).add(*added)
        return added

    def _undo(self, *, moved, loser, survivor) -> None:
        getattr(survivor, self.name).remove(*moved)


def _account_move(*, loser, survivor):
    if loser.user_id is None:
        return None
    user_id = loser.user_id
    Person.objects.filter(pk=loser.pk).update(user=None)
    loser.user_id = None
    Person.objects.filter(pk=survivor.pk).update(user_id=user_id)
    survivor.user_id = user_id
    return user_id


def _account_undo(*, moved, loser, survivor) -> None:
    if survivor.user_id == moved:
        Person.objects.filter(pk=survivor.pk).update(user=None)
        survivor.user_id = None
    Person.objects.filter(pk=loser.pk).update(user_id=moved)
    loser.user_id = moved


def _account_conflicts(*, loser, survivor) -> list:
    if loser.user_id and survivor.user_id:
        return [
            _(
                "Both people have a user account: they cannot be merged, as each account "
                "signs in on its own."
            )
        ]
    return []


def _erasure_conflicts(*, loser, survivor) -> list:
    pending = ErasureRequest.objects.filter(
        person__in=[loser, survivor], status=ErasureRequest.Status.PENDING
    )
    if pending.count() > 1:
        return [_("Both people have an erasure request waiting: decide one first.")]
    return []


def register_handlers() -> None:
    merge_handlers.register("organisation", AffiliationMerge("organisation"))
    merge_handlers.register("person", AffiliationMerge("person"))
    for kind in ("organisation", "person"):
        merge_handlers.register(
            kind, ForeignKeyMerge(f"crm.notes.{kind}", gettext_lazy("Notes"), "crm.Note", kind)
        )
        merge_handlers.register(kind, TagsMerge(kind, "tags", gettext_lazy("Tags")))
    merge_handlers.register(
        "organisation", TagsMerge("organisation", "sectors", gettext_lazy("Sectors"))
    )
    merge_handlers.register(
        "person", ForeignKeyMerge("crm.consents", gettext_lazy("Consents"), "crm.Consent", "person")
    )
    merge_handlers.register(
        "person",
        ForeignKeyMerge(
            "crm.erasure_requests",
            gettext_lazy("Erasure requests"),
            "crm.ErasureRequest",
            "person",
            conflicts=_erasure_conflicts,
        ),
    )
    merge_handlers.register(
        "person",
        MergeHandler(
            name="crm.account",
            label=gettext_lazy("User account"),
            move=_account_move,
            undo=_account_undo,
            count=lambda *, record: 1 if record.user_id else 0,
            conflicts=_account_conflicts,
            order=5,
        ),
    )
