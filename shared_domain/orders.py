"""The Order aggregate: what a registrant wants, what was reserved, and its fate."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from shared_domain import limits
from shared_domain.errors import DomainError
from shared_domain.people import require_email, require_name
from shared_domain.pricing import OrderLine, SeatTypePrice, price_order
from shared_domain.promotions import (
    SEATS_CHANGED, Discount, LineDiscount, admit, apply_codes, seats_in_scope,
)
from shared_domain.sales import OnSiteOrderRecorded
from shared_domain.seats import SeatQuantity, covers, merged, require_valid_quantities

STREAM_PREFIX = "order-"
# What the registrant is shown; the process manager releases seats a little later.
RESERVATION_WINDOW = timedelta(minutes=15)

PLACED, RESERVED, EXPIRED, CONFIRMED = "placed", "reserved", "expired", "confirmed"
CANCELLED = "cancelled"
# Who asked for a cancellation: the organiser's side (the conference owner, or a hub admin
# acting for them) or the registrant, within the organiser's deadline.
ORGANISER, REGISTRANT = "organiser", "registrant"
ROLES = (ORGANISER, REGISTRANT)


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


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    by: str           # who: "owner:<email>", "admin:<email>" or "registrant:<email>"
    role: str         # "organiser" | "registrant"
    reason: str = ""  # in the canceller's words, at most limits.CANCELLATION_REASON_MAX


@dataclass(frozen=True)
class ResendOrderMails:
    order_id: str
    by: str


@dataclass(frozen=True)
class ApplyPromotionalCode:
    order_id: str
    code: str


@dataclass(frozen=True)
class RemovePromotionalCode:
    order_id: str
    code: str


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


@dataclass(frozen=True)
class OrderReinstatementRefused:
    """A late payment's seats came back, but a code of the order was used up meanwhile: the
    order stays expired and the payment goes back (the process manager refunds it), so no
    order keeps a discount outside a code's quota (docs/promotions.md)."""
    order_id: str
    code: str
    reason: str          # promotional_code_exhausted


@dataclass(frozen=True)
class OrderCancelled:
    """The order is cancelled: its seats go back on sale, its tickets are revoked, what was
    paid is refunded (the process manager and the ticket issuer act on it)."""
    order_id: str
    conference_id: str
    by: str           # who: "owner:<email>", "admin:<email>" or "registrant:<email>"
    role: str         # "organiser" | "registrant"
    reason: str


@dataclass(frozen=True)
class OrderMailsResendRequested:
    """Someone on the organiser's side asked for the order's mails to be sent again."""
    order_id: str
    conference_id: str
    by: str


@dataclass(frozen=True)
class PromotionalCodeApplied:
    """The order was given the code's terms; `seats`: its seats in the code's scope then
    (the use the code's own stream holds for it)."""
    order_id: str
    conference_id: str
    discount: Discount
    seats: int


@dataclass(frozen=True)
class PromotionalCodeRemoved:
    order_id: str
    conference_id: str
    code: str
    reason: str       # removed (by the registrant) | seats_changed


@dataclass(frozen=True)
class OrderDiscountsCalculated:
    """What the order's codes take off each line; the OrderTotalsCalculated after it
    carries the discounted total. Orders that never had a code have none of these."""
    order_id: str
    discounts: tuple[LineDiscount, ...]
    discount_cents: int


ORDER_EVENTS = (
    OrderPlaced, OrderUpdated, OrderTotalsCalculated, OrderPartiallyReserved,
    OrderReservationCompleted, OrderExpired, OrderRegistrantAssigned, OrderConfirmed,
    OrderReinstated, OrderCancelled, OrderMailsResendRequested,
    PromotionalCodeApplied, PromotionalCodeRemoved, OrderDiscountsCalculated,
    OrderReinstatementRefused,
)
ORDER_COMMANDS = (
    RegisterToConference, MarkSeatsAsReserved, RejectOrder, AssignRegistrantDetails,
    ConfirmOrder, ReinstateOrder, CancelOrder, ResendOrderMails,
    ApplyPromotionalCode, RemovePromotionalCode,
)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class OrderState:
    order_id: str
    conference_id: str
    status: str  # placed | reserved | expired | confirmed | cancelled
    wanted_seats: tuple[SeatQuantity, ...]
    reserved_seats: tuple[SeatQuantity, ...] = ()
    reservation_expiration: datetime | None = None
    access_code: str = ""
    lines: tuple[OrderLine, ...] = ()
    total_cents: int = 0
    registrant_email: str | None = None
    sold_on_site_by: str = ""   # the node whose sale this order is ("" for an online order)
    codes: tuple[tuple[Discount, int], ...] = ()   # promotional codes applied, with their seats
    discounts: tuple[LineDiscount, ...] = ()

    @property
    def discount_terms(self) -> tuple[Discount, ...]:
        return tuple(discount for discount, _ in self.codes)


def evolve(state: OrderState | None, event: object) -> OrderState:
    """Apply one order event to the state."""
    if isinstance(event, OrderPlaced):
        return OrderState(
            order_id=event.order_id, conference_id=event.conference_id, status=PLACED,
            wanted_seats=event.seats, reservation_expiration=event.reservation_auto_expiration,
            access_code=event.access_code,
        )
    if isinstance(event, OnSiteOrderRecorded):   # a door's sale: confirmed as it is recorded
        seats = merged(SeatQuantity(line.seat_type, line.quantity) for line in event.lines)
        return OrderState(order_id=event.order_id, conference_id=event.conference_id,
                          status=CONFIRMED, wanted_seats=seats, reserved_seats=seats,
                          total_cents=event.total_cents, registrant_email=event.buyer.email,
                          sold_on_site_by=event.node_id)
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
        case OrderCancelled():
            return replace(state, status=CANCELLED)
        case OrderMailsResendRequested() | OrderReinstatementRefused():
            return state
        case PromotionalCodeApplied(discount=discount, seats=seats):
            return replace(state, codes=state.codes + ((discount, seats),))
        case PromotionalCodeRemoved(code=code):
            return replace(state, codes=tuple(c for c in state.codes if c[0].code != code))
        case OrderDiscountsCalculated(discounts=discounts):
            return replace(state, discounts=discounts)
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
    cancellation_deadline: datetime | None = None,
    discount: Discount | None = None,
) -> list[object]:
    """Return the events an order command causes, or raise DomainError.

    `cancellation_deadline`: until when the conference lets registrants cancel their own
    orders (None: it does not). `discount`: the terms of the code ApplyPromotionalCode
    names, as its stream holds them."""
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
        case CancelOrder():
            return _cancel(order, command, now, cancellation_deadline)
        case ResendOrderMails():
            return _resend_mails(order, command)
        case ApplyPromotionalCode():
            if discount is None:
                raise ValueError("applying a code needs its terms")
            return _apply_code(order, discount)
        case RemovePromotionalCode():
            return _remove_code(order, command)
    raise TypeError(f"not an order command: {command!r}")


def _register(state, cmd, now, prices, access_code, window) -> list[object]:
    """Place a new order, or change the seats of one not yet confirmed; both are priced."""
    require_valid_quantities(cmd.seats)
    seats = merged(cmd.seats)
    if not seats:
        raise DomainError("empty_order", "An order must ask for at least one seat.")
    lines, total = price_order(seats, prices)
    if state is None:
        if not access_code:
            raise ValueError("placing an order needs the access_code the hub generated")
        placed = OrderPlaced(cmd.order_id, cmd.conference_id, seats, now + window, access_code)
        return [placed, OrderTotalsCalculated(cmd.order_id, lines, total, total == 0)]
    _require_open(state)
    if cmd.conference_id != state.conference_id:
        raise DomainError("conference_mismatch", "This order belongs to another conference.")
    dropped = [code for code, held in state.codes if not _still_fits(code, held, seats, lines)]
    removed = [PromotionalCodeRemoved(state.order_id, state.conference_id, code.code,
                                      SEATS_CHANGED) for code in dropped]
    kept = tuple(code for code in state.discount_terms if code not in dropped)
    return [OrderUpdated(cmd.order_id, seats), *removed, *_totals(state, lines, kept)]


def _still_fits(code: Discount, held: int, seats, lines) -> bool:
    """A code stays on an order whose seats change while it still applies and its seats in
    scope did not grow beyond those its use was held for."""
    applies = any(code.covers(line.seat_type) and line.line_total_cents for line in lines)
    return applies and seats_in_scope(code, seats) <= held


def _totals(order: OrderState, lines, codes: tuple[Discount, ...]) -> list[object]:
    """The order's totals on these lines; with its codes' discounts first when it has or had
    any (an order that never had a code prices exactly as before)."""
    if not codes and not order.codes:
        total = sum(line.line_total_cents for line in lines)
        return [OrderTotalsCalculated(order.order_id, lines, total, total == 0)]
    priced = apply_codes(lines, codes)
    return [OrderDiscountsCalculated(order.order_id, priced.discounts, priced.discount_cents),
            OrderTotalsCalculated(order.order_id, lines, priced.total_cents,
                                  priced.total_cents == 0)]


def _apply_code(order: OrderState, discount: Discount) -> list[object]:
    """Give an open order a code that combines with its others and discounts a line of it."""
    _require_open(order)
    admit(order.discount_terms, discount, order.lines)
    applied = PromotionalCodeApplied(order.order_id, order.conference_id, discount,
                                     seats_in_scope(discount, order.wanted_seats))
    after = evolve(order, applied)
    return [applied, *_totals(after, order.lines, after.discount_terms)]


def _remove_code(order: OrderState, cmd: RemovePromotionalCode) -> list[object]:
    """Take a code off an open order and re-price it."""
    _require_open(order)
    if cmd.code not in (code.code for code in order.discount_terms):
        raise DomainError("promotional_code_not_applied",
                          "That code is not applied to this order.")
    removed = PromotionalCodeRemoved(order.order_id, order.conference_id, cmd.code, "removed")
    after = evolve(order, removed)
    return [removed, *_totals(order, order.lines, after.discount_terms)]


def _mark_as_reserved(order: OrderState, cmd: MarkSeatsAsReserved, prices) -> list[object]:
    """Record what was reserved (maybe less than wanted) and re-price on it."""
    _require_open(order)
    _require_aware(cmd.expiration)
    require_valid_quantities(cmd.seats)
    reserved = merged(cmd.seats)
    lines, _ = price_order(reserved, prices)
    if covers(reserved, order.wanted_seats):
        outcome = OrderReservationCompleted(order.order_id, cmd.expiration, reserved)
    else:
        outcome = OrderPartiallyReserved(order.order_id, cmd.expiration, reserved)
    return [outcome, *_totals(order, lines, order.discount_terms)]


def _reject(order: OrderState) -> list[object]:
    """Expire an unconfirmed order; expiring it again (or a cancelled one) changes nothing."""
    if order.status in (EXPIRED, CANCELLED):
        return []
    if order.status == CONFIRMED:
        raise DomainError("order_confirmed", "A confirmed order cannot be rejected.")
    return [OrderExpired(order.order_id)]


def _assign_registrant(order: OrderState, cmd: AssignRegistrantDetails) -> list[object]:
    """Name the registrant of any order that has not expired or been cancelled."""
    if order.status == EXPIRED:
        raise DomainError("order_expired", "This order has expired.")
    _refuse_cancelled(order)
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
    _refuse_cancelled(order)
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
    _refuse_cancelled(order)
    if order.status != EXPIRED:
        raise DomainError("order_not_expired", "Only an expired order can be reinstated.")
    _require_aware(cmd.expiration)
    if not seats:
        raise DomainError("empty_order", "An order must hold at least one seat.")
    return [OrderReinstated(order.order_id, seats, cmd.expiration)]


def _cancel(order: OrderState, cmd: CancelOrder, now: datetime,
            deadline: datetime | None) -> list[object]:
    """Cancel an order that holds or is asking for seats, once; a registrant only until the
    organiser's deadline; an order sold at a door only at that door."""
    if cmd.role not in ROLES:
        raise ValueError(f"a cancellation is asked by one of {ROLES}, not {cmd.role!r}")
    if not isinstance(cmd.by, str) or not cmd.by.strip():
        raise ValueError("a cancellation says who asked for it")
    if order.status == CANCELLED:
        return []   # cancelling twice is cancelling once
    reason = require_reason(cmd.reason)
    if order.sold_on_site_by:
        raise DomainError("sold_on_site", "This order was sold at a door: cancel it at that "
                          "door's sales desk, where the money was taken, so its seats go back "
                          "to that door and the refund is recorded there.")
    if order.status == EXPIRED:
        raise DomainError("order_expired", "This order has expired: its seats are released "
                          "already and nothing was paid for it.")
    if cmd.role == REGISTRANT:
        _require_before_deadline(now, deadline)
    return [OrderCancelled(order.order_id, order.conference_id, cmd.by.strip(), cmd.role,
                           reason)]


def require_reason(reason: object) -> str:
    """A cancellation's reason: optional text of at most CANCELLATION_REASON_MAX characters."""
    if reason is None:
        return ""
    if not isinstance(reason, str) or len(reason.strip()) > limits.CANCELLATION_REASON_MAX:
        raise DomainError("invalid_reason", "Say why in at most "
                          f"{limits.CANCELLATION_REASON_MAX} characters (or not at all).")
    return reason.strip()


def _require_before_deadline(now: datetime, deadline: datetime | None) -> None:
    if deadline is None:
        raise DomainError("cancellation_not_offered", "This conference does not let "
                          "registrants cancel their orders: please ask the organiser.")
    _require_aware(deadline)
    if now > deadline:
        raise DomainError("cancellation_closed", "Orders could be cancelled until "
                          f"{deadline.astimezone(timezone.utc):%d %B %Y, %H:%M} UTC; "
                          "please ask the organiser.")


def _resend_mails(order: OrderState, cmd: ResendOrderMails) -> list[object]:
    """Ask for the order's mails again: only an order with someone to mail."""
    if not isinstance(cmd.by, str) or not cmd.by.strip():
        raise ValueError("a resend says who asked for it")
    if not order.registrant_email:
        raise DomainError("registrant_missing", "Nobody is named on this order yet: there is "
                          "no one to mail.")
    return [OrderMailsResendRequested(order.order_id, order.conference_id, cmd.by.strip())]


def _refuse_cancelled(order: OrderState) -> None:
    if order.status == CANCELLED:
        raise DomainError("order_cancelled", "This order was cancelled.")


def _require_open(order: OrderState) -> None:
    _refuse_cancelled(order)
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
