"""The node's web app: the sync calls its peers make, its JSON API and status, the kiosk UI."""
from __future__ import annotations

import dataclasses
import json

from flask import Blueprint, Flask, abort, current_app, jsonify, make_response, redirect, request
from werkzeug.exceptions import HTTPException

import kiosk_ui
from kiosk_ui import error_pages, pin_guard
from onsite_node import settings
from onsite_node.own_facts import peer_admission
from onsite_node.staff_sessions import TableStaffSessions
from shared_domain.errors import DomainError
from shared_domain.limits import STAFF_NAME_MAX
from sync_protocol import server
from sync_protocol.blueprint import serve_sync_calls
from sync_protocol.wire import PROTOCOL_VERSION, ProtocolError

# Paths that programs call: their errors stay JSON.
MACHINE_PATHS = ("/api/", "/sync/", "/status.json/")

bp = serve_sync_calls(Blueprint("node_sync_v1", __name__, url_prefix="/sync/v1"))
api = Blueprint("node_api", __name__, url_prefix="/api")


@api.post("/scan")
def scan():
    """Decide a scanned or typed code: admitted, or refused with a reason code and message.
    Open to the door's scanner; with the staff PIN the answer also names the seat."""
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str):
        return jsonify({"error": {"code": "malformed_request",
                                  "message": "Send {'code': '<ticket code>'}."}}), 400
    staff = "X-Staff-Pin" in request.headers and _staff()
    outcome, job_id = _service().front_desk.scan_outcome(code, by=_by(body.get("by", "kiosk")) or "kiosk")
    answer = outcome.as_json() if staff else outcome.public_json()
    return jsonify({**answer, "badge_job": job_id})


@api.get("/attendees")
def search():
    _staff()
    return jsonify(attendees=_service().front_desk.search(request.args.get("q", "")[:100]))


@api.post("/attendees/<seat_id>/check-in")
def check_in(seat_id):
    desk = _service().front_desk
    desk.check_in(seat_id, by=_staff())
    return jsonify(desk.history(seat_id))


@api.post("/attendees/<seat_id>/undo")
def undo(seat_id):
    desk = _service().front_desk
    desk.undo(seat_id, by=_staff())
    return jsonify(desk.history(seat_id))


@api.post("/attendees/<seat_id>/reprint")
def reprint(seat_id):
    return jsonify(badge_job=_service().front_desk.reprint(seat_id, by=_staff()))


@api.get("/attendees/<seat_id>/history")
def history(seat_id):
    _staff()
    return jsonify(_service().front_desk.history(seat_id))


def _staff() -> str:
    """Staff calls carry the staff PIN (X-Staff-Pin) and a name (X-Staff-Name): who did it.

    Wrong PINs count in the same guard as the PIN page's: one limit per door."""
    guard, address = pin_guard.for_app(current_app), request.remote_addr or "unknown"
    now = _service().clock().timestamp()
    wait = guard.seconds_to_wait(address, now)
    if wait:
        abort(make_response(jsonify({"error": {
            "code": "too_many_attempts", "retry_after": wait,
            "message": f"Too many wrong PINs. Wait {pin_guard.wait_words(wait)}, "
                       "then try again."}}), 429, {"Retry-After": str(wait)}))
    if not _service().front_desk.check_staff_pin(request.headers.get("X-Staff-Pin", "")[:100]):
        guard.failed(address, now)
        abort(make_response(jsonify({"error": {
            "code": "staff_only", "message": "Send the staff PIN in X-Staff-Pin."}}), 403))
    guard.succeeded(address, now)
    return _by(request.headers.get("X-Staff-Name", "")) or "staff"


def _by(name) -> str:
    """Who did it, as the facts carry it: at most STAFF_NAME_MAX characters (limits.py)."""
    text = str(name).replace("\x00", "").encode("utf-8", "ignore").decode()  # no lone surrogates
    return " ".join(text.split())[:STAFF_NAME_MAX]


def create_node_app(service) -> Flask:
    """The node's Flask app around a NodeService (the kiosk UI is mounted here too)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=16 * 1024 * 1024, SESSION_COOKIE_SAMESITE="Strict",
                      SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SECURE=bool(service.config.secure_cookies))
    app.secret_key = settings.session_secret(service.config.data_dir)
    app.extensions["contoso_node"] = service
    app.extensions["staff_pin_guard"] = pin_guard.PinGuard()
    app.extensions["staff_sessions"] = TableStaffSessions(service.replica.db)
    app.register_blueprint(bp)
    app.register_blueprint(api)
    from onsite_node import sales_api
    app.register_blueprint(sales_api.bp)
    kiosk_ui.mount(app, service.front_desk, idle_timeout_s=service.config.staff_idle_timeout_s,
                   clock=lambda: service.clock().timestamp())

    @app.get("/status.json")
    def status_json():
        return jsonify(service.status())

    @app.get("/status")
    def status():
        """JSON for programs; people (browsers) go to the staff status page."""
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            return redirect("/staff/status")
        return jsonify(service.status())

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError):
        return jsonify({"error": {"code": e.code, "message": e.message}}), 409

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        """Programs get JSON; a person gets a page in the kiosk's layout (see error_pages)."""
        if e.response is not None:        # abort(response): already what the view meant
            return e.response
        if not (request.path + "/").startswith(MACHINE_PATHS):
            return error_pages.error_page(e)
        response = e.get_response()       # keeps Allow on a 405
        response.set_data(json.dumps({"error": {
            "code": (e.name or "error").lower().replace(" ", "_"),
            "message": e.description or e.name}}))
        response.content_type = "application/json"
        return response

    return app


def _service():
    return current_app.extensions["contoso_node"]


@bp.get("/time")
def time_now():
    return jsonify(protocol=PROTOCOL_VERSION, server_time=_service().hub_time())


@bp.post("/push")
def push():
    """A peer relays facts: only door facts of their own origin, with valid bodies (the rules
    the hub applies, shared_domain/edge_facts.py), and the hub's own events."""
    service, caller = _service(), _authenticated()
    caller = dataclasses.replace(caller, admit=peer_admission(service.hub_time,
                                                              service.replica.origin_keys()))
    reply = server.push(service.replica.store, server.parse_json(_raw_body()), caller)
    service.replica.project()
    return jsonify(reply)


@bp.post("/pull")
def pull():
    service, caller = _service(), _authenticated()
    return jsonify(server.pull_by_vector(service.replica.store,
                                         server.parse_json(_raw_body()), caller))


def _raw_body() -> bytes:
    return server.read_body(request.get_data(cache=True), request.headers.get("Content-Encoding"))


def _authenticated():
    service = _service()
    if service.credentials.get("revoked"):
        raise ProtocolError(410, "node_wiped", "This node was revoked and holds nothing.")
    return server.authenticate(service.replica.store, request.headers, request.method,
                               request.full_path.rstrip("?"), request.get_data(cache=True),
                               service.hub_time(), service.peer_caller)
