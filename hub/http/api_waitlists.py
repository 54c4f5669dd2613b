"""The wait-lists' API: registrants join a sold-out seat type's list and, with the proof
their mail's link carries (or the join's answer gave), leave it or take an offer; the
owner (HTTP Basic: owner email and access code) sees and runs the lists."""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from hub.http.admin_auth import client_address
from hub.http.api_management import owned_conference
from hub.http.bodies import json_body
from hub.http.context import current_hub, wake_worker
from hub.http.openapi_waitlists import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401
from hub.orders import order_access, registration
from hub.orders.order_management import owner as owner_actor
from hub.waitlists import service

bp = Blueprint("api_waitlists", __name__, url_prefix="/api")
PROOF_MAX = 100


def _proof() -> str:
    return request.args.get("proof", "")[:PROOF_MAX]


# --- the registrant's ------------------------------------------------------------

@bp.post("/conferences/<slug>/waitlists/<seat_type_id>/entries")
def join(slug: str, seat_type_id: str):
    entry = service.join(current_hub(), slug, seat_type_id, json_body(), client=client_address())
    wake_worker()
    return jsonify(entry), 201


@bp.get("/waitlist/entries/<entry_id>")
def get_entry(entry_id: str):
    return jsonify(service.proven_entry(current_hub(), entry_id, _proof()))


@bp.delete("/waitlist/entries/<entry_id>")
def leave(entry_id: str):
    entry = service.leave(current_hub(), entry_id, _proof())
    wake_worker()
    return jsonify(entry)


@bp.get("/waitlist/offers/<offer_id>")
def get_offer(offer_id: str):
    offer = service.proven_offer(current_hub(), offer_id, _proof())
    return jsonify({k: v for k, v in offer.items() if k != "conference_id"})


@bp.post("/waitlist/offers/<offer_id>/accept")
def accept(offer_id: str):
    hub = current_hub()
    order_id = service.accept(hub, offer_id, _proof())
    wake_worker()
    hub.refresh_read_models()
    body = {**registration.order_json(hub, order_id),
            "order_url": url_for("api_registration.get_order", order_id=order_id),
            "order_token": order_access.issue_token(hub, order_id)}
    return jsonify(body), 202


@bp.post("/waitlist/offers/<offer_id>/decline")
def decline(offer_id: str):
    entry = service.decline(current_hub(), offer_id, _proof())
    wake_worker()
    return jsonify(entry)


# --- the owner's ---------------------------------------------------------------------

@bp.get("/conferences/<slug>/waitlists")
def lists(slug: str):
    return jsonify(service.lists(current_hub(), owned_conference(slug)))


@bp.delete("/conferences/<slug>/waitlists/<seat_type_id>/entries/<entry_id>")
def remove(slug: str, seat_type_id: str, entry_id: str):
    return _owner_act(slug, seat_type_id, lambda hub, conference, by: service.remove(
        hub, conference, seat_type_id, entry_id, by))


@bp.post("/conferences/<slug>/waitlists/<seat_type_id>/close")
def close(slug: str, seat_type_id: str):
    return _set_closed(slug, seat_type_id, True)


@bp.post("/conferences/<slug>/waitlists/<seat_type_id>/reopen")
def reopen(slug: str, seat_type_id: str):
    return _set_closed(slug, seat_type_id, False)


def _set_closed(slug: str, seat_type_id: str, closed: bool):
    return _owner_act(slug, seat_type_id, lambda hub, conference, by: service.set_closed(
        hub, conference, seat_type_id, closed, by))


def _owner_act(slug: str, seat_type_id: str, action):
    """The owner changes a list: `action(hub, conference, by)`; the list as it is now."""
    conference = owned_conference(slug)
    hub = current_hub()
    action(hub, conference, owner_actor(conference))
    wake_worker()
    return jsonify(service.one_list(hub, conference, seat_type_id))


@bp.put("/conferences/<slug>/waitlists/<seat_type_id>/offer-window")
def offer_window(slug: str, seat_type_id: str):
    conference = owned_conference(slug)
    body = json_body()
    hub = current_hub()
    service.set_offer_window(hub, conference, seat_type_id, body.get("minutes"),
                             owner_actor(conference))
    return jsonify(service.one_list(hub, conference, seat_type_id))
