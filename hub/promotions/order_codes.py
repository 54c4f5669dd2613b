"""The registrant's side: apply a code to an order or remove it; what the order's codes take
off. Wrong codes count as guesses, per order and per address (hub/accounts/guesses.py): the
order's key is reachable only with the order's proof of ownership, so a stranger cannot
spend its owner's tries."""
from __future__ import annotations

from hub.accounts import guesses
from hub.promotions.codes import catch_up_views, views
from shared_domain import orders
from shared_domain.errors import DomainError

GUESSED = ("promotional_code_not_found",)


def guess_key(order_id: str) -> str:
    return f"promo:{order_id}"


def apply_code(hub, order_id: str, code, *, client: str = "") -> None:
    """Apply a code to the order; a code nobody has counts as a failed guess."""
    if not isinstance(code, str) or len(code) > 100:
        raise DomainError("invalid_promotional_code", "Give the code as text.")
    key = guess_key(order_id)
    guesses.refuse_if_guessing(hub, key, client, "promotional codes")
    try:
        hub.bus.handle(orders.ApplyPromotionalCode(order_id, code), correlation=order_id)
    except DomainError as refused:
        if refused.code in GUESSED:
            guesses.remember(hub, key, client, succeeded=False)
        raise
    guesses.remember(hub, key, client, succeeded=True)
    _settled(hub)


def remove_code(hub, order_id: str, code) -> None:
    if not isinstance(code, str) or len(code) > 100:
        raise DomainError("invalid_promotional_code", "Give the code as text.")
    hub.bus.handle(orders.RemovePromotionalCode(order_id, code), correlation=order_id)
    _settled(hub)


def _settled(hub) -> None:
    hub.settle()
    hub.refresh_read_models()
    catch_up_views(hub)


def order_codes(hub, order_id: str) -> list[dict]:
    """The order's codes in the order applied, each with what it takes off each line."""
    O = views(hub).m.OrderCodeView
    rows = list(O.select().where(O.order_id == order_id).order_by(O.position, O.id))
    codes = {row.code: {"code": row.code, "discount_cents": 0, "lines": []}
             for row in rows if not row.seat_type}
    for row in rows:
        if row.seat_type and row.code in codes:
            codes[row.code]["discount_cents"] += row.amount_cents
            codes[row.code]["lines"].append({"seat_type": row.seat_type,
                                             "discount_cents": row.amount_cents})
    return list(codes.values())


def line_discounts(hub, order_id: str, codes: list[dict] | None = None) -> dict[str, int]:
    """Per seat type, what all the order's codes take off that line."""
    cut: dict[str, int] = {}
    for code in order_codes(hub, order_id) if codes is None else codes:
        for line in code["lines"]:
            cut[line["seat_type"]] = cut.get(line["seat_type"], 0) + line["discount_cents"]
    return cut
