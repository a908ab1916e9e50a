"""Thin Flask adapter over the `registry` core: request → ProjectFilter → rows → HTML or data twins."""
from __future__ import annotations

from typing import Any

from flask import Flask

from registry.config import Settings
from registry.db import make_engine, make_session_factory
from registry.facetindex import IndexCache


def create_app(settings: Settings | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """App factory: nothing (engine, config, app) is created at import time."""
    app = Flask(__name__)
    settings = settings or Settings.from_env()
    app.config.update(KPR_SETTINGS=settings, JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    engine = make_engine(settings.database_url)
    app.extensions["kpr_engine"] = engine
    app.extensions["kpr_sessions"] = make_session_factory(engine)
    app.extensions["kpr_facet_index"] = IndexCache()

    # Imported here so that importing `web` alone configures nothing.
    from web import api, errors, exchange, printview, session, stats, views

    session.init_app(app)
    errors.init_app(app)
    for blueprint in (views.bp, exchange.bp, api.bp, printview.bp, stats.bp):
        app.register_blueprint(blueprint)
    return app
