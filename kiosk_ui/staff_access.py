"""The staff PIN: who is at the desk, locked again after a short idle time or at the kiosk."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from kiosk_ui import ui
from kiosk_ui.csrf import require_csrf_token

bp = Blueprint("staff_access", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
STAFF_KEY = "staff"
MAX_PIN_FAILURES = 5         # wrong PINs at this node within PIN_LOCK_S ...
PIN_LOCK_S = 60.0            # ... lock the PIN for this long: guessing takes days, not minutes
NAME_LENGTH = 60


def lock() -> None:
    """End the staff session in this browser."""
    session.pop(STAFF_KEY, None)


def current_staff() -> str | None:
    """The staff member logged in here, unless idle longer than the timeout (then locked)."""
    staff = session.get(STAFF_KEY)
    if not staff:
        return None
    now = ui().clock()
    if now - staff["seen"] > ui().idle_timeout_s:
        lock()
        return None
    session[STAFF_KEY] = {**staff, "seen": now}
    return staff["name"]


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
    if pin_locked():
        return form(error="Too many wrong PINs. Wait a minute, then try again."), 429
    if not name:
        return form(error="Type your name: every staff action is recorded under it.",
                    name=name), 400
    if not service.check_staff_pin(pin):
        ui().pin_failures.append(ui().clock())
        return form(error="That PIN is not right.", name=name), 403
    session[STAFF_KEY] = {"name": name, "seen": ui().clock()}
    return redirect(safe_next(request.form.get("next")))


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


def pin_locked() -> bool:
    now = ui().clock()
    recent = [t for t in ui().pin_failures if now - t < PIN_LOCK_S]
    ui().pin_failures[:] = recent
    return len(recent) >= MAX_PIN_FAILURES


def safe_next(target: str | None) -> str:
    """Only back to a staff page of this node: never an open redirect."""
    if target and target.startswith("/staff") and "//" not in target and "\\" not in target:
        return target
    return url_for("staff_desk.search")

