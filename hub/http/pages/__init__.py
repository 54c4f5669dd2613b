"""The hub's web pages: the registrant's site, the business customers' area, the admin console."""
from __future__ import annotations

from flask import Flask

from hub.http.pages import csrf, filters


def page_blueprints():
    from hub.http.pages import (admin_conflicts, admin_dashboard, admin_dead_letters, admin_home,
                         admin_login, admin_mail, admin_nodes, admin_orders, business,
                         conference_admin, conference_lists, conference_orders, processor,
                         registrant, registrant_cancel, registrant_orders, seat_types,
                         waitlist_admin, waitlist_pages)
    from hub.http.pages import admin_waitlists, checkout_codes, promotional_codes
    return [registrant.bp, registrant_orders.bp, registrant_cancel.bp, processor.bp,
            business.bp, conference_admin.bp, seat_types.bp, conference_lists.bp,
            conference_orders.bp, admin_login.bp, admin_home.bp, admin_nodes.bp,
            admin_orders.bp, admin_conflicts.bp, admin_dashboard.bp, admin_dead_letters.bp,
            admin_mail.bp, promotional_codes.bp, checkout_codes.bp, waitlist_pages.bp,
            waitlist_admin.bp, admin_waitlists.bp]


def init_app(app: Flask) -> None:
    """Register the page blueprints (their forms carry the session's CSRF token)."""
    configure_session_cookie(app)
    app.jinja_env.globals["csrf_field"] = csrf.csrf_field
    app.jinja_env.filters.update(filters.FILTERS)
    app.context_processor(_reservation_window)
    for bp in page_blueprints():
        app.register_blueprint(bp)


def configure_session_cookie(app: Flask) -> None:
    """SameSite=Lax always; Secure when the hub is served over HTTPS (secure_cookies)."""
    # Flask's defaults already hold SESSION_COOKIE_SAMESITE (None), so setdefault would
    # keep None: set the values outright.
    hub = app.extensions["contoso_hub"]
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SECURE"] = bool(getattr(hub.config, "secure_cookies", False))


def _reservation_window() -> dict:
    from hub.http.context import current_hub
    window = current_hub().config.reservation_window
    return {"reservation_minutes": int(window.total_seconds() // 60)}
