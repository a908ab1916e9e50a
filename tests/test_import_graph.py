"""No import cycles in registry/ and web/ (tests/import_map.py reads the graph with ast): neither among the imports
that run when a module loads, nor once the imports inside functions are added (a lazy import hides a cycle, it
does not remove it)."""
from __future__ import annotations

from tests.import_map import cycles, find_cycle, floors, import_graph


def test_the_graph_is_read() -> None:
    graph = import_graph()
    # Known edges, so an empty or mis-resolved graph cannot pass the acyclic check below.
    assert "registry.config" in graph["registry.db"] and "registry.stamp" in graph["registry.db"]
    assert "registry.config" in graph["web"] and "registry.models" in graph["registry.users"]


def test_find_cycle_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_models_stand_alone() -> None:
    # The old circle db → stamp → models → db was hidden by an import inside a function; Base now lives with
    # the models, so the models need neither the engine module nor anything that imports it.
    graph = import_graph()
    assert "registry.db" not in graph["registry.models"]
    assert "registry.models" in graph["registry.stamp"]


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_cycle_hides_behind_an_import_inside_a_function() -> None:
    graph = import_graph(lazy=True)
    # A known lazy edge (`kpr seed` loads the seeding only when it runs), so the lazy graph is really read.
    assert "registry.seeding" in graph["registry.cli.seed"]
    assert "registry.seeding" not in import_graph()["registry.cli.seed"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle through an import inside a function: " + " → ".join(cycle or [])


def test_floors_put_a_module_above_what_it_imports() -> None:
    graph = {"web": {"queries"}, "queries": {"models"}, "models": set()}
    assert floors(graph) == {"models": 1, "queries": 2, "web": 3}
    assert cycles({"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}) == [["a", "b", "a"], ["b", "c", "b"]]
