"""The Order aggregate: what a registrant wants, what was reserved, and its fate."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared_domain.errors import DomainError
from shared_domain.people import require_email, require_name
from shared_domain.pricing import OrderLine, SeatTypePrice, price_order
from shared_domain.seats import SeatQuantity, covers, merged, require_valid_quantities

STREAM_PREFIX = "order-"
# What the registrant is shown; the process manager releases seats a little later.
RESERVATION_WINDOW = timedelta(minutes=15)

PLACED, RESERVED, EXPIRED, CONFIRMED = "placed", "reserved", "expired", "confirmed"


def stream_id(order_id: str) -> str:
    """An order's events live in the stream order-<order_id>."""
    return STREAM_PREFIX + order_id


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class RegisterToConference:
    order_id: str
    conference_id: str
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class MarkSeatsAsReserved:
    order_id: str
    seats: tuple[SeatQuantity, ...]
    expiration: datetime


@dataclass(frozen=True)
class RejectOrder:
    order_id: str


@dataclass(frozen=True)
class AssignRegistrantDetails:
    order_id: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class ConfirmOrder:
    order_id: str


@dataclass(frozen=True)
class ReinstateOrder:
    order_id: str
    seats: tuple[SeatQuantity, ...]
    expiration: datetime


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class OrderPlaced:
    order_id: str
    conference_id: str
    seats: tuple[SeatQuantity, ...]
    reservation_auto_expiration: datetime
    access_code: str


@dataclass(frozen=True)
class OrderUpdated:
    order_id: str
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class OrderTotalsCalculated:
    order_id: str
    lines: tuple[OrderLine, ...]
    total_cents: int
    is_free_of_charge: bool


@dataclass(frozen=True)
class OrderPartiallyReserved:
    order_id: str
    reservation_expiration: datetime
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class OrderReservationCompleted:
    order_id: str
    reservation_expiration: datetime
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class OrderExpired:
    order_id: str


@dataclass(frozen=True)
class OrderRegistrantAssigned:
    order_id: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class OrderConfirmed:
    order_id: str


@dataclass(frozen=True)
class OrderReinstated:
    order_id: str
    seats: tuple[SeatQuantity, ...]
    reservation_expiration: datetime


ORDER_EVENTS = (
    OrderPlaced, OrderUpdated, OrderTotalsCalculated, OrderPartiallyReserved,
    OrderReservationCompleted, OrderExpired, OrderRegistrantAssigned, OrderConfirmed,
    OrderReinstated,
)
ORDER_COMMANDS = (
    RegisterToConference, MarkSeatsAsReserved, RejectOrder, AssignRegistrantDetails,
    ConfirmOrder, ReinstateOrder,
)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class OrderState:
    order_id: str
    conference_id: str
    status: str  # placed | reserved | expired | confirmed
    wanted_seats: tuple[SeatQuantity, ...]
    reserved_seats: tuple[SeatQuantity, ...] = ()
    reservation_expiration: datetime | None = None
    access_code: str = ""
    lines: tuple[OrderLine, ...] = ()
    total_cents: int = 0
    registrant_email: str | None = None


def evolve(state: OrderState | None, event: object) -> OrderState:
    """Apply one order event to the state."""
    if isinstance(event, OrderPlaced):
        return OrderState(
            order_id=event.order_id, conference_id=event.conference_id, status=PLACED,
            wanted_seats=event.seats, reservation_expiration=event.reservation_auto_expiration,
            access_code=event.access_code,
        )
    assert state is not None, f"{type(event).__name__} before OrderPlaced"
    match event:
        case OrderUpdated(seats=seats):
            return replace(state, status=PLACED, wanted_seats=seats, reserved_seats=())
        case OrderTotalsCalculated(lines=lines, total_cents=total):
            return replace(state, lines=lines, total_cents=total)
        case OrderPartiallyReserved() | OrderReservationCompleted():
            return replace(state, status=RESERVED, reserved_seats=event.seats,
                           reservation_expiration=event.reservation_expiration)
        case OrderReinstated(seats=seats, reservation_expiration=expiration):
            return replace(state, status=RESERVED, reserved_seats=seats,
                           reservation_expiration=expiration)
        case OrderExpired():
            return replace(state, status=EXPIRED)
        case OrderRegistrantAssigned(email=email):
            return replace(state, registrant_email=email)
        case OrderConfirmed():
            return replace(state, status=CONFIRMED)
    raise TypeError(f"not an order event: {event!r}")


def fold(events: Iterable[object], state: OrderState | None = None) -> OrderState | None:
    """Rebuild an order from its events."""
    for event in events:
        state = evolve(state, event)
    return state


# --- decisions --------------------------------------------------------------

# The order commands whose decision needs the conference's prices.
PRICED_COMMANDS = (RegisterToConference, MarkSeatsAsReserved)


def decide(
    state: OrderState | None,
    command: object,
    *,
    now: datetime,
    prices: Mapping[str, SeatTypePrice] | None = None,
    access_code: str = "",
    reservation_window: timedelta = RESERVATION_WINDOW,
) -> list[object]:
    """Return the events an order command causes, or raise DomainError."""
    _require_aware(now)
    if isinstance(command, RegisterToConference):
        return _register(state, command, now, _required(prices), access_code, reservation_window)
    order = _existing(state)
    match command:
        case MarkSeatsAsReserved():
            return _mark_as_reserved(order, command, _required(prices))
        case RejectOrder():
            return _reject(order)
        case AssignRegistrantDetails():
            return _assign_registrant(order, command)
        case ConfirmOrder():
            return _confirm(order)
        case ReinstateOrder():
            return _reinstate(order, command)
    raise TypeError(f"not an order command: {command!r}")


def _register(state, cmd, now, prices, access_code, window) -> list[object]:
    """Place a new order, or change the seats of one not yet confirmed; both are priced."""
    require_valid_quantities(cmd.seats)
    seats = merged(cmd.seats)
    if not seats:
        raise DomainError("empty_order", "An order must ask for at least one seat.")
    lines, total = price_order(seats, prices)
    totals = OrderTotalsCalculated(cmd.order_id, lines, total, total == 0)
    if state is None:
        if not access_code:
            raise ValueError("placing an order needs the access_code the hub generated")
        placed = OrderPlaced(cmd.order_id, cmd.conference_id, seats, now + window, access_code)
        return [placed, totals]
    _require_open(state)
    if cmd.conference_id != state.conference_id:
        raise DomainError("conference_mismatch", "This order belongs to another conference.")
    return [OrderUpdated(cmd.order_id, seats), totals]


def _mark_as_reserved(order: OrderState, cmd: MarkSeatsAsReserved, prices) -> list[object]:
    """Record what was reserved (maybe less than wanted) and re-price on it."""
    _require_open(order)
    _require_aware(cmd.expiration)
    require_valid_quantities(cmd.seats)
    reserved = merged(cmd.seats)
    lines, total = price_order(reserved, prices)
    if covers(reserved, order.wanted_seats):
        outcome = OrderReservationCompleted(order.order_id, cmd.expiration, reserved)
    else:
        outcome = OrderPartiallyReserved(order.order_id, cmd.expiration, reserved)
    return [outcome, OrderTotalsCalculated(order.order_id, lines, total, total == 0)]


def _reject(order: OrderState) -> list[object]:
    """Expire an unconfirmed order; expiring it again changes nothing."""
    if order.status == EXPIRED:
        return []
    if order.status == CONFIRMED:
        raise DomainError("order_confirmed", "A confirmed order cannot be rejected.")
    return [OrderExpired(order.order_id)]


def _assign_registrant(order: OrderState, cmd: AssignRegistrantDetails) -> list[object]:
    """Name the registrant of any order that has not expired."""
    if order.status == EXPIRED:
        raise DomainError("order_expired", "This order has expired.")
    require_name(cmd.first_name, "first_name")
    require_name(cmd.last_name, "last_name")
    require_email(cmd.email)
    return [OrderRegistrantAssigned(order.order_id, cmd.first_name.strip(),
                                    cmd.last_name.strip(), cmd.email.strip())]


def _confirm(order: OrderState) -> list[object]:
    """Confirm a reserved order holding seats, once; an expired order never."""
    if order.status == CONFIRMED:
        return []
    if order.status == EXPIRED:
        raise DomainError("order_expired", "This order has expired and cannot be confirmed.")
    if order.status != RESERVED:
        raise DomainError("order_not_reserved", "Seats are still being reserved for this order.")
    if not order.reserved_seats:
        raise DomainError("empty_order", "No seats could be reserved for this order.")
    return [OrderConfirmed(order.order_id)]


def _reinstate(order: OrderState, cmd: ReinstateOrder) -> list[object]:
    """Bring an expired order back on seats re-acquired for a late payment."""
    seats = merged(cmd.seats)
    if order.status in (RESERVED, CONFIRMED) and seats == order.reserved_seats:
        return []  # a redelivered reinstatement
    if order.status != EXPIRED:
        raise DomainError("order_not_expired", "Only an expired order can be reinstated.")
    _require_aware(cmd.expiration)
    if not seats:
        raise DomainError("empty_order", "An order must hold at least one seat.")
    return [OrderReinstated(order.order_id, seats, cmd.expiration)]


def _require_open(order: OrderState) -> None:
    if order.status == CONFIRMED:
        raise DomainError("order_confirmed", "This order is confirmed and can no longer change.")
    if order.status == EXPIRED:
        raise DomainError("order_expired", "This order has expired.")


def _existing(state: OrderState | None) -> OrderState:
    if state is None:
        raise DomainError("unknown_order", "There is no such order.")
    return state


def _required(prices: Mapping[str, SeatTypePrice] | None) -> Mapping[str, SeatTypePrice]:
    if prices is None:
        raise ValueError("this order command needs the conference's prices")
    return prices


def _require_aware(moment: datetime) -> None:
    # Naive datetimes would silently compare against the wrong zone on another machine.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")
