"""The registry's error hierarchy translated to HTTP in one place: JSON for data twins, HTML for pages."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy.orm.exc import StaleDataError

from registry.errors import KprError, as_kpr_error


def _wants_json() -> bool:
    return request.path.endswith((".json", ".geojson")) or request.path.startswith("/api/")


def handle_kpr_error(exc: KprError) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(error=exc.code, message=exc.message), exc.status
    return render_template("error.html", error=exc), exc.status


def handle_stale_data(exc: StaleDataError) -> tuple[Response | str, int]:
    # A save that lost the optimistic-locking race anywhere (not only in the edit form): 409, never 500.
    error = as_kpr_error(exc)
    assert error is not None  # as_kpr_error maps every StaleDataError
    return handle_kpr_error(error)


def init_app(app: Flask) -> None:
    app.register_error_handler(KprError, handle_kpr_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
