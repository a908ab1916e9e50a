"""The web adapter is flat: create_app registers every blueprint itself (none nested inside another), the
endpoint names templates use keep working, and no web module imports another module's private helper."""
from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from flask import Blueprint

from registry.config import Settings
from web import create_app

WEB = Path(__file__).resolve().parents[1] / "web"


def _app_blueprints() -> dict[str, Blueprint]:
    app = create_app(replace(Settings.from_env({}), database_url="sqlite://"), {"TESTING": True})
    return dict(app.blueprints)  # type: ignore[arg-type]


def test_no_blueprint_nests_another() -> None:
    blueprints = _app_blueprints()
    assert {"kpr", "kpr.maps", "kpr.assets", "exchange", "guards", "i18n"} <= set(blueprints)
    nested = {name: [child.name for child, _ in bp._blueprints] for name, bp in blueprints.items() if bp._blueprints}
    assert not nested, nested


def test_template_endpoint_names_resolve() -> None:
    app = create_app(replace(Settings.from_env({}), database_url="sqlite://"), {"TESTING": True})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    used = {"kpr.maps.map_page", "kpr.maps.data_json", "kpr.maps.base_json", "kpr.assets.asset",
            "kpr.projects_page", "kpr.project_page", "exchange.projects_xlsx", "stats.stats_page"}
    assert used <= endpoints, sorted(used - endpoints)


def test_no_web_module_imports_a_private_name_from_another() -> None:
    offenders = []
    for path in sorted(WEB.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("web"):
                offenders += [f"{path.name}: from {node.module} import {a.name}"
                              for a in node.names if a.name.startswith("_") and a.name != "__future__"]
    assert not offenders, offenders
