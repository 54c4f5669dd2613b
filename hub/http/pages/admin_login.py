"""Hub admins sign in and out (the only admin pages open without a session)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from hub.accounts import admins
from hub.http.admin_auth import client_address, end_session, session_admin, start_session
from hub.http.context import current_hub
from hub.http.errors import retry_headers, status_of
from hub.http.pages.admin_session import not_cached, safe_next
from hub.http.pages.csrf import page_blueprint
from shared_domain.errors import DomainError

bp = page_blueprint("admin_login", __name__, url_prefix="/admin")
bp.after_request(not_cached)


@bp.get("/login")
def login():
    if session_admin() is not None:
        return redirect(safe_next(request.args.get("next")) or url_for("admin_home.index"))
    return _login_page(email="", error="")


@bp.post("/login")
def sign_in():
    email = request.form.get("email", "").strip()
    try:
        admin = admins.sign_in(current_hub(), email, request.form.get("password", ""),
                               client_address())
    except DomainError as refusal:
        return (_login_page(email=email, error=refusal.message), status_of(refusal),
                retry_headers(refusal))
    start_session(admin)
    return redirect(safe_next(request.args.get("next")) or url_for("admin_home.index"))


@bp.post("/logout")
def sign_out():
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for(".login"))


def _login_page(email: str, error: str):
    return render_template("admin/login.html", email=email, error=error,
                           next=safe_next(request.args.get("next")))
