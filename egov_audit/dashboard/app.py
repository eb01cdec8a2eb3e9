"""The Flask application: settings, sessions, the sign-in gate, headers, errors.

The pages themselves are in :mod:`.views`; this module decides who may see
them. Without any account the dashboard is read-only for whoever reaches it,
which the CLI allows only on a loopback address (and the app refuses any
other client then, as a second lock). With accounts, every page but the
sign-in page needs a session.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for

from ..history import HistoryStore
from .auth import LoginThrottle, User, find_user, has_users
from .i18n import LANGUAGES, DashboardTranslator
from .security import CSRF_FIELD, apply_headers, csrf_token, csrf_valid

SESSION_HOURS = 8
OPEN_ENDPOINTS = frozenset({"views.login", "static"})


@dataclass
class Settings:
    """How ``egov-audit serve`` configured the dashboard."""

    history: str
    reports: Path | None = None  # where egov-audit run wrote the report directories
    pubkey: Path | None = None  # to verify signed artifacts
    tls: bool = False  # served over HTTPS (directly or by a TLS proxy): HSTS, __Host- cookie
    proxies: int = 0  # trusted reverse proxies in front (X-Forwarded-For/-Proto)
    secret_key: bytes = field(default_factory=lambda: os.urandom(32))
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%", 1)[0]).is_loopback
    except ValueError:
        return address == "localhost"


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.jinja_env.autoescape = True  # evidence comes from scanned pages
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="__Host-egov-session" if settings.tls else "egov-session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=True,  # browsers treat http://localhost as secure too
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=16 * 1024,  # only small forms are ever posted
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if settings.proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxies,  # type: ignore[method-assign]
                                x_proto=settings.proxies)
    store = HistoryStore.open(settings.history)
    app.extensions["egov_store"] = store
    app.extensions["egov_settings"] = settings

    from .views import bp

    app.register_blueprint(bp)

    @app.before_request
    def gate() -> Any:
        g.tr = DashboardTranslator(_language())
        g.user = _signed_in(store)
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and not csrf_valid(session, request.form.get(CSRF_FIELD)):
            abort(400, "csrf")
        if g.user is not None or request.endpoint in OPEN_ENDPOINTS:
            return None
        if has_users(store.engine):
            return redirect(url_for("views.login", next=request.full_path))
        if not is_loopback(request.remote_addr):
            abort(403)  # no accounts: only this machine may read
        g.user = User("", "officer", None)  # read-only, on loopback, no accounts yet
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        apply_headers(response.headers, secure=settings.tls or request.is_secure,
                      static=request.endpoint == "static")
        return response

    @app.context_processor
    def helpers() -> dict[str, Any]:
        tr: DashboardTranslator = g.get("tr") or DashboardTranslator()
        return {"_": tr.gettext, "tr": tr, "lang": tr.lang, "user": g.get("user"),
                "csrf_token": lambda: csrf_token(session), "csrf_field": CSRF_FIELD,
                "accounts": has_users(store.engine), "languages": LANGUAGES, "ident": id,
                "lang_url": _lang_url}

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    return app


def _language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _lang_url(code: str) -> str:
    """This page in another language (its query kept)."""
    args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
    args["lang"] = code
    if request.endpoint is None or request.endpoint == "static":
        return url_for("views.overview", lang=code)
    return url_for(request.endpoint, **args)


def _signed_in(store: HistoryStore) -> User | None:
    name = session.get("user")
    if not isinstance(name, str):
        return None
    user = find_user(store.engine, name)  # a removed account ends its sessions at once
    if user is None:
        session.pop("user", None)
    return user


def _error_page(error: Any) -> tuple[str, int]:
    code = int(getattr(error, "code", 500) or 500)
    if "tr" not in g:
        g.tr = DashboardTranslator()
    return render_template("error.html", code=code), code
