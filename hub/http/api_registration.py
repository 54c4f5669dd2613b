"""The registrant's JSON API: orders, the simulated payment processor, seat assignment."""
from __future__ import annotations


from flask import Blueprint, Response, jsonify, request, url_for

from hub.orders import (order_access, order_management, registration, ticket_documents,
                       tickets_progress)
from hub.http.admin_auth import client_address
from hub.http.context import current_hub, wake_worker
from hub.http.bodies import basic_auth, json_body
from hub.http.openapi_registration import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401  (merged)
from hub.http.pages import order_session
from hub.http.pages.order_waiting import parse_wait, wait_for_order

bp = Blueprint("api_registration", __name__, url_prefix="/api")
SAFE_METHODS = ("GET", "HEAD")


@bp.before_request
def require_order_owner():
    """Every route with an <order_id> needs proof of that order (docs/api.md)."""
    order_id = (request.view_args or {}).get("order_id")
    if order_id is not None and request.method != "OPTIONS":   # OPTIONS only lists methods
        order_access.require(current_hub(), order_id, request_proof(), client=client_address())


@bp.after_request
def challenge(response):
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="orders"')
    return response


def request_proof() -> order_access.Proof:
    """The Authorization header, or for reads only the page session (no CSRF on the API)."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return order_access.Proof(token=credentials.strip())
    if scheme.lower() == "basic" and basic_auth() is not None:
        email, code = basic_auth()
        return order_access.Proof(email=email, access_code=code)
    if not scheme and request.method in SAFE_METHODS:
        return order_access.Proof(session_orders=order_session.held())
    return order_access.Proof()


def with_token(body: dict, order_id: str, token: str | None = None):
    """An answer carrying a new order token (issued now unless given): shown once, never
    cached."""
    token = token or order_access.issue_token(current_hub(), order_id)
    response = jsonify(**body, order_token=token)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/conferences/<slug>/orders")
def place_order(slug):
    """Place an order. The seats are reserved in this request when the hub can (the answer
    is then the reserved order), else in the background (the answer says pending)."""
    body = json_body()
    hub = current_hub()
    token = order_access.new_token()    # stored with the order, in its transaction
    order_id = registration.place_order(hub, slug, body.get("seats"), token=token)
    wake_worker()
    order = registration.order_json(hub, order_id)
    return with_token({**order, "order_url": url_for(".get_order", order_id=order_id)},
                      order_id, token), 202


@bp.get("/orders/<order_id>")
def get_order(order_id):
    """The order; with ?wait=<seconds>&since=<status or version> the answer waits until the
    order differs from what the client has, or the wait is up (a long-poll, docs/api.md)."""
    asked = parse_wait(request.args)
    if asked.seconds:
        wait_for_order(order_id, lambda progress: not progress.matches(asked.since),
                       asked.seconds)
    return jsonify(registration.order_json(current_hub(), order_id))


@bp.put("/orders/<order_id>/seats")
def update_order(order_id):
    registration.update_order(current_hub(), order_id, json_body().get("seats"))
    wake_worker()
    return jsonify(order_id=order_id, status="pending_reservation"), 202


@bp.post("/orders/<order_id>/registrant")
def assign_registrant(order_id):
    registration.assign_registrant(current_hub(), order_id, json_body())
    return jsonify(registration.order_json(current_hub(), order_id))


@bp.post("/orders/<order_id>/payment")
def start_payment(order_id):
    """Pay a reserved order: by the simulated card processor or by invoice; free orders confirm."""
    outcome = registration.start_payment(current_hub(), order_id, json_body().get("method", "card"))
    wake_worker()
    if "payment_id" in outcome and outcome.get("method") == "card":
        pid = outcome["payment_id"]
        outcome["accept_url"] = url_for(".accept_payment", payment_id=pid)
        outcome["reject_url"] = url_for(".reject_payment", payment_id=pid)
    return jsonify(outcome), 201 if "payment_id" in outcome else 200


@bp.get("/payments/<payment_id>")
def get_payment(payment_id):
    return jsonify(registration.payment_json(current_hub(), payment_id))


@bp.post("/payments/<payment_id>/accept")
def accept_payment(payment_id):
    """The simulated processor's 'accept' button."""
    registration.complete_payment(current_hub(), payment_id, accepted=True)
    wake_worker()
    return jsonify(registration.payment_json(current_hub(), payment_id))


@bp.post("/payments/<payment_id>/reject")
def reject_payment(payment_id):
    """The simulated processor's 'reject' button: the reservation stays while it lasts."""
    registration.complete_payment(current_hub(), payment_id, accepted=False)
    wake_worker()
    return jsonify(registration.payment_json(current_hub(), payment_id))


@bp.post("/orders/find")
def find_order():
    body = json_body()
    order_id = registration.find_order(current_hub(), body.get("email"), body.get("access_code"),
                                       client=client_address())
    return with_token({"order_id": order_id,
                       "order_url": url_for(".get_order", order_id=order_id)}, order_id)


@bp.get("/orders/<order_id>/seats")
def list_seats(order_id):
    """The seats; with ?wait=<seconds>&since=<version> the answer waits until the seats or
    their tickets differ from what the client has (the order page follows its tickets so)."""
    asked = parse_wait(request.args, tickets_progress.is_since)
    if asked.seconds:
        wait_for_order(order_id, lambda progress: not progress.matches(asked.since),
                       asked.seconds, read=tickets_progress.read_tickets_progress)
    return seats_answer(order_id)


@bp.put("/orders/<order_id>/seats/<int:position>")
def assign_seat(order_id, position):
    registration.assign_seat(current_hub(), order_id, position, json_body())
    return seats_answer(order_id)


@bp.get("/orders/<order_id>/seats/<int:position>/ticket.pdf")
def ticket_pdf(order_id, position):
    """The seat's ticket as a PDF to print (?download=1: saved, not shown)."""
    document = registration.seat_ticket(current_hub(), order_id, position)
    return ticket_file(ticket_documents.ticket_pdf(document), "application/pdf",
                       ticket_documents.ticket_filename(document, "pdf"))


@bp.get("/orders/<order_id>/seats/<int:position>/ticket.png")
def ticket_png(order_id, position):
    """The same ticket as an image, for a phone (?download=1: saved, not shown)."""
    document = registration.seat_ticket(current_hub(), order_id, position)
    return ticket_file(ticket_documents.ticket_png(document), "image/png",
                       ticket_documents.ticket_filename(document, "png"))


def ticket_file(data: bytes, mimetype: str, filename: str) -> Response:
    """A ticket carries a live code: never kept by a cache, named for the one who saves it."""
    disposition = "attachment" if "download" in request.args else "inline"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@bp.delete("/orders/<order_id>/seats/<int:position>")
def unassign_seat(order_id, position):
    registration.unassign_seat(current_hub(), order_id, position)
    return seats_answer(order_id)


def seats_answer(order_id: str):
    """The seats, each with its ticket's links, and whether tickets are still being issued."""
    hub = current_hub()
    seats = registration.seats_json(hub, order_id)
    for seat in seats:
        links = {kind: url_for(f".ticket_{kind}", order_id=order_id, position=seat["position"])
                 for kind in ticket_documents.FILE_EXTENSIONS} if seat["ticket_code"] else {}
        seat["ticket_pdf_url"], seat["ticket_png_url"] = links.get("pdf"), links.get("png")
    progress = tickets_progress.read_tickets_progress(hub, order_id)
    return jsonify(seats=seats, tickets_issuing=progress.issuing, version=progress.version)


@bp.post("/orders/<order_id>/cancel")
def cancel_order(order_id):
    """The registrant cancels their own order, until the organiser's deadline (docs/orders.md):
    the seats go back on sale, the tickets are revoked, what was paid is refunded."""
    body = json_body() if request.get_data(cache=True) else {}
    hub = current_hub()
    order_management.cancel_by_registrant(hub, order_id, body.get("reason"))
    wake_worker()
    return jsonify(registration.order_json(hub, order_id))
