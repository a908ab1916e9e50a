"""Response compression (Flask-Compress): the data twins and static assets go gzip/brotli on the wire.

HTML pages are left uncompressed on purpose: they carry the CSRF token beside text a visitor can steer (the
filter echoed back), the pattern BREACH exploits; the pages are small, the map data and exports are not.
Downloads (CSV, spreadsheets) and streamed responses stay uncompressed: a 100,000-row export compressed per
request would hold a worker for seconds. The map data and /projects.json pages are compressed once, when they
are cached for a data stamp (Packed), not on every response."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import brotli
from flask import Flask, Response, request
from flask_compress import Compress
from werkzeug.wrappers import Response as WerkzeugResponse

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


@dataclass(frozen=True)
class Packed:
    """A large JSON body compressed once when it is cached, not on every response: brotli over 10 MB costs
    more than building it from the cache, and sync workers would queue behind it."""

    raw: bytes
    br: bytes
    etag: str

    @classmethod
    def of(cls, raw: bytes) -> Packed:
        return cls(raw, brotli.compress(raw, quality=5), hashlib.sha1(raw).hexdigest())


def packed_response(packed: Packed) -> WerkzeugResponse:
    wants_br = "br" in (request.headers.get("Accept-Encoding") or "")
    resp = Response(packed.br if wants_br else packed.raw, mimetype="application/json")
    if wants_br:
        resp.headers["Content-Encoding"] = "br"  # Flask-Compress leaves an encoded body alone
    resp.vary.add("Accept-Encoding")
    resp.set_etag(packed.etag + ("-br" if wants_br else ""))
    resp.cache_control.max_age = 0
    return resp.make_conditional(request)
