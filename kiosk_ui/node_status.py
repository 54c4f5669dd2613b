"""The node's status for staff: hub connection, sync, clock, printer and camera."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for

from kiosk_ui import ui
from kiosk_ui.csrf import require_csrf_token
from kiosk_ui.staff_access import require_staff, staff_page

bp = Blueprint("node_status", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
bp.before_request(require_staff)


@bp.get("/staff/status")
def status():
    status = ui().service.status()
    conference = "" if status.get("revoked") else ui().service.conference_name()
    sound = False if status.get("revoked") else ui().service.kiosk_sound()
    return staff_page("kiosk_ui/status.html", status=status, conference=conference,
                      sound=sound)


@bp.post("/staff/status/retry-printing")
def retry_printing():
    """Staff loaded paper or plugged the printer back in: print the waiting badges now."""
    ui().service.retry_printing()
    flash("Trying the printer again now.", "ok")
    return redirect(url_for("node_status.status"))


@bp.post("/staff/status/sound")
def sound():
    """Turn the kiosk's admitted / refused tones on or off."""
    on = request.form.get("sound") == "on"
    ui().service.set_kiosk_sound(on, by=g.staff)
    flash("The kiosk sounds a tone for each scan." if on else "The kiosk is silent.", "ok")
    return redirect(url_for("node_status.status"))


@bp.post("/staff/status/test-print")
def test_print():
    ui().service.print_test_badge(by=g.staff)
    flash("A test badge is queued.", "ok")
    return redirect(url_for("node_status.status"))
