"""What other apps show on the CRM's pages.

`pact` and `forums` register panels from their `AppConfig.ready()`; the CRM renders them on an
organisation's or person's record page and on the signed-in user's `/me/` page without
importing those apps (the way pretix plugins add to its pages through signals).

A panel's `context(request, obj)` returns the template context, or None to hide the panel.
For `me` panels `obj` is the signed-in user's Person (possibly None).
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
        self._panels: dict[str, list[Panel]] = {"organisation": [], "person": [], "me": []}

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
class WorkQueue:
    """Work that waits for staff: `waiting()` returns (how many, since when the oldest)."""

    key: str
    label: str
    perm: str
    waiting: Callable
    url_name: str
    order: int = 100


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
