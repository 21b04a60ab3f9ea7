"""What other apps show on the CRM's pages.

`pact` and `forums` register panels from their `AppConfig.ready()`; the CRM renders them on an
organisation's or person's record page and on the signed-in user's `/me/` page without
importing those apps (the way pretix plugins add to its pages through signals).

A panel's `context(request, obj)` returns the template context, or None to hide the panel.
For `me` panels `obj` is the signed-in user's Person (possibly None). `dashboard` panels are
sections of the back office's home (`/crm/`) and get `obj=None`; their context lists each
figure as `{"label", "count", "url"}` under "figures", the link opening the list that counts
the same items (a test holds every figure to it).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    template: str
    context: Callable
    order: int = 100


class PanelRegistry:
    def __init__(self):
        self._panels: dict[str, list[Panel]] = {
            "organisation": [],
            "person": [],
            "me": [],
            "dashboard": [],
        }

    def register(self, page: str, panel: Panel):
        panels = self._panels[page]
        if all(p.name != panel.name for p in panels):
            panels.append(panel)
            panels.sort(key=lambda p: p.order)

    def render_list(self, page: str, request, obj) -> list[dict]:
        rendered = []
        for panel in self._panels[page]:
            context = panel.context(request, obj)
            if context is not None:
                rendered.append({"panel": panel, "context": context})
        return rendered


panels = PanelRegistry()


@dataclass(frozen=True)
class PersonDataPart:
    """One app's share of a person's data, for the data-subject rights.

    `export(person=...)` returns what the app holds about the person (JSON-serialisable).
    `erase(person=..., actor=...)` anonymises the app's own records of the person in place,
    keeping the records that figures count, and returns how many records it changed per kind
    (numbers only: the result goes into the audit trail).
    `covers` names the relations to a person or an account ("app.Model.field") whose records
    the part exports and erases; a test holds every such relation in the project to a part
    or to its list of relations that hold no personal data of the person.
    """

    name: str
    export: Callable
    erase: Callable
    order: int = 100
    covers: tuple[str, ...] = ()


class PersonDataRegistry:
    def __init__(self):
        self._parts: list[PersonDataPart] = []

    def register(self, part: PersonDataPart):
        if all(p.name != part.name for p in self._parts):
            self._parts.append(part)
            self._parts.sort(key=lambda p: (p.order, p.name))

    @property
    def parts(self) -> list[PersonDataPart]:
        return list(self._parts)

    def export(self, *, person) -> dict:
        return {part.name: part.export(person=person) for part in self._parts}

    def erase(self, *, person, actor) -> dict[str, dict[str, int]]:
        # The CRM's own part (the person and the account) registers last, so the other apps
        # still find the person's email and account while they anonymise their records.
        return {part.name: part.erase(person=person, actor=actor) for part in self._parts}


person_data = PersonDataRegistry()


@dataclass(frozen=True)
class WorkQueue:
    """Work that waits for staff: `waiting()` returns (how many, since when the oldest);
    `url_name` (with `url_query`, when the list shows more than the waiting items by default)
    opens the list of exactly those items."""

    key: str
    label: str
    perm: str
    waiting: Callable
    url_name: str
    order: int = 100
    url_query: str = ""

    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name) + (f"?{self.url_query}" if self.url_query else "")


class WorkQueueRegistry:
    def __init__(self):
        self._queues: dict[str, WorkQueue] = {}

    def register(self, queue: WorkQueue) -> None:
        self._queues[queue.key] = queue

    def get(self, key: str) -> WorkQueue | None:
        return self._queues.get(key)

    def for_user(self, user) -> list[WorkQueue]:
        return sorted(
            (q for q in self._queues.values() if user.has_perm(q.perm)), key=lambda q: q.order
        )


work_queues = WorkQueueRegistry()


@dataclass(frozen=True)
class MergeHandler:
    """How one kind of record that points to a CRM organisation or person follows a merge.

    `move(loser=..., survivor=...)` re-points the loser's records to the survivor and returns
    what it moved as JSON (kept with the merge, None when nothing moved);
    `undo(moved=..., loser=..., survivor=...)` puts them back from that JSON;
    `count(record=...)` says how many records the record has, for the merge preview;
    `conflicts(loser=..., survivor=...)` lists the reasons the two cannot be merged yet
    (e.g. both have an active pledge), in words for staff.
    """

    name: str
    label: str
    move: Callable
    undo: Callable
    count: Callable
    conflicts: Callable | None = None
    order: int = 100


class ForeignKeyMerge:
    """The usual handler: every row of `model` whose `field` points to the loser now points to
    the survivor. `conflicts` (optional) refuses the merge in words, e.g. when a unique rule
    would be broken; `skip(loser, survivor)` (optional) returns a queryset of the loser's rows
    that the survivor already has an equivalent of: they are deleted on merge and recreated on
    undo, from their stored field values."""

    def __init__(self, name, label, model: str, field: str, *, conflicts=None, order=100):
        self.handler = MergeHandler(
            name=name,
            label=label,
            move=self._move,
            undo=self._undo,
            count=self._count,
            conflicts=conflicts,
            order=order,
        )
        self.model_label = model
        self.field = field

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def _count(self, *, record) -> int:
        return self.model._default_manager.filter(**{self.field: record}).count()

    def _move(self, *, loser, survivor):
        rows = self.model._default_manager.filter(**{self.field: loser})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            return None
        self.model._default_manager.filter(pk__in=pks).update(**{self.field: survivor})
        return pks

    def _undo(self, *, moved, loser, survivor) -> None:
        self.model._default_manager.filter(pk__in=moved, **{self.field: survivor}).update(
            **{self.field: loser}
        )


class MergeRegistry:
    def __init__(self):
        self._handlers: dict[str, list[MergeHandler]] = {"organisation": [], "person": []}

    def register(self, kind: str, handler: "MergeHandler | ForeignKeyMerge") -> None:
        handler = getattr(handler, "handler", handler)
        handlers = self._handlers[kind]
        if all(h.name != handler.name for h in handlers):
            handlers.append(handler)
            handlers.sort(key=lambda h: (h.order, h.name))

    def handlers(self, kind: str) -> list[MergeHandler]:
        return list(self._handlers[kind])

    def get(self, kind: str, name: str) -> MergeHandler | None:
        return next((h for h in self._handlers[kind] if h.name == name), None)


merge_handlers = MergeRegistry()


@dataclass(frozen=True)
class ListFilter:
    """A filter another app adds to the CRM's organisation or people list.

    `choices()` returns [(value, label)] (read when the list is shown); `apply(queryset, value)`
    narrows the queryset of organisations or people to the chosen value. The CSV export and
    the bulk actions use the same filters, so they act on exactly the list on screen.
    """

    name: str
    label: str
    choices: Callable
    apply: Callable
    order: int = 100


class ListFilterRegistry:
    def __init__(self):
        self._filters: dict[str, list[ListFilter]] = {"organisation": [], "person": []}

    def register(self, kind: str, list_filter: ListFilter) -> None:
        filters = self._filters[kind]
        if all(f.name != list_filter.name for f in filters):
            filters.append(list_filter)
            filters.sort(key=lambda f: (f.order, f.name))

    def for_list(self, kind: str) -> list[ListFilter]:
        return list(self._filters[kind])


list_filters = ListFilterRegistry()


@dataclass(frozen=True)
class BulkAction:
    """An action another app offers on ticked people or organisations in the CRM's lists.

    `targets(user)` returns [(value, label)] to choose from (e.g. upcoming events), or an empty
    list when the user may not use the action; `run(user=..., target=..., records=[...])`
    carries it out and returns a message for staff. It raises `DomainError` to refuse.
    """

    name: str
    label: str
    target_label: str
    targets: Callable
    run: Callable
    perm: str
    order: int = 100


class BulkActionRegistry:
    def __init__(self):
        self._actions: dict[str, list[BulkAction]] = {"organisation": [], "person": []}

    def register(self, kind: str, action: BulkAction) -> None:
        actions = self._actions[kind]
        if all(a.name != action.name for a in actions):
            actions.append(action)
            actions.sort(key=lambda a: (a.order, a.name))

    def for_user(self, kind: str, user) -> list[BulkAction]:
        return [a for a in self._actions[kind] if user.has_perm(a.perm)]

    def get(self, kind: str, name: str) -> BulkAction | None:
        return next((a for a in self._actions[kind] if a.name == name), None)


bulk_actions = BulkActionRegistry()


class OrganisationChangeRegistry:
    """Apps that keep something derived from organisations (the AI Pact's cached public
    figures) hear of changes the CRM makes in bulk, without `save()` and so without Django's
    signals (the Transparency Register refresh). Each listener gets the changed ids."""

    def __init__(self):
        self._listeners: list[Callable] = []

    def register(self, listener: Callable) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def notify(self, organisation_ids) -> None:
        ids = list(organisation_ids)
        if ids:
            for listener in self._listeners:
                listener(ids)


organisation_changes = OrganisationChangeRegistry()


@dataclass(frozen=True)
class MailingSegment:
    """A group of people staff may write to, offered by the app that knows it (pledgers whose
    progress report is overdue, the members of a body, the registrants of an event...).

    `choices()` returns [(value, label)] when the segment needs one (which body, which event),
    or None; `people(value)` returns a queryset of the CRM's people in it; `perm` is what a
    staff member needs to write to them."""

    key: str
    label: str
    perm: str
    people: Callable
    choices: Callable | None = None
    order: int = 100


class MailingSegmentRegistry:
    def __init__(self):
        self._segments: dict[str, MailingSegment] = {}

    def register(self, segment: MailingSegment) -> None:
        self._segments[segment.key] = segment

    def get(self, key: str) -> MailingSegment | None:
        return self._segments.get(key)

    def for_user(self, user) -> list[MailingSegment]:
        return sorted(
            (s for s in self._segments.values() if user.has_perm(s.perm)),
            key=lambda s: (s.order, s.key),
        )


mailing_segments = MailingSegmentRegistry()
