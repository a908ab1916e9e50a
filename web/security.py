"""Request hardening in one place: the cookie-signing key, CSRF on every POST (Flask-WTF), trusted hosts,
security headers, and the pages for refused requests (400 CSRF, 429 too many logins)."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect

from registry.config import Settings

csrf = CSRFProtect()

# Scripts come only from this server or carry this response's nonce (the map pages' inline glue that Folium
# writes gets it when the page is sent), so an injected <script> would not run even if escaping ever failed.
# Nothing from elsewhere, no framing, no plugins, forms post only here. Inline styles stay allowed.
CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])(?![^>]*\bnonce=)")


def secret_key(settings: Settings) -> str:
    """KPR_SECRET_KEY, else a random key kept (mode 600) in the instance folder so every worker and restart
    signs cookies alike."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.instance_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def content_security_policy(settings: Settings) -> str:
    """A configured tile server is the one origin outside this server that pages may load images from."""
    if not settings.tiles_url:
        return CSP
    parts = urlsplit(settings.tiles_url.replace("{s}", "a"))
    origin = f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in settings.tiles_url else parts.netloc}"
    return CSP.replace("img-src 'self'", f"img-src 'self' {origin}")


def _with_nonce(response: Response) -> str:
    """Give every <script> tag of an HTML page this response's nonce; returns the nonce."""
    nonce = secrets.token_urlsafe(16)
    if response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed:
        response.set_data(_SCRIPT_TAG.sub(f'<script nonce="{nonce}"'.encode(), response.get_data()))
    return nonce


def _header_setter(csp: str) -> Callable[[Response], Response]:
    def set_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp.replace("{nonce}", _with_nonce(response)))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
    return set_headers


def _csrf_refused(exc: CSRFError) -> tuple[str, int]:
    return render_template("refused.html", title="请求被拒绝 (request refused)",
                           message=f"表单已过期或来源不明，未做任何修改。请刷新页面后重试。({exc.description})"), 400


FORBIDDEN = ("此操作需要编辑账户（撤销修改、恢复归档需要管理员账户），你的账户没有这项权限，请联系管理员。"
             "(this needs an editor account, or an admin one to revert or restore; yours is not allowed: ask an admin)")


def _forbidden(exc: Exception) -> tuple[Response | str, int]:
    """A logged-in account whose role is too low (require() in web/auth.py): the site's own page for people,
    a JSON error for the data twins."""
    if request.path.endswith((".json", ".geojson")) or request.path.startswith("/api/"):
        return jsonify(error="forbidden", message=FORBIDDEN), 403
    return render_template("refused.html", title="没有权限 (not allowed)",
                           message=FORBIDDEN), 403


def _too_many(_exc: Exception) -> tuple[str, int]:
    return render_template("refused.html", title="尝试次数过多 (too many attempts)",
                           message="登录失败次数过多，请稍后再试。(too many failed logins: wait a minute)"), 429


def init_app(app: Flask, settings: Settings) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=12 * 3600,  # a form left open for a working day still saves
        MAX_CONTENT_LENGTH=None,  # uploads are bounded by the importer's own limits, with a clear message
    )
    if settings.trusted_hosts:
        app.config["TRUSTED_HOSTS"] = list(settings.trusted_hosts)
    csrf.init_app(app)
    app.after_request(_header_setter(content_security_policy(settings)))
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(429, _too_many)
    app.register_error_handler(403, _forbidden)
