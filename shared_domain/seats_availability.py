"""The SeatsAvailability aggregate: one per conference, it never sells a seat twice."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from shared_domain.errors import DomainError
from shared_domain.seats import (
    MAX_SEAT_QUANTITY, SeatQuantity, as_mapping, from_mapping, require_valid_quantities,
)

STREAM_PREFIX = "availability-"
SNAPSHOT_SCHEMA = 1


def stream_id(conference_id: str) -> str:
    """A conference's availability lives in the stream availability-<conference_id>."""
    return STREAM_PREFIX + conference_id


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class SetSeatQuantity:
    """The organiser's quantity for a seat type: never below what is sold and held."""
    conference_id: str
    seat_type: str
    quantity: int


@dataclass(frozen=True)
class AddSeats:
    """Kept for commands queued before SetSeatQuantity; new code sets the quantity."""
    conference_id: str
    seat_type: str
    quantity: int


@dataclass(frozen=True)
class RemoveSeats:
    """Kept for commands queued before SetSeatQuantity; new code sets the quantity."""
    conference_id: str
    seat_type: str
    quantity: int


@dataclass(frozen=True)
class MakeSeatReservation:
    conference_id: str
    reservation_id: str
    seats: tuple[SeatQuantity, ...]
    command_id: str


@dataclass(frozen=True)
class CancelSeatReservation:
    conference_id: str
    reservation_id: str


@dataclass(frozen=True)
class CommitSeatReservation:
    conference_id: str
    reservation_id: str


@dataclass(frozen=True)
class ReleaseOrderSeats:
    """A cancelled order's seats go back on sale, whether still held or already sold."""
    conference_id: str
    reservation_id: str                 # the order's id, as it reserved under it
    seats: tuple[SeatQuantity, ...]     # what the order held when it was cancelled


@dataclass(frozen=True)
class AllocateSeatsToNode:
    """Move free seats to one node (and epoch) to sell offline; it gets min(asked, free)."""
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    allocation_id: str


@dataclass(frozen=True)
class TakeBackNodeSeats:
    """Seats a node returned (its own fact, synced) become free again."""
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    return_id: str


@dataclass(frozen=True)
class HoldSeatsForOffer:
    """A wait-list offer's seats, all or none, from every free seat (those kept for the
    wait-list too): held under the offer's id, the id its order will reserve under."""
    conference_id: str
    reservation_id: str
    seat_type: str
    quantity: int


@dataclass(frozen=True)
class SetWaitingDemand:
    """Seats of a type the wait-list's waiting entries want: public reservations and node
    allocations leave that many free seats alone (shared_domain/waitlists.py)."""
    conference_id: str
    seat_type: str
    waiting: int


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class AvailableSeatsChanged:
    conference_id: str
    seats: tuple[SeatQuantity, ...]  # deltas of capacity, negative when seats are removed


@dataclass(frozen=True)
class SeatsReserved:
    conference_id: str
    reservation_id: str
    reservation_details: tuple[SeatQuantity, ...]  # what the reservation now holds
    available_seats_changed: tuple[SeatQuantity, ...]  # deltas of remaining seats


@dataclass(frozen=True)
class SeatsReservationCancelled:
    conference_id: str
    reservation_id: str
    available_seats_changed: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class SeatsReservationCommitted:
    conference_id: str
    reservation_id: str


@dataclass(frozen=True)
class OrderSeatsReleased:
    conference_id: str
    reservation_id: str
    available_seats_changed: tuple[SeatQuantity, ...]  # deltas of remaining seats (>= 0)


@dataclass(frozen=True)
class SeatsAllocatedToNode:
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int           # what was granted: may be less than asked, or 0
    allocation_id: str


@dataclass(frozen=True)
class NodeSeatsReturned:
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    return_id: str


@dataclass(frozen=True)
class WaitingDemandChanged:
    conference_id: str
    seat_type: str
    waiting: int            # seats the wait-list's waiting entries want now
    available_seats_changed: tuple[SeatQuantity, ...]  # deltas of seats the public may reserve


AVAILABILITY_EVENTS = (
    AvailableSeatsChanged, SeatsReserved, SeatsReservationCancelled, SeatsReservationCommitted,
    SeatsAllocatedToNode, NodeSeatsReturned, OrderSeatsReleased, WaitingDemandChanged,
)
AVAILABILITY_COMMANDS = (
    SetSeatQuantity, AddSeats, RemoveSeats, MakeSeatReservation, CancelSeatReservation, CommitSeatReservation,
    AllocateSeatsToNode, TakeBackNodeSeats, ReleaseOrderSeats, HoldSeatsForOffer, SetWaitingDemand,
)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class SeatTypeStock:
    seat_type: str
    capacity: int   # seats offered in all; sold seats stay counted here
    remaining: int  # free to reserve now: capacity less what is held, sold and allocated


@dataclass(frozen=True)
class PendingReservation:
    reservation_id: str
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class SeatsAvailabilityState:
    """Stock per seat type and the reservations not yet committed or cancelled.

    Seats leave `remaining` for a pending reservation and stay out once committed;
    a later holder of seats (e.g. an allocation to an on-site node) is one more
    tuple beside `pending`, taking from `remaining` the same way.
    """

    conference_id: str
    stock: tuple[SeatTypeStock, ...] = ()
    pending: tuple[PendingReservation, ...] = ()
    returns_seen: tuple[str, ...] = ()   # return ids taken back: a return counts once
    released: tuple[str, ...] = ()       # reservations of cancelled orders: released once
    waiting: tuple[SeatQuantity, ...] = ()   # wait-list demand per seat type (SetWaitingDemand)

    def remaining(self) -> dict[str, int]:
        """Seats free to reserve, per seat type (never negative)."""
        return {s.seat_type: max(s.remaining, 0) for s in self.stock}

    def public_remaining(self) -> dict[str, int]:
        """Seats free for a public order or a node: what the wait-list's waiting entries
        want stays for their offers."""
        waiting = as_mapping(self.waiting)
        return {t: max(q - waiting.get(t, 0), 0) for t, q in self.remaining().items()}

    def held(self, seat_type: str) -> int:
        """Seats of a type in reservations not yet committed or cancelled."""
        return sum(as_mapping(r.seats).get(seat_type, 0) for r in self.pending)

    def sold(self, seat_type: str) -> int:
        """Seats of a type gone for good: committed reservations and seats allocated to nodes."""
        stock = next((s for s in self.stock if s.seat_type == seat_type), None)
        if stock is None:
            return 0
        return stock.capacity - stock.remaining - self.held(seat_type)

    def capacity(self, seat_type: str) -> int:
        """Seats of a type offered in all."""
        return next((s.capacity for s in self.stock if s.seat_type == seat_type), 0)

    def reservation(self, reservation_id: str) -> PendingReservation | None:
        """The pending reservation with this id, if any."""
        return next((r for r in self.pending if r.reservation_id == reservation_id), None)


def evolve(state: SeatsAvailabilityState | None, event: object) -> SeatsAvailabilityState:
    """Apply one availability event to the state."""
    state = state or SeatsAvailabilityState(conference_id=event.conference_id)
    match event:
        case AvailableSeatsChanged(seats=deltas):
            return replace(state, stock=_shift(state.stock, deltas, capacity_too=True))
        case SeatsReserved():
            stock = _shift(state.stock, event.available_seats_changed, capacity_too=False)
            pending = _with_reservation(state.pending, event.reservation_id,
                                        event.reservation_details)
            return replace(state, stock=stock, pending=pending)
        case SeatsReservationCancelled():
            stock = _shift(state.stock, event.available_seats_changed, capacity_too=False)
            return replace(state, stock=stock,
                           pending=_with_reservation(state.pending, event.reservation_id, ()))
        case SeatsReservationCommitted(reservation_id=rid):
            return replace(state, pending=_with_reservation(state.pending, rid, ()))
        case SeatsAllocatedToNode():
            deltas = (SeatQuantity(event.seat_type, -event.quantity),)
            return replace(state, stock=_shift(state.stock, deltas, capacity_too=False))
        case NodeSeatsReturned():
            deltas = (SeatQuantity(event.seat_type, event.quantity),)
            return replace(state, stock=_shift(state.stock, deltas, capacity_too=False),
                           returns_seen=state.returns_seen + (event.return_id,))
        case OrderSeatsReleased(reservation_id=rid):
            stock = _shift(state.stock, event.available_seats_changed, capacity_too=False)
            return replace(state, stock=stock, pending=_with_reservation(state.pending, rid, ()),
                           released=state.released + (rid,))
        case WaitingDemandChanged():
            others = tuple(w for w in state.waiting if w.seat_type != event.seat_type)
            own = (SeatQuantity(event.seat_type, event.waiting),) if event.waiting else ()
            return replace(state, waiting=others + own)
    raise TypeError(f"not an availability event: {event!r}")


def fold(
    events: Iterable[object], state: SeatsAvailabilityState | None = None
) -> SeatsAvailabilityState | None:
    """Rebuild a conference's availability from its events (or from a snapshot onwards)."""
    for event in events:
        state = evolve(state, event)
    return state


def _shift(stock, deltas, *, capacity_too: bool) -> tuple[SeatTypeStock, ...]:
    """Apply per-type deltas to remaining seats (and to capacity when seats are added or removed)."""
    changes = as_mapping(deltas)
    shifted = []
    for s in stock:
        delta = changes.pop(s.seat_type, 0)
        shifted.append(replace(s, remaining=s.remaining + delta,
                               capacity=s.capacity + (delta if capacity_too else 0)))
    for seat_type, delta in changes.items():  # seat types seen for the first time
        shifted.append(SeatTypeStock(seat_type, delta if capacity_too else 0, delta))
    return tuple(shifted)


def _with_reservation(pending, reservation_id, seats) -> tuple[PendingReservation, ...]:
    """Replace (or drop, when empty) one reservation, keeping the others in order."""
    others = [r for r in pending if r.reservation_id != reservation_id]
    if not seats:
        return tuple(others)
    index = next((i for i, r in enumerate(pending) if r.reservation_id == reservation_id),
                 len(others))
    others.insert(index, PendingReservation(reservation_id, seats))
    return tuple(others)


# --- decisions --------------------------------------------------------------

def decide(state: SeatsAvailabilityState | None, command: object, *, now: datetime) -> list[object]:
    """Return the events an availability command causes, or raise DomainError."""
    match command:
        case SetSeatQuantity():
            return _set_quantity(state, command)
        case AddSeats():
            return _add(command)
        case RemoveSeats():
            return _remove(state, command)
        case MakeSeatReservation():
            return _reserve(state, command)
        case CancelSeatReservation():
            return _cancel(state, command)
        case CommitSeatReservation():
            return _commit(state, command)
        case AllocateSeatsToNode():
            return _allocate(state, command)
        case TakeBackNodeSeats():
            return _take_back(state, command)
        case ReleaseOrderSeats():
            return _release(state, command)
        case HoldSeatsForOffer():
            return _hold_for_offer(state, command)
        case SetWaitingDemand():
            return _set_waiting(state, command)
    raise TypeError(f"not an availability command: {command!r}")


def _set_quantity(state, cmd: SetSeatQuantity) -> list[object]:
    """Offer exactly this many seats; refuse fewer than are sold and held.

    Held seats belong to registrants who may be paying right now: the quantity may come
    down to what is sold plus held, never below, so sold plus held never exceed it.
    """
    quantity = cmd.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) \
            or not 0 <= quantity <= MAX_SEAT_QUANTITY:
        raise DomainError("invalid_quantity",
                          f"The quantity must be between 0 and {MAX_SEAT_QUANTITY}.")
    state = state or SeatsAvailabilityState(cmd.conference_id)
    sold, held = state.sold(cmd.seat_type), state.held(cmd.seat_type)
    if quantity < sold:
        raise DomainError("quantity_below_sold", f"{_seats(sold)} of this type already sold: "
                          f"the quantity cannot be less than {sold + held}"
                          + (f" ({held} more held in orders being paid)." if held else "."))
    if quantity < sold + held:
        raise DomainError("quantity_below_held", f"{_seats(sold)} of this type sold and "
                          f"{held} held in orders being paid: the quantity cannot be less "
                          f"than {sold + held} until the held seats are paid or released.")
    delta = quantity - state.capacity(cmd.seat_type)
    if delta == 0:
        return []
    return [AvailableSeatsChanged(cmd.conference_id, (SeatQuantity(cmd.seat_type, delta),))]


def _seats(count: int) -> str:
    return f"{count} seat" if count == 1 else f"{count} seats"


def _add(cmd: AddSeats) -> list[object]:
    """Offer more seats of a type."""
    _require_positive(cmd.quantity)
    return [AvailableSeatsChanged(cmd.conference_id, (SeatQuantity(cmd.seat_type, cmd.quantity),))]


def _remove(state, cmd: RemoveSeats) -> list[object]:
    """Withdraw seats, but only those still free: reserved and sold seats stay."""
    _require_positive(cmd.quantity)
    free = state.remaining().get(cmd.seat_type, 0) if state else 0
    removed = min(cmd.quantity, free)
    if removed == 0:
        return []
    return [AvailableSeatsChanged(cmd.conference_id, (SeatQuantity(cmd.seat_type, -removed),))]


def _reserve(state, cmd: MakeSeatReservation) -> list[object]:
    """Reserve min(wanted, free) per type; a repeat reservation adjusts by the difference;
    the reservation of a cancelled order gets nothing again. Seats the wait-list waits for
    are not free to it: a reservation keeps what it holds (a wait-list offer's seats, taken
    over by its order) and takes new seats from the public's."""
    require_valid_quantities(cmd.seats)
    state = state or SeatsAvailabilityState(cmd.conference_id)
    if cmd.reservation_id in state.released:
        return []
    wanted = as_mapping(cmd.seats)
    held = as_mapping(r.seats) if (r := state.reservation(cmd.reservation_id)) else {}
    free = state.public_remaining()
    actual = {
        seat_type: min(wanted.get(seat_type, 0), held.get(seat_type, 0) + free.get(seat_type, 0))
        for seat_type in {**wanted, **held}  # unknown seat types have nothing free: they get 0
    }
    taken = {t: actual[t] - held.get(t, 0) for t in actual}
    return [SeatsReserved(
        conference_id=cmd.conference_id,
        reservation_id=cmd.reservation_id,
        reservation_details=from_mapping(actual),
        available_seats_changed=from_mapping({t: -q for t, q in taken.items()}),
    )]


def _cancel(state, cmd: CancelSeatReservation) -> list[object]:
    """Give a pending reservation's seats back; an unknown reservation changes nothing."""
    reservation = state.reservation(cmd.reservation_id) if state else None
    if reservation is None:
        return []
    return [SeatsReservationCancelled(cmd.conference_id, cmd.reservation_id, reservation.seats)]


def _release(state, cmd: ReleaseOrderSeats) -> list[object]:
    """Put a cancelled order's seats back on sale, once: those it still holds as they are
    held, those it bought as the order says, never more of a type than are sold."""
    require_valid_quantities(cmd.seats)
    state = state or SeatsAvailabilityState(cmd.conference_id)
    if cmd.reservation_id in state.released:
        return []
    pending = state.reservation(cmd.reservation_id)
    if pending is not None:
        back = as_mapping(pending.seats)
    else:
        back = {t: min(q, state.sold(t)) for t, q in as_mapping(cmd.seats).items()}
    return [OrderSeatsReleased(cmd.conference_id, cmd.reservation_id,
                               from_mapping({t: q for t, q in back.items() if q > 0}))]


def _commit(state, cmd: CommitSeatReservation) -> list[object]:
    """Turn a pending reservation into sold seats; an unknown reservation changes nothing."""
    if state is None or state.reservation(cmd.reservation_id) is None:
        return []
    return [SeatsReservationCommitted(cmd.conference_id, cmd.reservation_id)]


def _allocate(state, cmd: AllocateSeatsToNode) -> list[object]:
    """Grant a node min(asked, free) seats: they leave what online registrants can reserve."""
    _require_positive(cmd.quantity)
    free = state.public_remaining().get(cmd.seat_type, 0) if state else 0
    return [SeatsAllocatedToNode(cmd.conference_id, cmd.node_id, cmd.epoch, cmd.seat_type,
                                 min(cmd.quantity, free), cmd.allocation_id)]


def _take_back(state, cmd: TakeBackNodeSeats) -> list[object]:
    """Free the seats a node returned, once per return."""
    _require_positive(cmd.quantity)
    if state is not None and cmd.return_id in state.returns_seen:
        return []
    return [NodeSeatsReturned(cmd.conference_id, cmd.node_id, cmd.epoch, cmd.seat_type,
                              cmd.quantity, cmd.return_id)]


def _hold_for_offer(state, cmd: HoldSeatsForOffer) -> list[object]:
    """Hold a wait-list offer's whole quantity or nothing; a hold made already (or an id a
    reservation used before) changes nothing."""
    _require_positive(cmd.quantity)
    state = state or SeatsAvailabilityState(cmd.conference_id)
    if state.reservation(cmd.reservation_id) is not None or cmd.reservation_id in state.released:
        return []
    if state.remaining().get(cmd.seat_type, 0) < cmd.quantity:
        return []
    seats = (SeatQuantity(cmd.seat_type, cmd.quantity),)
    return [SeatsReserved(cmd.conference_id, cmd.reservation_id, seats,
                          (SeatQuantity(cmd.seat_type, -cmd.quantity),))]


def _set_waiting(state, cmd: SetWaitingDemand) -> list[object]:
    """Record the wait-list's demand for a seat type; the public's free seats shift by the
    difference (their deltas, for the read models)."""
    waiting = cmd.waiting
    if isinstance(waiting, bool) or not isinstance(waiting, int) \
            or not 0 <= waiting <= MAX_SEAT_QUANTITY:
        raise DomainError("invalid_quantity",
                          f"The quantity must be between 0 and {MAX_SEAT_QUANTITY}.")
    state = state or SeatsAvailabilityState(cmd.conference_id)
    before = as_mapping(state.waiting).get(cmd.seat_type, 0)
    if waiting == before:
        return []
    return [WaitingDemandChanged(cmd.conference_id, cmd.seat_type, waiting,
                                 (SeatQuantity(cmd.seat_type, before - waiting),))]


def _require_positive(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) \
            or not 0 < quantity <= MAX_SEAT_QUANTITY:
        raise DomainError("invalid_quantity",
                          f"The quantity must be between 1 and {MAX_SEAT_QUANTITY}.")


# --- snapshots --------------------------------------------------------------

def snapshot(state: SeatsAvailabilityState) -> dict:
    """A JSON-able memento of the state; from_snapshot(snapshot(s)) == s."""
    return {
        "schema": SNAPSHOT_SCHEMA,
        "conference_id": state.conference_id,
        "stock": [
            {"seat_type": s.seat_type, "capacity": s.capacity, "remaining": s.remaining}
            for s in state.stock
        ],
        "pending": [
            {"reservation_id": r.reservation_id,
             "seats": [{"seat_type": q.seat_type, "quantity": q.quantity} for q in r.seats]}
            for r in state.pending
        ],
        "returns_seen": list(state.returns_seen),
        "released": list(state.released),
        "waiting": [{"seat_type": w.seat_type, "quantity": w.quantity} for w in state.waiting],
    }


def from_snapshot(memento: dict) -> SeatsAvailabilityState:
    """Rebuild the state a snapshot was taken of."""
    if memento.get("schema") != SNAPSHOT_SCHEMA:
        raise ValueError(f"unsupported availability snapshot schema {memento.get('schema')!r}")
    return SeatsAvailabilityState(
        conference_id=memento["conference_id"],
        stock=tuple(SeatTypeStock(**s) for s in memento["stock"]),
        pending=tuple(
            PendingReservation(r["reservation_id"], tuple(SeatQuantity(**q) for q in r["seats"]))
            for r in memento["pending"]
        ),
        returns_seen=tuple(memento.get("returns_seen", ())),
        released=tuple(memento.get("released", ())),
        waiting=tuple(SeatQuantity(**w) for w in memento.get("waiting", ())),
    )
