"""Pricing an order: unit prices per seat type, lines and a total in integer cents."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity, merged


@dataclass(frozen=True)
class SeatTypePrice:
    seat_type: str
    name: str
    price_cents: int


@dataclass(frozen=True)
class OrderLine:
    seat_type: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int


def price_line(seat: SeatQuantity, prices: Mapping[str, SeatTypePrice]) -> OrderLine:
    """A line costs its quantity times the seat type's unit price; unknown types are refused."""
    price = prices.get(seat.seat_type)
    if price is None:
        raise DomainError("unknown_seat_type", f"Seat type {seat.seat_type!r} is not sold here.")
    return OrderLine(
        seat_type=seat.seat_type,
        name=price.name,
        quantity=seat.quantity,
        unit_price_cents=price.price_cents,
        line_total_cents=seat.quantity * price.price_cents,
    )


def price_order(
    seats: Iterable[SeatQuantity], prices: Mapping[str, SeatTypePrice]
) -> tuple[tuple[OrderLine, ...], int]:
    """Price each seat type once (zero lines dropped); the total is the sum of the lines."""
    lines = tuple(price_line(seat, prices) for seat in merged(seats))
    return lines, sum(line.line_total_cents for line in lines)
