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
    """

    name: str
    export: Callable
    erase: Callable
    order: int = 100


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
