"""The staff PIN: who is at the desk, locked again after a short idle time or at the kiosk.
Wrong PINs are limited by the door's one PinGuard (shared with the node's JSON API); the
session lives on the node (StaffSessions), the cookie holds only its token."""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from kiosk_ui import pin_guard, staff_sessions, ui
from kiosk_ui.csrf import require_csrf_token

bp = Blueprint("staff_access", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
STAFF_KEY = "staff"           # the cookie holds the staff session's token, nothing else
NAME_LENGTH = 60


def lock() -> None:
    """End the staff session: on the node too, so a copy of the cookie opens nothing."""
    staff_sessions.for_app(current_app).end(session.pop(STAFF_KEY, None), ui().clock())


def current_staff() -> str | None:
    """The staff member logged in here, unless idle longer than the timeout (then locked)."""
    token = session.get(STAFF_KEY)
    if token is None:
        return None
    name = staff_sessions.for_app(current_app).name_of(token, ui().clock(), ui().idle_timeout_s)
    if name is None:
        session.pop(STAFF_KEY, None)
    return name


def require_staff():
    """A before_request hook for staff pages: no PIN, no page."""
    g.staff = current_staff()
    if g.staff is None:
        return redirect(url_for("staff_access.login", next=request.path))
    return None


def staff_page(template: str, **context):
    return render_template(template, staff=g.staff, idle_timeout=int(ui().idle_timeout_s),
                           **context)


@bp.get("/staff/login")
def login():
    if request.args.get("idle"):
        lock()
    if current_staff() is not None:
        return redirect(safe_next(request.args.get("next")))
    return form()


@bp.post("/staff/login")
def log_in():
    name = " ".join(request.form.get("name", "").split())[:NAME_LENGTH]
    pin = request.form.get("pin", "")
    service = ui().service
    if not service.staff_pin_is_set():
        return form(), 403
    guard, address, now = pin_guard.for_app(current_app), client_address(), ui().clock()
    wait = guard.seconds_to_wait(address, now)
    if wait:
        return (form(error=f"Too many wrong PINs. Wait {pin_guard.wait_words(wait)}, "
                           "then try again.", name=name), 429, {"Retry-After": str(wait)})
    if not name:
        return form(error="Type your name: every staff action is recorded under it.",
                    name=name), 400
    if not service.check_staff_pin(pin):
        guard.failed(address, now)
        return form(error="That PIN is not right.", name=name), 403
    guard.succeeded(address, now)
    session[STAFF_KEY] = staff_sessions.for_app(current_app).start(name, now)
    return redirect(safe_next(request.form.get("next")))


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.post("/staff/logout")
def log_out():
    lock()
    return redirect(url_for("staff_access.login", locked=1))


def form(error: str = "", name: str = ""):
    return render_template("kiosk_ui/login.html", error=error, name=name,
                           pin_set=ui().service.staff_pin_is_set(),
                           next=safe_next(request.values.get("next")),
                           idle=bool(request.args.get("idle")),
                           locked=bool(request.args.get("locked")))


def safe_next(target: str | None) -> str:
    """Only back to a staff page of this node: never an open redirect."""
    if target and target.startswith("/staff") and "//" not in target and "\\" not in target:
        return target
    return url_for("staff_desk.search")

