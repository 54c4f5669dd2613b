"""Admin pages: a signed-in hub admin first (else the sign-in page), then the CSRF token on
every form. The owner session of /manage/ has nothing to do with it."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, request, url_for

from hub.accounts.admin_lookups import conference_or_404
from hub.http.admin_auth import idle_timeout, session_admin
from hub.http.context import current_hub
from hub.http.pages.csrf import require_csrf_token

# The dashboard's background poll: not activity, so an unattended screen signs out.
PASSIVE_ENDPOINTS = {"admin_dashboard.live"}


def admin_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A blueprint of admin pages: signed-in admin required, then CSRF on unsafe methods."""
    bp = Blueprint(name, import_name, **options)
    bp.before_request(require_admin)
    bp.before_request(require_csrf_token)
    bp.after_request(not_cached)
    return bp


def admin_conference_blueprint(name: str, import_name: str, part: str) -> Blueprint:
    """Admin pages of one conference, under /admin/conferences/<slug>/<part>: `g.conference`
    is the conference of the URL's slug (404 if there is none, told only to a signed-in
    admin: a stranger learns nothing of which slugs exist), and the slug is filled in for
    url_for within the conference."""
    bp = admin_blueprint(name, import_name, url_prefix=f"/admin/conferences/<slug>/{part}")

    @bp.url_value_preprocessor
    def take_slug(endpoint, values):
        g.slug = (values or {}).pop("slug", "")

    @bp.before_request    # after require_admin, which admin_blueprint registered first
    def load_conference():
        g.conference = conference_or_404(current_hub(), g.slug)

    @bp.url_defaults
    def give_slug(endpoint, values):
        if "slug" not in values and "conference" in g:
            values["slug"] = g.conference.slug
    return bp


def require_admin():
    admin = session_admin(touch=request.endpoint not in PASSIVE_ENDPOINTS)
    if admin is None:
        if request.endpoint in PASSIVE_ENDPOINTS:
            return {"error": {"code": "unauthorized", "message": "Signed out."}}, 401
        if g.get("admin_session_expired"):
            minutes = int(idle_timeout().total_seconds() // 60)
            flash(f"You were signed out after {minutes} minutes without activity. "
                  "Sign in again.", "info")
        return redirect(url_for("admin_login.login", next=request.full_path.rstrip("?")
                                if request.method == "GET" else None))
    g.admin = admin
    return None


def safe_next(target: str | None) -> str | None:
    """A page of the admin console to return to after signing in, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin/"):
        return None
    return target


def not_cached(response):
    """Admin pages hold codes and personal data: never kept by the browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response
