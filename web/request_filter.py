"""The request → ProjectFilter step, written once for every view (list, map, data twins, exports, print,
stats): the query string's parameters, all values of each, handed to the core's one parser."""
from __future__ import annotations

from flask import request
from werkzeug.datastructures import MultiDict

from registry.queries import ProjectFilter


def request_filter(args: MultiDict[str, str] | None = None) -> ProjectFilter:
    """The filter these query arguments ask for (default: the current request's)."""
    return ProjectFilter.from_params((request.args if args is None else args).to_dict(flat=False))
