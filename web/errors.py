"""The registry's error hierarchy translated to HTTP in one place: JSON for data twins, HTML for pages."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request

from registry.errors import KprError


def _wants_json() -> bool:
    return request.path.endswith((".json", ".geojson")) or request.path.startswith("/api/")


def handle_kpr_error(exc: KprError) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(error=exc.code, message=exc.message), exc.status
    return render_template("error.html", error=exc), exc.status


def init_app(app: Flask) -> None:
    app.register_error_handler(KprError, handle_kpr_error)
