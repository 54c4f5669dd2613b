"""On-site sales: a planner sells seats of the node's allocation, paid on the spot."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared_domain.allocations import Holding, require_left
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo, require_email, require_name
from shared_domain.pricing import SeatTypePrice
from shared_domain.promotions import LineDiscount

PAYMENT_METHODS = ("cash", "card_terminal", "invoice")
MAX_PER_LINE = 50


@dataclass(frozen=True)
class SaleLine:
    seat_type: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int


@dataclass(frozen=True)
class SoldSeat:
    """A seat of a sale: its id ("<sale_id>:<n>") and the provisional code the node signed."""
    seat_id: str
    position: int
    seat_type: str
    code: str


@dataclass(frozen=True)
class OnSiteSaleMade:
    sale_id: str
    conference_id: str
    node_id: str
    epoch: int
    buyer: PersonalInfo
    buyer_seat_id: str        # the seat the buyer already held (an add-on), or ""
    lines: tuple[SaleLine, ...]
    total_cents: int
    payment_method: str       # cash | card_terminal | invoice
    payment_reference: str    # the card terminal's or the invoice's number
    sold_at: str
    by: str
    seats: tuple[SoldSeat, ...] = ()
    # "<origin>@<seq>" of every other node's facts the seller held when it sold: the hub
    # judges the sale against exactly those facts (a peer's hand-over may arrive later).
    causal_context: tuple[str, ...] = ()
    # Promotional codes (docs/promotions.md, "At the doors"): the codes granted, what each
    # takes off each line (`lines` stay at list price; `total_cents` is what was paid), and
    # the hub's seq of this conference the door held, so the hub checks the code's terms as
    # the door knew them. A sale before codes at the doors has none: read as before.
    codes: tuple[str, ...] = ()
    discounts: tuple[LineDiscount, ...] = ()
    discount_cents: int = 0
    hub_seq: int = 0


@dataclass(frozen=True)
class OnSiteSaleCancelled:
    sale_id: str
    node_id: str
    epoch: int
    cancelled_at: str
    by: str
    refund_cents: int
    refund_method: str


@dataclass(frozen=True)
class OnSiteOrderRecorded:
    """The hub's order for a sale made at a node (the hub's own event, once per sale)."""
    order_id: str
    conference_id: str
    node_id: str
    lines: tuple[SaleLine, ...]
    total_cents: int
    buyer: PersonalInfo
    payment_method: str
    payment_reference: str
    sold_at: str
    # The door's codes and discounts, as in OnSiteSaleMade (none on older orders).
    codes: tuple[str, ...] = ()
    discounts: tuple[LineDiscount, ...] = ()
    discount_cents: int = 0


SALE_EVENTS = (OnSiteSaleMade, OnSiteSaleCancelled, OnSiteOrderRecorded)


def receipt_number(sale_id: str) -> str:
    """The short number a receipt carries (printed at the door, mailed by the hub): the
    random tail of the sale's id, upper case."""
    return sale_id.replace("-", "")[-10:].upper()


def price_sale(wanted: Mapping[str, int], prices: Mapping[str, SeatTypePrice]) -> tuple[SaleLine, ...]:
    """Lines for the quantities wanted; an unknown seat type or a bad quantity is refused."""
    lines = []
    for seat_type, quantity in wanted.items():
        if seat_type not in prices:
            raise DomainError("unknown_seat_type", f"Unknown seat type {seat_type!r}.")
        if isinstance(quantity, bool) or not isinstance(quantity, int) \
                or not 0 <= quantity <= MAX_PER_LINE:
            raise DomainError("invalid_quantity", f"Sell 0 to {MAX_PER_LINE} of a seat type.")
        if quantity:
            price = prices[seat_type]
            lines.append(SaleLine(seat_type, price.name, quantity, price.price_cents,
                                  quantity * price.price_cents))
    if not lines:
        raise DomainError("empty_sale", "Choose at least one seat to sell.")
    return tuple(lines)


def decide_sale(holdings: Mapping[str, Holding], lines: tuple[SaleLine, ...], *,
                buyer: PersonalInfo, payment_method: str, payment_reference: str) -> None:
    """Refuse a sale beyond what the node may still sell, or without a proper buyer or payment."""
    require_name(buyer.first_name, "first_name")
    require_name(buyer.last_name, "last_name")
    require_email(buyer.email)
    if payment_method not in PAYMENT_METHODS:
        raise DomainError("invalid_payment_method",
                          f"Take payment as one of: {', '.join(PAYMENT_METHODS)}.")
    if payment_method in ("card_terminal", "invoice") and not payment_reference.strip():
        raise DomainError("payment_reference_required",
                          "Enter the card terminal's receipt number or the invoice number.")
    for line in lines:
        require_left(holdings, line.seat_type, line.quantity, line.name)


def causal_context(vector: Mapping[str, int], own_origin: str) -> tuple[str, ...]:
    """The other nodes' facts a decision saw, as "<origin>@<seq>" (the hub's are always known)."""
    return tuple(f"{origin}@{seq}" for origin, seq in sorted(vector.items())
                 if origin != own_origin and not origin.startswith("hub/"))


def parse_context(context: tuple[str, ...]) -> dict[str, int]:
    return {origin: int(seq) for origin, _, seq in (item.rpartition("@") for item in context)}


def cancel_sale(sale: OnSiteSaleMade, cancelled: bool, *, at: str, by: str,
                refund_method: str) -> list:
    """Cancel a sale once: its seats go back to the node, the refund is recorded."""
    if cancelled:
        raise DomainError("sale_cancelled", "This sale is already cancelled.")
    return [OnSiteSaleCancelled(sale.sale_id, sale.node_id, sale.epoch, at, by,
                                sale.total_cents, refund_method or sale.payment_method)]
