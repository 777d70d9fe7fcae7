"""No module cycle inside an app: a module never imports, through others of its app, a
module that imports it back. import-linter keeps the apps' layers (pyproject.toml); this
keeps each app's modules one way too. Imports inside functions count: a lazy import still
ties two modules together."""

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return sorted(found)


def test_no_module_cycle_inside_an_app():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    found = {}
    for app in APPS:
        modules = {app} | graph.find_descendants(app)
        modules = {m for m in modules if ".migrations" not in m}
        if groups := cycles(graph, modules):
            found[app] = groups
    assert not found, f"import cycles: {found}"


def test_the_check_sees_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.c"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.a")
    graph.add_import(importer="app.c", imported="app.a")
    assert cycles(graph, {"app", "app.a", "app.b", "app.c"}) == [["app.a", "app.b"]]
