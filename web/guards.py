"""Refuse, before any view runs, input that no database can take: a NUL byte anywhere in the path or the
query makes PostgreSQL raise (a 500) where SQLite would just find nothing."""
from __future__ import annotations

from flask import Blueprint, request

from registry.errors import BadFilterValue

bp = Blueprint("guards", __name__)


@bp.before_app_request
def _no_nul() -> None:
    if request.endpoint in ("kpr.projects_page", "kpr.maps.map_page"):
        return  # these pages drop the value, say which it was and keep the form (filterform.forgiving)
    if "\x00" in request.path:
        raise BadFilterValue("网址含有空字符（NUL byte），无法查询 (the URL contains a NUL byte)", "path", request.path)
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            raise BadFilterValue(f"参数 {key!r} 含有空字符（NUL byte），无法查询 ({key}: NUL byte not allowed)",
                                 key, value)
