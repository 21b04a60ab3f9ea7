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


@dataclass(frozen=True)
class RetentionKind:
    """A kind of personal data with a retention period (`settings.RETENTION_DAYS[name]`).

    `purge(before=..., now=...)` deletes or anonymises what is older than `before` and returns
    how many records it handled.
    """

    name: str
    label: str
    purge: Callable
    order: int = 100


@dataclass(frozen=True)
class AccessRule:
    """A page or download that shows personal data, logged after it answers (by URL name).

    `describe(request, **url_kwargs)` returns the keyword arguments of `core.privacy.log_access`
    (subject_type, subject_id, person_ids, description) or None to log nothing.
    """

    view_name: str
    action: str
    describe: Callable
    methods: tuple = ("GET",)


@dataclass(frozen=True)
class LanguageHook:
    """Another record of a person's language (the CRM's person record): `read(user)` returns
    the language it holds for the user (or None), `write(user, language)` records a new one."""

    name: str
    read: Callable
    write: Callable


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    demo_seeders: list[tuple[int, str, Callable]] = field(default_factory=list)
    retention_kinds: list[RetentionKind] = field(default_factory=list)
    access_rules: dict[str, AccessRule] = field(default_factory=dict)
    language_hooks: list[LanguageHook] = field(default_factory=list)

    def add_nav(self, item: NavItem):
        if item not in self.nav:
            self.nav.append(item)
            self.nav.sort(key=lambda i: (i.section, i.order))

    def add_demo_seeder(self, order: int, name: str, func: Callable):
        if all(existing != name for _, existing, _ in self.demo_seeders):
            self.demo_seeders.append((order, name, func))
            self.demo_seeders.sort(key=lambda s: s[0])

    def add_retention_kind(self, kind: RetentionKind):
        if all(existing.name != kind.name for existing in self.retention_kinds):
            self.retention_kinds.append(kind)
            self.retention_kinds.sort(key=lambda k: (k.order, k.name))

    def add_access_rule(self, rule: AccessRule):
        self.access_rules.setdefault(rule.view_name, rule)

    def add_language_hook(self, hook: LanguageHook):
        if all(existing.name != hook.name for existing in self.language_hooks):
            self.language_hooks.append(hook)


registry = Registry()
