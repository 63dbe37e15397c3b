"""The house (issue 9): ``gongkai.core`` is the ground floor and imports no other app;
``accounts`` (organisation, people, roles) stands on it; the business apps stand on both and read
each other only through ``selectors``. No module imports, however indirectly, itself.

The contract is read from the AST of every module, imports inside functions included (they used
to hide three cycles); ``if TYPE_CHECKING:`` blocks are exempt (they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gongkai"
FOUNDATION = {"core": set(), "accounts": {"core"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import that runs, resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")
                    parent = parent[: len(parent) - child.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                found.append((child.lineno, base))
                # ``from gongkai.catalog import search`` imports the module gongkai.catalog.search
                found.extend((child.lineno, f"{base}.{alias.name}") for alias in child.names)
            visit(child)

    visit(tree)
    return found


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


MODULES = all_modules()


def internal_imports() -> dict[str, set[tuple[int, str]]]:
    graph: dict[str, set[tuple[int, str]]] = {}
    for name, path in MODULES.items():
        graph[name] = {(line, target) for line, target in imports_of(path) if target in MODULES and target != name}
    return graph


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layering_violations(graph: dict[str, set[tuple[int, str]]]) -> list[str]:
    problems = []
    for source, targets in graph.items():
        source_app = app_of(source)
        if source_app is None:
            continue
        for line, target in sorted(targets):
            target_app = app_of(target)
            if target_app is None or target_app == source_app:
                continue
            if source_app in FOUNDATION:
                if target_app not in FOUNDATION[source_app]:
                    problems.append(
                        f"{source}:{line} imports {target} (the {source_app} floor imports only lower floors)"
                    )
            elif target_app in FOUNDATION:
                continue
            elif target != f"gongkai.{target_app}.selectors" and target != f"gongkai.{target_app}":
                problems.append(f"{source}:{line} imports {target} (another business app: only its selectors)")
    return problems


def cycles(graph: dict[str, set[tuple[int, str]]]) -> list[list[str]]:
    """Every strongly connected group of modules larger than one (Tarjan)."""
    edges = {source: {target for _line, target in targets} for source, targets in graph.items()}
    # A package's __init__ that imports nothing is not an edge source; ``from pkg import mod``
    # names pkg too, which would tie every submodule to its package: ignore package nodes.
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    edges = {s: {t for t in ts if t not in packages} for s, ts in edges.items() if s not in packages}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strongconnect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                strongconnect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            strongconnect(node)
    return found


def test_every_floor_imports_only_the_floors_below():
    assert layering_violations(internal_imports()) == []


def test_no_module_imports_itself_through_others():
    assert cycles(internal_imports()) == []


@pytest.mark.parametrize(
    ("source", "target", "broken"),
    [
        ("gongkai.core.audit", "gongkai.accounts.models", True),
        ("gongkai.accounts.models", "gongkai.core.models", False),
        ("gongkai.catalog.views", "gongkai.applications.services", True),
        ("gongkai.catalog.views", "gongkai.applications.selectors", False),
    ],
)
def test_the_contract_catches_an_upward_or_sideways_import(source, target, broken):
    graph = {source: {(1, target)}}
    assert bool(layering_violations(graph)) is broken


def test_the_contract_catches_a_cycle_and_names_it():
    graph = {"gongkai.catalog.a": {(1, "gongkai.catalog.b")}, "gongkai.catalog.b": {(3, "gongkai.catalog.a")}}
    assert cycles(graph) == [["gongkai.catalog.a", "gongkai.catalog.b"]]


def test_function_local_imports_count(tmp_path):
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import gongkai.accounts.models\n"
        "def f():\n    from gongkai.accounts import models\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = imports_of(source)
    finally:
        ROOT = saved
    assert (5, "gongkai.accounts.models") in found
    assert all(line != 3 for line, _ in found)
