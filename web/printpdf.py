"""The print view as a PDF, laid out on the server by WeasyPrint from the very HTML the browser prints.

Offline by construction: the only files WeasyPrint may load are this app's own static files (the page's
stylesheet); any other URL (another host, file://, data:) is refused, so a name in the data can never make
the server fetch something. Fonts come from the machine (fonts-noto-cjk for Chinese)."""
from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, send_file
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE = "http://kpr.invalid/"  # the page's root-relative links resolve here; never contacted, see StaticOnly


class StaticOnly(URLFetcher):
    """Serves /static/… from the app's static folder and refuses everything else."""

    def __init__(self, static: Path) -> None:
        super().__init__(allowed_protocols=("http",))
        self.static = static.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE or not parts.path.startswith("/static/"):
            raise ValueError(f"not fetched (the PDF uses only the app's static files): {url}")
        target = (self.static / parts.path.removeprefix("/static/")).resolve()
        if not target.is_relative_to(self.static) or not target.is_file():
            raise ValueError(f"no such static file: {url}")
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=target.read_bytes(), headers={"Content-Type": mime})

    __call__ = fetch


def html_to_pdf(html: str, static: Path) -> bytes:
    pdf = HTML(string=html, base_url=BASE, url_fetcher=StaticOnly(static)).write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return bytes(pdf)


def pdf_response(html: str, filename: str) -> Response:
    pdf = html_to_pdf(html, Path(current_app.static_folder or ""))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=filename)
