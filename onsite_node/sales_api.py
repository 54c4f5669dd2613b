"""The planner's JSON API on a node (staff only): what can be sold, sales, allocation moves."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request

from onsite_node.server import _service, _staff
from shared_domain.door_codes import MAX_CODES
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo

bp = Blueprint("node_sales_api", __name__, url_prefix="/api")


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError("malformed_request", "The body must be a JSON object.")
    return body


def _text(body: dict, field: str, limit: int = 200) -> str:
    value = body.get(field, "")
    if not isinstance(value, str):
        raise DomainError("invalid_fields", f"{field} must be text.")
    return value.strip()[:limit]


@bp.get("/sales/offer")
def offer():
    _staff()
    return jsonify(seat_types=_service().sales.offer())


@bp.post("/sales")
def sell():
    """Sell seats of this node's allocation; refused with how many are left when short."""
    by, body = _staff(), _body()
    buyer = body.get("buyer") if isinstance(body.get("buyer"), dict) else {}
    seats = body.get("seats")
    if not isinstance(seats, dict):
        raise DomainError("invalid_fields", "seats must map seat type ids to quantities.")
    sale = _service().sales.sell(
        buyer=PersonalInfo(_text(buyer, "first_name", 100), _text(buyer, "last_name", 100),
                           _text(buyer, "email", 254), _text(buyer, "company")),
        wanted=seats, payment_method=_text(body, "payment_method", 20),
        payment_reference=_text(body, "payment_reference", 100),
        buyer_seat_id=_text(body, "buyer_seat_id", 60), by=by, codes=_codes(body))
    return jsonify(asdict(sale)), 201


def _codes(body: dict) -> tuple[str, ...]:
    """`codes`: the promotional codes typed, a list of at most a few short texts."""
    codes = body.get("codes", [])
    if not isinstance(codes, list) or len(codes) > MAX_CODES \
            or not all(isinstance(code, str) and len(code) <= 40 for code in codes):
        raise DomainError("invalid_fields", f"codes must be a list of at most {MAX_CODES} "
                          "promotional codes.")
    return tuple(codes)


@bp.post("/sales/<sale_id>/cancel")
def cancel(sale_id):
    by, body = _staff(), request.get_json(silent=True) or {}
    _service().sales.cancel(sale_id, by=by, refund_method=str(body.get("refund_method", ""))[:20])
    return jsonify(sale_id=sale_id, cancelled=True)


@bp.post("/allocation/hand-over")
def hand_over():
    by, body = _staff(), _body()
    _service().sales.hand_over(_text(body, "to_node_id", 36), _text(body, "seat_type", 36),
                               body.get("quantity"), by=by)
    return jsonify(seat_types=_service().sales.offer())


@bp.post("/allocation/return")
def give_back():
    by, body = _staff(), _body()
    _service().sales.give_back(_text(body, "seat_type", 36), body.get("quantity"), by=by)
    return jsonify(seat_types=_service().sales.offer())
