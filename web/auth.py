"""Accounts in the browser: login, logout, the current user, and the one role check every write view uses.

Flask-Login keeps the session; the cookie carries the user's id and a per-user token that is renewed when the
user is disabled, demoted or changes password, so such sessions end at once."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from registry.config import Settings
from registry.historyview import METHOD_LABELS
from registry.users import ROLE_LABELS, UserRecord, authenticate, load_user
from web.forms import ActionForm, LoginForm
from web.session import get_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
F = TypeVar("F", bound=Callable[..., Any])
# Pages anyone may open even when KPR_READ_REQUIRES_LOGIN=1 (the login page and what it needs).
OPEN_ENDPOINTS = frozenset({"auth.login", "static", "kpr.assets.asset"})


class WebUser(UserMixin):  # type: ignore[misc]
    def __init__(self, record: UserRecord) -> None:
        self.record = record

    def get_id(self) -> str:
        return f"{self.record.id}:{self.record.session_token}"

    @property
    def is_active(self) -> bool:
        return self.record.active


@login_manager.user_loader
def _load(user_id: str) -> WebUser | None:
    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    record = load_user(get_session(), int(ident), token)
    return WebUser(record) if record else None


def current_record() -> UserRecord | None:
    return cast(WebUser, current_user).record if current_user.is_authenticated else None


def can(role: str) -> bool:
    record = current_record()
    return bool(record and record.can(role))


def require(role: str) -> Callable[[F], F]:
    """The one role check for write views: anonymous → login page (401 for JSON), too low a role → 403."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.path.endswith(".json") or request.accept_mimetypes.best == "application/json":
                    abort(401)
                return login_manager.unauthorized()
            if not can(role):
                abort(403)
            return view(*args, **kwargs)
        wrapper.kpr_required_role = role  # type: ignore[attr-defined]  # read by the route-matrix test
        return cast(F, wrapper)
    return decorate


def _safe_next(target: str | None) -> str:
    """Only a path on this server (no open redirect to another host)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("kpr.projects_page")


def _failed_login(response: WerkzeugResponse) -> bool:
    return response.status_code != 302  # only failed attempts count against the limit


@bp.route("/login", methods=["GET", "POST"])
def login() -> WerkzeugResponse | tuple[str, int] | str:
    form = LoginForm()
    if form.validate_on_submit():
        record = authenticate(get_session(), form.username.data or "", form.password.data or "")
        get_session().commit()  # a rehashed password is kept
        if record is not None:
            login_user(WebUser(record))
            current_app.logger.info("login: %s", record.username)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.warning("failed login for %r from %s", (form.username.data or "")[:64],
                                   get_remote_address())
        form.password.errors = ["用户名或密码不正确 (wrong username or password)"]
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    ActionForm()  # CSRF is checked app-wide; the form only documents it
    logout_user()
    return redirect(url_for("kpr.projects_page"))


def _read_gate() -> WerkzeugResponse | None:
    settings: Settings = current_app.config["KPR_SETTINGS"]
    if settings.read_requires_login and not current_user.is_authenticated \
            and request.endpoint not in OPEN_ENDPOINTS:
        return login_manager.unauthorized()
    return None


def _inject() -> dict[str, Any]:
    return {"current_account": current_record(), "can_edit": can("editor"), "can_admin": can("admin"),
            "role_labels": ROLE_LABELS, "action_form": ActionForm, "method_labels": METHOD_LABELS}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录 (please log in)"
    login_manager.session_protection = "basic"
    app.before_request(_read_gate)
    app.context_processor(_inject)
    app.register_blueprint(bp)
    # One limiter per app (its counters live with the app), applied to failed login POSTs only.
    settings: Settings = app.config["KPR_SETTINGS"]
    limiter = Limiter(key_func=get_remote_address, app=app, storage_uri="memory://", default_limits=[])
    app.extensions["kpr_limiter"] = limiter
    app.view_functions["auth.login"] = limiter.limit(settings.login_rate_limit, methods=["POST"],
                                                     deduct_when=_failed_login)(login)
