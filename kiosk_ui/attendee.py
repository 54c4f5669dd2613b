"""Attendee self check-in: scan or type a ticket code, see one decision, back to ready.

Open to anyone standing at the kiosk, so it shows only what the person scanning needs:
their own first name and badge, or why their ticket was refused. No search here.
"""
from __future__ import annotations

import sys

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, session

from kiosk_ui import staff_access, ui
from kiosk_ui.csrf import csrf_field, require_csrf_token
from kiosk_ui.texts import decision_screen

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
               static_url_path="/kiosk/static")
bp.before_request(require_csrf_token)
BADGES_KEY = "kiosk_badges"      # the badge jobs this browser was shown (it may see them)
MAX_CODE_LENGTH = 1000
SCREEN_SECONDS = {"welcome": 7, "refused": 9}


@bp.app_context_processor
def kiosk_globals():
    return {"csrf_field": csrf_field}


@bp.get("/")
def home():
    return redirect("/kiosk")


@bp.get("/kiosk")
def ready():
    """The ready screen; coming here locks the staff desk in this browser."""
    staff_access.lock()
    return page(None)


@bp.post("/kiosk/scan")
def scan():
    code = request.form.get("code", "")[:MAX_CODE_LENGTH]
    screen = shown(ui().service.scan(code, by="kiosk"))
    if request.accept_mimetypes.best == "application/json":
        return no_store(jsonify(screen))
    return page(screen)


@bp.get("/kiosk/camera")
def camera():
    """The camera's newest decision, for the kiosk page to show (it polls)."""
    number, decision = ui().service.camera_decision(request.args.get("after", -1, type=int))
    return no_store(jsonify(number=number, screen=shown(decision) if decision else None))


@bp.get("/kiosk/badges/<job_id>.png")
def badge(job_id):
    """The badge preview, only for a browser that was shown this decision."""
    if job_id not in session.get(BADGES_KEY, []):
        abort(404)
    png = ui().service.badge_of_job(job_id)
    if png is None:
        abort(404)
    return no_store(Response(png, mimetype="image/png"))


def page(screen: dict | None):
    number, _ = ui().service.camera_decision(sys.maxsize)
    return no_store(Response(render_template(
        "kiosk_ui/kiosk.html", screen=screen, camera_after=number,
        conference=ui().service.conference_name(), screen_seconds=SCREEN_SECONDS,
        sound=ui().service.kiosk_sound())))


def shown(decision) -> dict:
    """The screen for a decision; its badge becomes visible to this browser."""
    if decision["badge_job"]:
        session[BADGES_KEY] = [*session.get(BADGES_KEY, [])[-2:], decision["badge_job"]]
    return decision_screen(decision)


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
