"""/assets/<package>/<path>: Leaflet and our map script served from installed packages (xstatic-*), so no
page ever asks a CDN. Paths are resolved inside the package folder only (registry.maps.assets)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, send_file

from registry.maps.assets import package_file

bp = Blueprint("assets", __name__)
MAX_AGE = 24 * 3600  # files change only when a package is upgraded


@bp.get("/assets/<package>/<path:path>")
def asset(package: str, path: str) -> Response:
    try:
        target = package_file(package, path)
    except FileNotFoundError:
        abort(404)
    return send_file(target, max_age=MAX_AGE, conditional=True)


def asset_url(package: str, path: str) -> str:
    from flask import url_for

    return url_for("kpr.assets.asset", package=package, path=path)


def draw_assets() -> dict[str, str]:
    """Leaflet.draw (npm package) for drawing lines and polygons when placing a project."""
    return {"js": asset_url("leaflet-draw", "leaflet.draw.js"), "css": asset_url("leaflet-draw", "leaflet.draw.css")}
