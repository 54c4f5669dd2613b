"""The SeatAssignments aggregate: one per confirmed order, one slot per seat bought."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo, require_person, same_email
from shared_domain.seats import SeatQuantity, merged, require_valid_quantities

STREAM_PREFIX = "assignments-"


def stream_id(order_id: str) -> str:
    """An order's seat assignments live in the stream assignments-<order_id>."""
    return STREAM_PREFIX + order_id


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class CreateSeatAssignments:
    order_id: str
    seats: tuple[SeatQuantity, ...]


@dataclass(frozen=True)
class AssignSeat:
    order_id: str
    position: int
    attendee: PersonalInfo
    by: str = ""   # "" for the registrant; "owner:<email>" or "admin:<email>" for the organiser


@dataclass(frozen=True)
class UnassignSeat:
    order_id: str
    position: int
    by: str = ""


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class SeatSlot:
    position: int
    seat_type: str


@dataclass(frozen=True)
class SeatAssignmentsCreated:
    order_id: str
    slots: tuple[SeatSlot, ...]


@dataclass(frozen=True)
class SeatAssigned:
    order_id: str
    position: int
    seat_type: str
    attendee: PersonalInfo
    by: str = ""   # who changed it: "" the registrant (or the door that sold it), else the organiser's side


@dataclass(frozen=True)
class SeatUnassigned:
    order_id: str
    position: int
    by: str = ""


@dataclass(frozen=True)
class SeatAssignmentUpdated:
    order_id: str
    position: int
    attendee: PersonalInfo
    by: str = ""


ASSIGNMENT_EVENTS = (SeatAssignmentsCreated, SeatAssigned, SeatUnassigned, SeatAssignmentUpdated)
ASSIGNMENT_COMMANDS = (CreateSeatAssignments, AssignSeat, UnassignSeat)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class Seat:
    position: int
    seat_type: str
    attendee: PersonalInfo | None = None


@dataclass(frozen=True)
class SeatAssignmentsState:
    order_id: str
    seats: tuple[Seat, ...]

    def seat(self, position: int) -> Seat | None:
        """The slot at a position, if the order has one there."""
        if isinstance(position, bool) or not isinstance(position, int):
            return None
        return self.seats[position] if 0 <= position < len(self.seats) else None


def evolve(state: SeatAssignmentsState | None, event: object) -> SeatAssignmentsState:
    """Apply one seat assignment event to the state."""
    if isinstance(event, SeatAssignmentsCreated):
        seats = tuple(Seat(slot.position, slot.seat_type) for slot in event.slots)
        return SeatAssignmentsState(event.order_id, seats)
    assert state is not None, f"{type(event).__name__} before SeatAssignmentsCreated"
    match event:
        case SeatAssigned(position=p, attendee=a) | SeatAssignmentUpdated(position=p, attendee=a):
            return _with_attendee(state, p, a)
        case SeatUnassigned(position=p):
            return _with_attendee(state, p, None)
    raise TypeError(f"not a seat assignment event: {event!r}")


def fold(
    events: Iterable[object], state: SeatAssignmentsState | None = None
) -> SeatAssignmentsState | None:
    """Rebuild an order's seat assignments from their events."""
    for event in events:
        state = evolve(state, event)
    return state


def _with_attendee(state, position, attendee) -> SeatAssignmentsState:
    seats = list(state.seats)
    seats[position] = replace(seats[position], attendee=attendee)
    return replace(state, seats=tuple(seats))


# --- decisions --------------------------------------------------------------

def decide(state: SeatAssignmentsState | None, command: object, *, now: datetime,
           order_cancelled: bool = False) -> list[object]:
    """Return the events a seat assignment command causes, or raise DomainError; the seats
    of a cancelled order no longer change hands."""
    if isinstance(command, CreateSeatAssignments):
        return _create(state, command)
    if state is None:
        raise DomainError("unknown_order", "This order has no seats to assign.")
    if order_cancelled:
        raise DomainError("order_cancelled", "This order was cancelled: its seats can no "
                          "longer be assigned.")
    match command:
        case AssignSeat():
            return _assign(state, command)
        case UnassignSeat():
            return _unassign(state, command)
    raise TypeError(f"not a seat assignment command: {command!r}")


def _create(state, cmd: CreateSeatAssignments) -> list[object]:
    """One slot per seat, numbered from 0 in the order's seat order; created once."""
    if state is not None:
        return []
    require_valid_quantities(cmd.seats)
    seat_types = [s.seat_type for s in merged(cmd.seats) for _ in range(s.quantity)]
    if not seat_types:
        raise DomainError("empty_order", "An order without seats has nothing to assign.")
    slots = tuple(SeatSlot(position, t) for position, t in enumerate(seat_types))
    return [SeatAssignmentsCreated(cmd.order_id, slots)]


def _assign(state: SeatAssignmentsState, cmd: AssignSeat) -> list[object]:
    """A new email moves the seat to a new attendee; the same email only corrects details."""
    seat = _seat(state, cmd.position)
    require_person(cmd.attendee, names_required=False)
    attendee = _cleaned(cmd.attendee)
    current = seat.attendee
    if current is None or not same_email(current.email, attendee.email):
        moved = [SeatUnassigned(state.order_id, seat.position, cmd.by)] if current else []
        return moved + [SeatAssigned(state.order_id, seat.position, seat.seat_type, attendee,
                                     cmd.by)]
    if attendee != current:
        return [SeatAssignmentUpdated(state.order_id, seat.position, attendee, cmd.by)]
    return []


def _unassign(state: SeatAssignmentsState, cmd: UnassignSeat) -> list[object]:
    """Free an assigned seat; freeing a free seat changes nothing."""
    seat = _seat(state, cmd.position)
    return [SeatUnassigned(state.order_id, seat.position, cmd.by)] if seat.attendee else []


def _seat(state: SeatAssignmentsState, position: int) -> Seat:
    seat = state.seat(position)
    if seat is None:
        raise DomainError("unknown_seat_position", f"This order has no seat at position {position!r}.")
    return seat


def _cleaned(attendee: PersonalInfo) -> PersonalInfo:
    # Stray blanks from a form must not make two identical assignments look different.
    first, last, company = (str(v or "").strip()
                            for v in (attendee.first_name, attendee.last_name, attendee.company))
    return PersonalInfo(first, last, attendee.email.strip(), company)
