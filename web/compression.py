"""Response compression (Flask-Compress): the data twins and static assets go gzip/brotli on the wire.

HTML pages are left uncompressed on purpose: they carry the CSRF token beside text a visitor can steer (the
filter echoed back), the pattern BREACH exploits; the pages are small, the map data and exports are not.
Streamed responses (long exports) stay uncompressed so they start at once and keep their progress."""
from __future__ import annotations

from flask import Flask
from flask_compress import Compress

COMPRESSED_TYPES = [
    "application/json",
    "application/geo+json",
    "text/csv",
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
