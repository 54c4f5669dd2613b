"""Who is the hub admin of this request: the admin session (pages and API, idle timeout,
kept on the server so signing out ends it) or HTTP Basic with an admin's email and
password (API scripts). Nothing else opens admin pages: a business customer's access code
or conference session never does."""
from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, g, request, session

from hub.accounts import admins
from hub.accounts import browser_sessions
from hub.http.context import current_hub
from hub.http.errors import ApiError
from hub.http.bodies import basic_auth

SESSION_KEY = "hub_admin"
IDLE_TIMEOUT = dt.timedelta(minutes=30)
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def idle_timeout() -> dt.timedelta:
    minutes = current_app.config.get("ADMIN_IDLE_MINUTES")
    return dt.timedelta(minutes=minutes) if minutes else IDLE_TIMEOUT


def client_address() -> str:
    return request.remote_addr or "unknown"


def start_session(admin) -> None:
    """A fresh session for the admin: nothing from before signing in is kept."""
    session.clear()
    session[SESSION_KEY] = browser_sessions.start(current_hub(), "admin", admin.id)


def end_session() -> None:
    """Sign out on the server too: a copy of this cookie opens nothing afterwards."""
    browser_sessions.end(current_hub(), session.pop(SESSION_KEY, None))


def session_admin(*, touch: bool = True):
    """The signed-in admin of this session, or None; idle too long ends the session.

    With touch, this request counts as activity. A dashboard's background poll does not,
    so an unattended screen still signs out.
    """
    token = session.get(SESSION_KEY)
    if token is None:
        return None
    hub = current_hub()
    held, idle = browser_sessions.check(hub, token, "admin", idle_timeout(), touch=touch)
    admin = admins.admin_by_id(hub, held.subject) if held is not None else None
    if admin is None:
        end_session()
        g.admin_session_expired = idle
        return None
    return admin


def api_admin():
    """The admin calling the API (session or Basic), else 401; session changes need the CSRF header."""
    credentials = basic_auth()
    if credentials is not None:
        return admins.sign_in(current_hub(), *credentials, client_address())
    admin = session_admin()
    if admin is None:
        raise ApiError(401, "unauthorized",
                       "Sign in as a hub admin (session) or send an admin's email and "
                       "password with HTTP Basic.")
    if request.method in UNSAFE_METHODS:
        expected = session.get("csrf_token", "")
        sent = request.headers.get(CSRF_HEADER, "")
        if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
            raise ApiError(403, "csrf_refused",
                           f"A session-authenticated change must send the {CSRF_HEADER} header.")
    return admin
