"""The module map of registry/ and web/, read from the code with ast (nothing is imported): which project modules
each module imports, at load time or (lazy=True) anywhere, TYPE_CHECKING blocks left out.

    python -m tests.import_map            # every module on its floor (1 + the highest floor it imports)

tests/test_import_graph.py checks the graph has no cycle."""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("registry", "web")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    # web/node_modules holds npm's packages (one ships a Python file): not ours.
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((REPO / pkg).rglob("*.py"))
            if "node_modules" not in p.parts}


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module loads: top level, or inside top-level if/try blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                pending.extend(handler.body)
    return found


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The project modules one import statement loads (the deepest known module each name resolves to)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        # `from pkg import sub` loads pkg.sub; `from pkg import name` loads pkg itself.
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    out: set[str] = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            out.add(name)
    return out


def _every_import(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, inside functions too, except those under `if TYPE_CHECKING:`."""
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for inner in ast.walk(node)}
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in typing_only]


def import_graph(lazy: bool = False) -> dict[str, set[str]]:
    """Module → the project modules it imports at load time (lazy=True: wherever it imports them)."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in (_every_import(tree) if lazy else _top_level_imports(tree)):
            edges |= _targets(name, is_package, node, known)
        graph[name] = edges - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path a → b → … → a, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def floors(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each module's floor: 1 for one that imports no project module, else 1 + the highest it imports
    (a module in a cycle is put on the floor its cycle reaches first)."""
    found: dict[str, int] = {}

    def floor(name: str, seen: frozenset[str]) -> int:
        if name in found:
            return found[name]
        below = [floor(n, seen | {name}) for n in graph.get(name, ()) if n not in seen | {name}]
        found[name] = 1 + max(below, default=0)
        return found[name]

    for name in sorted(graph):
        floor(name, frozenset())
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles one by one: each found cycle's closing edge is set aside before looking again."""
    graph = {k: set(v) for k, v in graph.items()}
    out: list[list[str]] = []
    while (cycle := find_cycle(graph)) is not None:
        out.append(cycle)
        graph[cycle[-2]].discard(cycle[-1])
    return out


def main() -> None:
    load, lazy = import_graph(), import_graph(lazy=True)
    levels = floors(lazy)
    by_floor: dict[int, list[str]] = defaultdict(list)
    for name, level in levels.items():
        by_floor[level].append(name)
    print(f"{len(load)} modules, {sum(map(len, load.values()))} imports at load time, "
          f"{sum(map(len, lazy.values()))} with those inside functions, {max(levels.values())} floors")
    for kind, graph in (("at load time", load), ("through imports inside functions too", lazy)):
        found = cycles(graph)
        print(f"cycles {kind}: {len(found)}")
        for cycle in found:
            print("  " + " → ".join(cycle))
    for level in sorted(by_floor, reverse=True):
        print(f"floor {level:2d}: " + ", ".join(sorted(by_floor[level])))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
