"""The staff desk: find an attendee, check them in by hand, undo, reprint their badge.

Behind the staff PIN; every action is recorded under the name given at login (`g.staff`).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for

from kiosk_ui import ui
from kiosk_ui.csrf import require_csrf_token
from kiosk_ui.staff_access import require_staff, staff_page
from kiosk_ui.texts import decision_screen, timeline
from shared_domain.errors import DomainError

bp = Blueprint("staff_desk", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
bp.before_request(require_staff)
QUERY_LENGTH = 100


@bp.get("/staff")
def search():
    query = request.args.get("q", "").strip()[:QUERY_LENGTH]
    found = ui().service.search(query) if query else []
    return staff_page("kiosk_ui/search.html", query=query, found=found)


@bp.post("/staff/scan")
def scan():
    """A ticket scanned at the desk: the same decision as the kiosk, in the staff's name."""
    decision = ui().service.scan(request.form.get("code", "")[:1000], by=g.staff)
    screen = decision_screen(decision)
    name = decision["attendee_name"]
    if decision["admitted"]:
        flash(f"{name} is checked in. " + (
            "Their badge from another seat lists this one: no second badge."
            if decision.get("badge_held") else "The badge is queued for printing."), "ok")
    else:
        said = [screen["title"], *screen["lines"][:-1]] + ([f"({name})"] if name else [])
        flash(" ".join(said), "error")
    return redirect(url_for("staff_desk.search", q=name) if name else url_for("staff_desk.search"))


@bp.get("/staff/attendees/<seat_id>")
def attendee(seat_id):
    found = ui().service.attendee(seat_id)
    if found is None:
        abort(404)
    return staff_page("kiosk_ui/attendee.html", attendee=found,
                      timeline=timeline(ui().service.history(seat_id)))


@bp.post("/staff/attendees/<seat_id>/check-in")
def check_in(seat_id):
    job_id = ui().service.check_in(seat_id, by=g.staff)
    found = ui().service.attendee(seat_id) or {}
    flash("Checked in. " + ("The badge is queued for printing." if job_id
                            else "Their badge from another seat lists this one: no second badge "
                                 "(reprint it if needed)." if found.get("badge_held")
                            else "No ticket code on this door yet: no badge printed."), "ok")
    return back_to(seat_id)


@bp.get("/staff/attendees/<seat_id>/undo")
def confirm_undo(seat_id):
    """Ask first: a touch screen is easily touched twice, and an undo lets the ticket in again."""
    found = ui().service.attendee(seat_id)
    if found is None:
        abort(404)
    if not found["checked_in"]:
        flash("Not checked in: nothing to undo.", "info")
        return back_to(seat_id)
    return staff_page("kiosk_ui/confirm_undo.html", attendee=found)


@bp.post("/staff/attendees/<seat_id>/undo")
def undo(seat_id):
    if request.form.get("confirm") != "yes":        # only the confirmation page's button undoes
        return redirect(url_for("staff_desk.confirm_undo", seat_id=seat_id))
    ui().service.undo(seat_id, by=g.staff)
    flash("The check-in is undone. It stays in the history.", "ok")
    return back_to(seat_id)


@bp.post("/staff/attendees/<seat_id>/reprint")
def reprint(seat_id):
    ui().service.reprint(seat_id, by=g.staff)
    flash(f"Reprint queued, recorded under your name ({g.staff}).", "ok")
    return back_to(seat_id)


@bp.get("/staff/attendees/<seat_id>/badge.png")
def badge_preview(seat_id):
    try:
        png = ui().service.badge_preview(seat_id)
    except DomainError:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    flash(error.message, "error")
    seat_id = (request.view_args or {}).get("seat_id")
    return back_to(seat_id) if seat_id else redirect(url_for("staff_desk.search"))


def back_to(seat_id: str):
    return redirect(url_for("staff_desk.attendee", seat_id=seat_id))
