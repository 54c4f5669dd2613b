"""The RegistrationProcess manager: drives one order from placement to sold seats.

Pure: the runner hands it one message at a time with the clock and fresh ids, stores
the state it returns and sends the outgoing commands (some of them later).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared_domain.orders import (
    ConfirmOrder, MarkSeatsAsReserved, OrderCancelled, OrderConfirmed, OrderExpired,
    OrderPlaced, OrderReinstatementRefused, OrderUpdated, ReinstateOrder, RejectOrder,
)
from shared_domain.payments import PaymentCompleted, RefundPayment
from shared_domain.seats import SeatQuantity, covers
from shared_domain.seats_availability import (
    CancelSeatReservation, CommitSeatReservation, MakeSeatReservation, ReleaseOrderSeats,
    SeatsReserved,
)

NOT_STARTED = "not_started"
AWAITING_RESERVATION_CONFIRMATION = "awaiting_reservation_confirmation"
RESERVATION_CONFIRMATION_RECEIVED = "reservation_confirmation_received"
PAYMENT_CONFIRMATION_RECEIVED = "payment_confirmation_received"
EXPIRED = "expired"
REACQUIRING_SEATS = "reacquiring_seats"
COMPLETED = "completed"
CANCELLED = "cancelled"

SEATS_NO_LONGER_AVAILABLE = "seats_no_longer_available"
DUPLICATE_PAYMENT = "duplicate_payment"
ORDER_NOT_PAYABLE = "order_not_payable"
ORDER_CANCELLED = "order_cancelled"
PROMOTIONAL_CODE_EXHAUSTED = "promotional_code_exhausted"

_OPEN = (AWAITING_RESERVATION_CONFIRMATION, RESERVATION_CONFIRMATION_RECEIVED)


@dataclass(frozen=True)
class ExpireRegistrationProcess:
    order_id: str
    command_id: str


@dataclass(frozen=True)
class Outgoing:
    command: object
    deliver_at: datetime | None = None  # None: send now


@dataclass(frozen=True)
class ProcessState:
    order_id: str
    conference_id: str
    state: str = NOT_STARTED
    seat_reservation_command_id: str | None = None
    reservation_auto_expiration: datetime | None = None
    expiration_command_id: str | None = None
    requested_seats: tuple[SeatQuantity, ...] = ()
    reserved_seats: tuple[SeatQuantity, ...] = ()
    payment_id: str | None = None
    refunded: bool = False


PROCESS_COMMANDS = (ExpireRegistrationProcess,)
Result = tuple[ProcessState | None, list[Outgoing]]


# The events the manager acts on (ExpireRegistrationProcess is its own command).
EVENTS = (SeatsReserved, OrderPlaced, OrderUpdated, PaymentCompleted, OrderConfirmed, OrderExpired,
          OrderCancelled, OrderReinstatementRefused)


def correlation(message: object) -> str | None:
    """The process a message belongs to (its order id), or None if not this manager's."""
    if isinstance(message, SeatsReserved):
        return message.reservation_id  # the manager reserves under the order's id
    if isinstance(message, (OrderPlaced, OrderUpdated, PaymentCompleted, OrderConfirmed,
                            OrderExpired, OrderCancelled, OrderReinstatementRefused,
                            ExpireRegistrationProcess)):
        return message.order_id
    return None


def handle(
    state: ProcessState | None,
    message: object,
    *,
    now: datetime,
    causation_id: str | None,
    ids: Iterator[str],
    release_buffer: timedelta,
) -> Result:
    """Move the process on by one message; anything stale, duplicate or out of turn is ignored."""
    match message:
        case OrderPlaced():
            return _on_order_placed(state, message, now, ids, release_buffer)
        case OrderUpdated():
            return _on_order_updated(state, message, ids)
        case SeatsReserved():
            return _on_seats_reserved(state, message, causation_id, now, release_buffer)
        case PaymentCompleted():
            return _on_payment_completed(state, message, ids)
        case OrderConfirmed():
            return _on_order_confirmed(state)
        case OrderExpired():
            return _on_order_expired(state)
        case OrderCancelled():
            return _on_order_cancelled(state)
        case OrderReinstatementRefused():
            return _on_reinstatement_refused(state)
        case ExpireRegistrationProcess():
            return _on_expire(state, message)
    return state, []


def _on_order_placed(state, event: OrderPlaced, now, ids, release_buffer) -> Result:
    """Reserve the wanted seats and set the alarm; an order placed already expired is rejected."""
    if state is not None and state.state != NOT_STARTED:
        return state, []
    started = ProcessState(event.order_id, event.conference_id,
                           reservation_auto_expiration=event.reservation_auto_expiration,
                           requested_seats=event.seats)
    if event.reservation_auto_expiration <= now:
        return replace(started, state=COMPLETED), [Outgoing(RejectOrder(event.order_id))]
    reserve = _reservation(started, event.seats, next(ids))
    expire = ExpireRegistrationProcess(event.order_id, next(ids))
    # Seats are released a buffer after the registrant's deadline so a payment in flight lands.
    alarm = Outgoing(expire, deliver_at=event.reservation_auto_expiration + release_buffer)
    awaiting = replace(started, state=AWAITING_RESERVATION_CONFIRMATION,
                       seat_reservation_command_id=reserve.command_id,
                       expiration_command_id=expire.command_id)
    return awaiting, [Outgoing(reserve), alarm]


def _on_order_updated(state, event: OrderUpdated, ids) -> Result:
    """Re-reserve for the new seats; the newest reservation command is the only one awaited."""
    if state is None or state.state not in _OPEN:
        return state, []
    reserve = _reservation(state, event.seats, next(ids))
    return replace(state, state=AWAITING_RESERVATION_CONFIRMATION, requested_seats=event.seats,
                   seat_reservation_command_id=reserve.command_id), [Outgoing(reserve)]


def _on_seats_reserved(state, event: SeatsReserved, causation_id, now, release_buffer) -> Result:
    """Only the answer to the latest reservation command counts."""
    if state is None or causation_id is None or causation_id != state.seat_reservation_command_id:
        return state, []
    if state.state == AWAITING_RESERVATION_CONFIRMATION:
        mark = MarkSeatsAsReserved(state.order_id, event.reservation_details,
                                   state.reservation_auto_expiration)
        return replace(state, state=RESERVATION_CONFIRMATION_RECEIVED,
                       reserved_seats=event.reservation_details), [Outgoing(mark)]
    if state.state == REACQUIRING_SEATS:
        return _on_seats_reacquired(state, event, now + release_buffer)
    return state, []


def _on_seats_reacquired(state: ProcessState, event: SeatsReserved, expiration) -> Result:
    """A late payment keeps the order only if every seat it paid for came back."""
    if covers(event.reservation_details, state.reserved_seats):
        reinstate = ReinstateOrder(state.order_id, state.reserved_seats, expiration)
        return replace(state, state=PAYMENT_CONFIRMATION_RECEIVED), [
            Outgoing(reinstate), Outgoing(ConfirmOrder(state.order_id))]
    cancel = CancelSeatReservation(state.conference_id, state.order_id)
    refund = RefundPayment(state.payment_id, SEATS_NO_LONGER_AVAILABLE)
    return replace(state, state=COMPLETED, refunded=True), [Outgoing(cancel), Outgoing(refund)]


def _on_reinstatement_refused(state) -> Result:
    """A code of the order was used up while it was expired: handled like seats that are
    gone, the re-acquired seats go back on sale and the late payment is refunded."""
    if state is None or state.state != PAYMENT_CONFIRMATION_RECEIVED or state.refunded \
            or state.payment_id is None:
        return state, []
    cancel = CancelSeatReservation(state.conference_id, state.order_id)
    refund = RefundPayment(state.payment_id, PROMOTIONAL_CODE_EXHAUSTED)
    return replace(state, state=COMPLETED, refunded=True), [Outgoing(cancel), Outgoing(refund)]


def _on_payment_completed(state, event: PaymentCompleted, ids) -> Result:
    """Confirm a paid reservation; a late payment re-acquires seats; any other is refunded."""
    if state is None or event.payment_id == state.payment_id:
        return state, []
    if state.payment_id is not None:
        return state, [Outgoing(RefundPayment(event.payment_id, DUPLICATE_PAYMENT, unused=True))]
    paid = replace(state, payment_id=event.payment_id)
    if state.state == RESERVATION_CONFIRMATION_RECEIVED:
        confirm = ConfirmOrder(state.order_id)
        return replace(paid, state=PAYMENT_CONFIRMATION_RECEIVED), [Outgoing(confirm)]
    if state.state == EXPIRED and state.reserved_seats:
        reserve = _reservation(state, state.reserved_seats, next(ids))
        return replace(paid, state=REACQUIRING_SEATS,
                       seat_reservation_command_id=reserve.command_id), [Outgoing(reserve)]
    # Nothing reserved to pay for (or settled without payment): the money goes back, and
    # the order stays as it is (it may still be paid by another payment).
    reason = _UNUSABLE_PAYMENT_REASONS.get(state.state, ORDER_NOT_PAYABLE)
    return state, [Outgoing(RefundPayment(event.payment_id, reason, unused=True))]


_UNUSABLE_PAYMENT_REASONS = {COMPLETED: DUPLICATE_PAYMENT, EXPIRED: SEATS_NO_LONGER_AVAILABLE,
                             CANCELLED: ORDER_CANCELLED}


def _on_order_confirmed(state) -> Result:
    """A confirmed order sells its reserved seats for good, even one the alarm lost the race to."""
    if state is None or state.state not in (RESERVATION_CONFIRMATION_RECEIVED,
                                            PAYMENT_CONFIRMATION_RECEIVED, EXPIRED):
        return state, []
    commit = CommitSeatReservation(state.conference_id, state.order_id)
    return replace(state, state=COMPLETED), [Outgoing(commit)]


def _on_expire(state, command: ExpireRegistrationProcess) -> Result:
    """At the deadline an unpaid order is rejected; a stale alarm does nothing."""
    if state is None or state.state not in _OPEN \
            or command.command_id != state.expiration_command_id:
        return state, []
    # Seats are released on OrderExpired, not here: if a confirmation won the race the
    # order refuses RejectOrder, and its seats must then stay reserved for CommitSeatReservation.
    return replace(state, state=EXPIRED), [Outgoing(RejectOrder(state.order_id))]


def _on_order_expired(state) -> Result:
    """Once the order has really expired, its reserved seats go back on sale."""
    if state is None or state.state != EXPIRED:
        return state, []  # e.g. a late payment is already re-acquiring these very seats
    return state, [Outgoing(CancelSeatReservation(state.conference_id, state.order_id))]


def _on_order_cancelled(state) -> Result:
    """A cancelled order's seats go back on sale, held or sold, and its payment is refunded;
    whatever arrives for it afterwards is ignored, and a payment after it goes back."""
    if state is None or state.state == CANCELLED:
        return state, []   # an order the manager never ran (a door's sale), or seen already
    release = ReleaseOrderSeats(state.conference_id, state.order_id, state.reserved_seats)
    out = [Outgoing(release)]
    if state.payment_id is not None and not state.refunded:
        out.append(Outgoing(RefundPayment(state.payment_id, ORDER_CANCELLED)))
    return replace(state, state=CANCELLED, refunded=state.refunded or len(out) > 1), out


def _reservation(state: ProcessState, seats, command_id: str) -> MakeSeatReservation:
    return MakeSeatReservation(state.conference_id, state.order_id, seats, command_id)
