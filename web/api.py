"""JSON API: /api/geocode (the same placement as `kpr geocode`)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from registry.errors import InvalidFilter
from registry.geocode import Geocoder

bp = Blueprint("api", __name__, url_prefix="/api")


def _number(name: str) -> float | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidFilter(f"{name}={raw!r}: not a number (expected decimal degrees such as 112.55)") from None


@bp.get("/geocode")
def geocode() -> Response:
    text = request.args.get("q", "").strip() or None
    lon, lat = _number("lon"), _number("lat")
    crs = request.args.get("crs", "wgs84")
    if (lon is None) != (lat is None):
        raise InvalidFilter("give both lon and lat")
    # Built on first use in the process, not at start-up (most pages never need it).
    geocoder = Geocoder.from_settings(current_app.config["KPR_SETTINGS"])
    if lon is not None and lat is not None:
        placement = geocoder.geocode_point(lon, lat, crs, text)
    elif text:
        placement = geocoder.geocode_text(text)
    else:
        raise InvalidFilter("give q (a place text) or lon and lat (with crs: wgs84, gcj02 or bd09)")
    return jsonify(placement.to_dict())
