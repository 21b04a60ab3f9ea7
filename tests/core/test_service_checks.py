"""Every service that acts for a user checks who is asking, not only the view that calls it
(defence in depth). The check is read from the source: a public service taking `user` must call
a permission check (`require_staff`, a module's `_require...`) or another service of its module
that does. Services that only act on the asking user's own records are listed with the reason;
a new service that fits neither fails here until it checks or is listed. Behavioural tests of
the checks live with each app (e.g. tests/forums/test_service_permissions.py)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MODULES = [
    "crm/services.py",
    "crm/merge.py",
    "crm/imports.py",
    "crm/register_refresh.py",
    "crm/dedupe.py",
    "crm/alerts.py",
    "crm/privacy.py",
    "pact/services.py",
    "reports/services.py",
    *sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "forums" / "services").glob("*.py")
        if path.name != "__init__.py"
    ),
]

# Services scoped to the asking user by construction: they read or change only that user's own
# records, so there is nobody else to check for.
OWN_RECORDS_ONLY = {
    "crm/services.py:person_ensure_for_user": "the signed-in user's own person record",
    "crm/services.py:person_update_profile": "changes the signed-in user's own profile",
    "crm/services.py:erasure_request_create": "the signed-in person asks about their own data",
    "crm/services.py:person_data_export": "exports the signed-in user's own data",
    "crm/services.py:consent_withdraw_own": "selects the consent by person__user=user",
    "crm/privacy.py:erase_account": "called by the erasure service after its own check",
    "forums/services/declarations.py:declaration_file": "files the signed-in person's own "
    "declaration",
}


def _calls(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Name):
                names.add(target.id)
            elif isinstance(target, ast.Attribute):
                names.add(target.attr)
        elif isinstance(node, ast.Raise) and "PermissionDenied" in ast.unparse(node):
            names.add("PermissionDenied")
    return names


def _is_check(name: str) -> bool:
    checks = {"require_staff", "PermissionDenied", "user_can_act_for"}
    return name in checks or name.lstrip("_").startswith("require")


def _unchecked_services(module: str, root: Path = ROOT) -> list[str]:
    tree = ast.parse((root / module).read_text())
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    calls = {name: _calls(node) for name, node in functions.items()}
    checked = {name for name, called in calls.items() if any(_is_check(c) for c in called)}
    # A function that calls a checked function of the same module is checked too.
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in checked and called & checked:
                checked.add(name)
                changed = True
    unchecked = []
    for name, node in functions.items():
        arguments = {a.arg for a in node.args.args + node.args.kwonlyargs}
        if name.startswith("_") or "user" not in arguments or name in checked:
            continue
        if f"{module}:{name}" not in OWN_RECORDS_ONLY:
            unchecked.append(name)
    return unchecked


@pytest.mark.parametrize("module", MODULES)
def test_every_service_acting_for_a_user_checks_who_is_asking(module):
    assert _unchecked_services(module) == []


def test_the_own_records_list_names_services_that_exist():
    for entry in OWN_RECORDS_ONLY:
        module, name = entry.split(":")
        tree = ast.parse((ROOT / module).read_text())
        assert name in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}, entry


def test_the_check_finds_a_service_that_forgets_to_check(tmp_path):
    source = (
        "def _require_owner(user):\n    pass\n\n"
        "def checked(*, user):\n    _require_owner(user)\n\n"
        "def delegating(*, user):\n    return checked(user=user)\n\n"
        "def forgetful(*, user, thing):\n    thing.delete()\n"
    )
    (tmp_path / "services.py").write_text(source)
    assert _unchecked_services("services.py", root=tmp_path) == ["forgetful"]
