"""One database session per request, closed at teardown; the request commits where it writes."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def get_session() -> Session:
    if "kpr_session" not in g:
        g.kpr_session = current_app.extensions["kpr_sessions"]()
    return g.kpr_session


def _close(_exc: BaseException | None) -> None:
    session = g.pop("kpr_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
