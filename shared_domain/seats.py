"""Seat quantities per seat type, the unit every registration message counts in."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared_domain.errors import DomainError

# Far above any venue; stops a typo (or an attacker) from asking for a billion seats.
MAX_SEAT_QUANTITY = 100_000


@dataclass(frozen=True)
class SeatQuantity:
    seat_type: str
    quantity: int


def as_mapping(seats: Iterable[SeatQuantity]) -> dict[str, int]:
    """Sum quantities per seat type, keeping the order seat types first appear in."""
    totals: dict[str, int] = {}
    for seat in seats:
        totals[seat.seat_type] = totals.get(seat.seat_type, 0) + seat.quantity
    return totals


def from_mapping(quantities: Mapping[str, int]) -> tuple[SeatQuantity, ...]:
    """Turn per-type quantities into seat quantities, dropping zero lines."""
    return tuple(SeatQuantity(t, q) for t, q in quantities.items() if q != 0)


def merged(seats: Iterable[SeatQuantity]) -> tuple[SeatQuantity, ...]:
    """One line per seat type, zero lines dropped."""
    return from_mapping(as_mapping(seats))


def total_quantity(seats: Iterable[SeatQuantity]) -> int:
    """How many seats, all types together."""
    return sum(seat.quantity for seat in seats)


def require_valid_quantities(seats: Iterable[SeatQuantity]) -> None:
    """Each requested quantity is a whole number from 0 to MAX_SEAT_QUANTITY."""
    for seat in seats:
        q = seat.quantity
        if isinstance(q, bool) or not isinstance(q, int) or not 0 <= q <= MAX_SEAT_QUANTITY:
            raise DomainError(
                "invalid_quantity",
                f"Quantity for {seat.seat_type!r} must be between 0 and {MAX_SEAT_QUANTITY}.",
            )
    if total_quantity(merged(seats)) > MAX_SEAT_QUANTITY:
        raise DomainError("invalid_quantity", f"No order can hold more than {MAX_SEAT_QUANTITY} seats.")


def covers(held: Iterable[SeatQuantity], wanted: Iterable[SeatQuantity]) -> bool:
    """True when `held` has at least the wanted quantity of every seat type."""
    have = as_mapping(held)
    return all(have.get(t, 0) >= q for t, q in as_mapping(wanted).items())
