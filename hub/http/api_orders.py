"""The owner's order management API (HTTP Basic: owner email and access code, as the rest of
the management API): an order's detail and the actions on it, each recorded with who asked
(docs/api.md, "Managing orders"; docs/orders.md). The list of orders is
GET /api/conferences/<slug>/orders in hub/http/api_management.py."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from hub.http.api_management import owned_conference
from hub.http.bodies import basic_auth_challenge, json_body, require_object_fields
from hub.http.context import current_hub, wake_worker
from hub.http.openapi_orders import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401  (hub.openapi)
from hub.orders import order_details, order_management

bp = Blueprint("api_orders", __name__, url_prefix="/api/conferences/<slug>/orders")
bp.after_request(basic_auth_challenge("Contoso conference management"))

CANCEL_TYPES = {"reason": str}
INVOICE_TYPES = {"invoice_reference": str}


def optional_body() -> dict:
    """The JSON object sent, or {} when nothing was sent (the actions' fields are optional)."""
    return json_body() if request.get_data(cache=True) else {}


@bp.get("/<order_id>")
def show_order(slug: str, order_id: str):
    conference = owned_conference(slug)
    return jsonify(order_details.order_detail(current_hub(), conference, order_id))


@bp.post("/<order_id>/cancel")
def cancel_order(slug: str, order_id: str):
    """Cancel: seats back on sale, tickets revoked at every door, a refund of what was paid."""
    conference = owned_conference(slug)
    fields = require_object_fields(optional_body(), CANCEL_TYPES)
    hub = current_hub()
    order_management.cancel(hub, conference, order_id, fields.get("reason", ""),
                            by=order_management.owner(conference))
    wake_worker()
    return jsonify(order_details.order_detail(hub, conference, order_id))


@bp.post("/<order_id>/invoice-payment")
def mark_paid(slug: str, order_id: str):
    """Record that the order was paid by invoice."""
    conference = owned_conference(slug)
    fields = require_object_fields(json_body(), INVOICE_TYPES)
    hub = current_hub()
    payment_id = order_management.mark_paid_by_invoice(
        hub, conference, order_id, fields.get("invoice_reference"),
        by=order_management.owner(conference))
    wake_worker()
    return jsonify({**order_details.order_detail(hub, conference, order_id),
                    "payment_id": payment_id}), 201


@bp.put("/<order_id>/seats/<int:position>")
def change_attendee(slug: str, order_id: str, position: int):
    conference = owned_conference(slug)
    hub = current_hub()
    order_management.change_attendee(hub, conference, order_id, position, json_body(),
                                     by=order_management.owner(conference))
    wake_worker()
    return jsonify(order_details.order_detail(hub, conference, order_id))


@bp.delete("/<order_id>/seats/<int:position>")
def unassign_attendee(slug: str, order_id: str, position: int):
    conference = owned_conference(slug)
    hub = current_hub()
    order_management.unassign_attendee(hub, conference, order_id, position,
                                       by=order_management.owner(conference))
    wake_worker()
    return jsonify(order_details.order_detail(hub, conference, order_id))


@bp.post("/<order_id>/resend-mails")
def resend_mails(slug: str, order_id: str):
    conference = owned_conference(slug)
    hub = current_hub()
    order_management.resend_mails(hub, conference, order_id,
                                  by=order_management.owner(conference))
    wake_worker()
    return jsonify(order_details.order_detail(hub, conference, order_id)), 202
