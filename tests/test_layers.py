"""Layers: core knows no conference, lower apps never import higher ones, no app imports another app's
views, and no two modules import each other at load time (import loops)."""

from __future__ import annotations

import ast
from pathlib import Path

import majlis

ROOT = Path(majlis.__file__).parent
# Lowest first: an app may import the ones before it, never those after it.
LAYERS = ["core", "events", "programme", "accreditation", "badges", "gates"]
# The project package itself (settings, urls, api, cli) composes every app: it sits above them all.


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        parts = ["majlis", *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = ast.parse(path.read_text(), filename=str(path))
    return found


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str, tree: ast.Module, *, top_level_only: bool) -> list[tuple[int, str]]:
    is_package = (ROOT / Path(*module.split(".")[1:]) / "__init__.py").exists() if module != "majlis" else True
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, node, is_package)
            found.append((node.lineno, target))
            # ``from . import views`` imports a module too.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("majlis.")]


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else ""


def test_no_app_imports_a_higher_layer_or_another_apps_views():
    tree_of = modules()
    problems = []
    for module, tree in tree_of.items():
        app = app_of(module)
        if app not in LAYERS:
            continue
        for line, target in imports(module, tree, top_level_only=False):
            target_app = app_of(target)
            if target_app in LAYERS and LAYERS.index(target_app) > LAYERS.index(app):
                problems.append(f"{module}:{line} imports {target} (a higher layer)")
            parts = target.split(".")
            if target_app in LAYERS and target_app != app and len(parts) > 2 and parts[2].startswith("views"):
                problems.append(f"{module}:{line} imports {target} (another app's views)")
    assert problems == []


def test_no_import_loops_at_load_time():
    tree_of = modules()
    graph = {
        module: {target for _line, target in imports(module, tree, top_level_only=True) if target in tree_of}
        for module, tree in tree_of.items()
    }
    # A package importing its own submodules (``services/__init__``) is not a loop.
    for module in graph:
        graph[module] = {target for target in graph[module] if not target.startswith(module + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    assert loops == []


def test_the_layer_test_sees_a_violation():
    """The checks above are not vacuous: a made-up upward import and a made-up loop are caught."""
    tree = ast.parse("from majlis.accreditation.models import Application\n")
    assert imports("majlis.core.example", tree, top_level_only=True) == [
        (1, "majlis.accreditation.models"),
        (1, "majlis.accreditation.models.Application"),
    ]
    assert app_of("majlis.accreditation.models") == "accreditation" and app_of("majlis.core.audit") == "core"
