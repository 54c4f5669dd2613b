"""The planner's sale form read from a request: the buyer, the quantities, the payment.

Each reader returns what it could read and the errors to show next to the fields; the
domain decides the rest (prices, what is left, which payments need a reference).
"""
from __future__ import annotations

from collections.abc import Mapping

from kiosk_ui.ports import Buyer, SeatOffer
from shared_domain.people import looks_like_email

WALK_IN_FIELDS = {"first_name": 100, "last_name": 100, "email": 254, "company": 200}
REFERENCE_LENGTH = 100
# Domain refusals that belong next to one field of the form (the rest go above it).
FIELD_OF_REFUSAL = {"payment_reference_required": "payment_reference",
                    "invalid_payment_method": "payment_method",
                    **{code: "code" for code in (
                        "promotional_code_not_found", "promotional_code_limited",
                        "promotional_code_expired", "promotional_code_not_yet_valid",
                        "promotional_code_not_combinable", "promotional_code_not_applicable",
                        "too_many_attempts")}}
CODE_LENGTH = 40


def one_line(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def walk_in_from(form: Mapping[str, str]) -> tuple[Buyer, dict[str, str]]:
    """A walk-in as typed; first and last name and a plausible email are required."""
    buyer: Buyer = {"seat_id": "", "holds": [],
                    **{field: one_line(form.get(field), limit)
                       for field, limit in WALK_IN_FIELDS.items()}}
    errors = {}
    if not buyer["first_name"]:
        errors["first_name"] = "Type the first name."
    if not buyer["last_name"]:
        errors["last_name"] = "Type the last name."
    if not looks_like_email(buyer["email"]):
        errors["email"] = ("Type the email address: the hub mails the receipt and the tickets "
                           "there once this door syncs."
                           if not buyer["email"] else "This is not an email address.")
    return buyer, errors


def quantities_from(form: Mapping[str, str],
                    offer: list[SeatOffer]) -> tuple[dict[str, int], dict[str, str]]:
    """Quantities of the seat types on offer (`qty-<seat type id>`); blank is none."""
    quantities, errors = {}, {}
    for seat in offer:
        field = f"qty-{seat['seat_type']}"
        raw = (form.get(field) or "0").strip() or "0"
        if not raw.isdigit() or len(raw) > 4:
            errors[field] = f"Type a whole number of seats, {seat_range(seat)}."
            continue
        quantities[seat["seat_type"]] = int(raw)
        if int(raw) > seat["left"]:     # the domain refuses it too; say the range here first
            errors[field] = (f"Type {seat_range(seat)}. Ask the hub admin to raise this "
                             "door's allocation, or borrow seats from another door.")
    return quantities, errors


def seat_range(seat: SeatOffer) -> str:
    """What may be typed for a seat type: "0 to 7 (7 left at this door)"."""
    left = max(seat["left"], 0)
    return f"0 to {left} ({left} left at this door)"


def wanted(quantities: dict[str, int]) -> dict[str, int]:
    return {seat_type: n for seat_type, n in quantities.items() if n}


def payment_from(form: Mapping[str, str]) -> tuple[str, str]:
    return (one_line(form.get("payment_method"), 20),
            one_line(form.get("payment_reference"), REFERENCE_LENGTH))


def codes_from(form: Mapping[str, str]) -> tuple[str, ...]:
    """The promotional code typed at the desk (one field), or none."""
    code = one_line(form.get("code"), CODE_LENGTH)
    return (code,) if code else ()


def shown_total(form: Mapping[str, str]) -> int | None:
    """The total the planner saw (and told the buyer) when pressing Sell."""
    raw = (form.get("shown_total") or "").strip()
    return int(raw) if raw.isdigit() else None
