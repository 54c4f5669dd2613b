"""Promotional codes over the API: the owner's codes (HTTP Basic, as the management API) and
a registrant's codes on an order (the order's proof, as the registration API)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from hub.http.admin_auth import client_address
from hub.http.api_management import owned_conference
from hub.http.api_registration import request_proof
from hub.http.bodies import basic_auth_challenge, json_body
from hub.http.context import current_hub, wake_worker
from hub.http.openapi_promotions import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401  (merged)
from hub.orders import order_access, registration
from hub.promotions import codes, order_codes

bp = Blueprint("api_promotions", __name__, url_prefix="/api")
_owner_challenge = basic_auth_challenge("Contoso conference management")


@bp.after_request
def challenge(response):
    """The order's calls ask for the order's proof (Bearer), the owner's for Basic."""
    if response.status_code == 401 and "order_id" in (request.view_args or {}):
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="orders"')
    return _owner_challenge(response)


@bp.before_request
def require_order_owner():
    """A route with an <order_id> needs proof of that order (docs/api.md)."""
    order_id = (request.view_args or {}).get("order_id")
    if order_id is not None and request.method != "OPTIONS":
        order_access.require(current_hub(), order_id, request_proof(), client=client_address())


# --- the owner's codes --------------------------------------------------------------

@bp.get("/conferences/<slug>/promotional-codes")
def list_codes(slug: str):
    return jsonify(codes.list_codes(current_hub(), owned_conference(slug)))


@bp.post("/conferences/<slug>/promotional-codes")
def create_code(slug: str):
    conference = owned_conference(slug)
    hub = current_hub()
    code = codes.define_code(hub, conference, json_body(), by=f"owner:{conference.owner_email}")
    return jsonify(codes.find_code(hub, conference, code)), 201


@bp.get("/conferences/<slug>/promotional-codes/<code>")
def show_code(slug: str, code: str):
    conference = owned_conference(slug)
    hub = current_hub()
    found = codes.find_code(hub, conference, code.strip().upper()[:40])
    return jsonify({**found, "orders": codes.code_uses(hub, conference, found["code"])})


@bp.put("/conferences/<slug>/promotional-codes/<code>")
def update_code(slug: str, code: str):
    conference = owned_conference(slug)
    hub = current_hub()
    code = codes.update_code(hub, conference, code[:40], json_body(),
                             by=f"owner:{conference.owner_email}")
    return jsonify(codes.find_code(hub, conference, code))


# --- a registrant's codes on an order -----------------------------------------------

def _order_with_codes(order_id: str):
    hub = current_hub()
    return jsonify(registration.order_json(hub, order_id))


@bp.post("/orders/<order_id>/promotional-codes")
def apply_code(order_id: str):
    order_codes.apply_code(current_hub(), order_id, json_body().get("code"),
                           client=client_address())
    wake_worker()
    return _order_with_codes(order_id)


@bp.delete("/orders/<order_id>/promotional-codes/<code>")
def remove_code(order_id: str, code: str):
    order_codes.remove_code(current_hub(), order_id, code[:40])
    wake_worker()
    return _order_with_codes(order_id)
