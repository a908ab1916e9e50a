"""Thin Flask adapter over the `registry` core: request → ProjectFilter → rows → HTML or data twins."""
from __future__ import annotations

from typing import Any

from flask import Flask

from registry.config import Settings
from registry.db import make_engine, make_session_factory
from registry.facetindex import IndexCache
from registry.stampcache import StampedCache
from web.templatecode import TEMPLATE_CODE


def create_app(settings: Settings | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """App factory: nothing (engine, config, app) is created at import time."""
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": TEMPLATE_CODE}  # before jinja_env is made
    settings = settings or Settings.from_env()
    app.config.update(KPR_SETTINGS=settings, JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    engine = make_engine(settings.database_url)
    app.extensions["kpr_engine"] = engine
    app.extensions["kpr_sessions"] = make_session_factory(engine, settings)
    # Every cache is keyed on the data stamp and owns its lock; made here so each app has its own.
    app.extensions["kpr_facet_index"] = IndexCache()
    app.extensions["kpr_map_data"] = StampedCache(size=16)  # /map/data.json bodies, per filter
    app.extensions["kpr_json_pages"] = StampedCache(size=64)  # /projects.json bodies, per filter and page
    app.extensions["kpr_list_pages"] = StampedCache(size=256)  # the list page's main part, per query
    app.extensions["kpr_map_base"] = StampedCache(size=4)  # /map/base.json, per CRS
    app.extensions["kpr_list_static"] = StampedCache(size=1)  # vocabulary, months, shown rows (web/listcache.py)
    app.extensions["kpr_anchors"] = StampedCache(size=1)  # the points zones and districts are drawn at

    # Imported here so that importing `web` alone configures nothing.
    from web import (
        api,
        assets,
        auth,
        compression,
        edit,
        errors,
        exchange,
        guards,
        i18n,
        maps,
        printview,
        review,
        security,
        session,
        stats,
        views,
    )

    session.init_app(app)
    compression.init_app(app)
    errors.init_app(app)
    security.init_app(app, settings)
    auth.init_app(app)
    # Every blueprint is registered here, none inside another (auth.init_app registers its own first, so the
    # login view can be wrapped by the rate limiter before any request). The map pages and assets keep their endpoint
    # names under "kpr." (templates and tests say url_for('kpr.maps.map_page')): registered as "kpr.maps".
    for blueprint in (views.bp, exchange.bp, api.bp, edit.bp, review.bp, printview.bp, stats.bp, guards.bp,
                      i18n.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(maps.bp, name="kpr.maps")
    app.register_blueprint(assets.bp, name="kpr.assets")
    return app
