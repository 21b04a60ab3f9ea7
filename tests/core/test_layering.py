"""Imports point one way: core knows no app; crm builds on core; pact and forums build on crm
and do not know each other; nothing imports reports but the URL configuration."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"core", "crm", "pact", "forums", "reports"}
FORBIDDEN = {
    "core": {"crm", "pact", "forums", "reports"},
    "crm": {"pact", "forums", "reports"},
    "pact": {"forums", "reports"},
    "forums": {"pact", "reports"},
    "reports": set(),
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & APPS
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_the_layers_below_it(app):
    crossings = []
    for path in (ROOT / app).rglob("*.py"):
        bad = _imported_apps(path) & FORBIDDEN[app]
        if bad:
            crossings.append((str(path.relative_to(ROOT)), sorted(bad)))
    assert crossings == []


def test_only_the_url_configuration_imports_reports():
    importers = []
    for app in APPS - {"reports"}:
        for path in (ROOT / app).rglob("*.py"):
            if "reports" in _imported_apps(path):
                importers.append(str(path.relative_to(ROOT)))
    assert importers == []
