"""Records that cross module boundaries are defined once, in registry/records.py (issue 15): a module that
passes a ProjectInput or a PlacementSpec along imports the record, not the service that made it."""
from __future__ import annotations

from registry import records
from tests.test_import_graph import import_graph

CROSSING = ("ProjectInput", "SourceInput", "PlacementSpec", "Placement", "ApplyReport", "ProjectRow",
            "LocationRow", "ProgressRow", "SourceRef")


def test_crossing_records_are_defined_in_records() -> None:
    for name in CROSSING:
        assert getattr(records, name).__module__ == "registry.records", name


def test_the_geocoder_needs_no_write_service() -> None:
    graph = import_graph()
    for module in ("registry.geocode.service", "registry.geocode", "registry.validate"):
        assert not graph[module] & {"registry.upsert", "registry.editing", "registry.importer.run"}, module
    assert "registry.validate" not in graph["registry.geocode.service"]
    # records sit below the services: they never import one.
    assert not graph["registry.records"] & {"registry.upsert", "registry.validate", "registry.geocode.service"}
