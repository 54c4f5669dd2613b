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


def codes_of(rows) -> list[dict]:
    """The codes of an order from its (code, seat_type, amount_cents) rows, in order."""
    rows = list(rows)
    codes = {code: {"code": code, "discount_cents": 0, "lines": []}
             for code, seat_type, _ in rows if not seat_type}
    for code, seat_type, amount in rows:
        if seat_type and code in codes:
            codes[code]["discount_cents"] += amount
            codes[code]["lines"].append({"seat_type": seat_type, "discount_cents": amount})
    return list(codes.values())


def code_table(hub) -> str:
    """The table order_json reads an order's codes from, in the same statement."""
    return views(hub).m.OrderCodeView._meta.table_name


def cut_per_line(codes: list[dict]) -> dict[str, int]:
    """Per seat type, what the codes (as codes_of gives them) take off that line."""
    cut: dict[str, int] = {}
    for code in codes:
        for line in code["lines"]:
            cut[line["seat_type"]] = cut.get(line["seat_type"], 0) + line["discount_cents"]
    return cut
