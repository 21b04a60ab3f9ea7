"""Small registries that let apps add to shared pages without the core importing them.

Apps fill them from their `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    section: str  # "main" (everyone), "me" (signed-in users) or "staff" (back office)
    label: str
    url_name: str
    order: int = 100
    perms: tuple = ()
    match: str = ""  # path prefix that marks the item as current; a trailing "$" means exactly
    # Shown only to users for whom this returns True (e.g. people who act for an organisation).
    visible: Callable | None = None


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    demo_seeders: list[tuple[int, str, Callable]] = field(default_factory=list)

    def add_nav(self, item: NavItem):
        if item not in self.nav:
            self.nav.append(item)
            self.nav.sort(key=lambda i: (i.section, i.order))

    def add_demo_seeder(self, order: int, name: str, func: Callable):
        if all(existing != name for _, existing, _ in self.demo_seeders):
            self.demo_seeders.append((order, name, func))
            self.demo_seeders.sort(key=lambda s: s[0])


registry = Registry()
