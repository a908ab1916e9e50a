"""Response compression (Flask-Compress): the data twins and static assets go gzip/brotli on the wire.

HTML pages are left uncompressed on purpose: they carry the CSRF token beside text a visitor can steer (the
filter echoed back), the pattern BREACH exploits; the pages are small, the map data and exports are not.
Downloads (CSV, spreadsheets) and streamed responses stay uncompressed: a 100,000-row export compressed per
request would hold a worker for seconds. The map data is compressed once per data stamp (web/maps.py)."""
from __future__ import annotations

from flask import Flask
from flask_compress import Compress

COMPRESSED_TYPES = [
    "application/json",
    "application/geo+json",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)
