"""What a mail needs to say, read from the log as it stood at the mail's event (a reader may
run behind: the read models may already show what came after)."""
from __future__ import annotations

from dataclasses import dataclass

from hub.mail import content
from shared_domain import orders, seat_assignments
from shared_domain.people import PersonalInfo
from shared_domain.pricing import OrderLine


@dataclass(frozen=True)
class Conference:
    id: str
    name: str
    dates: str
    location: str


@dataclass(frozen=True)
class Order:
    order_id: str
    conference_id: str
    access_code: str
    lines: tuple[OrderLine, ...]
    total_cents: int
    registrant: PersonalInfo | None


def conference(hub, conference_id: str) -> Conference | None:
    C = hub.models.Conference
    row = C.get_or_none(C.id == conference_id)
    if row is None:
        return None
    return Conference(row.id, row.name, content.date_range(row.start_date, row.end_date),
                      row.location)


def order_at(hub, order_id: str, version: int | None = None) -> Order | None:
    """The order up to `version` of its stream (all of it: None). Read event by event rather
    than folded, so an event type added to the stream later never stops a mail."""
    placed, lines, total, registrant = None, (), 0, None
    for event in hub.store.load(orders.stream_id(order_id)):
        if version is not None and event.version > version:
            break
        m = event.message
        if isinstance(m, orders.OrderPlaced):
            placed = m
        elif isinstance(m, orders.OrderTotalsCalculated):
            lines, total = m.lines, m.total_cents
        elif isinstance(m, orders.OrderRegistrantAssigned):
            registrant = PersonalInfo(m.first_name, m.last_name, m.email)
    if placed is None:
        return None
    return Order(order_id, placed.conference_id, placed.access_code, lines, total, registrant)


def seats_at(hub, order_id: str, version: int | None = None):
    """An order's seat assignments up to `version` of their stream (None: all of it)."""
    history = [e.message for e in hub.store.load(seat_assignments.stream_id(order_id))
               if (version is None or e.version <= version)
               and isinstance(e.message, seat_assignments.ASSIGNMENT_EVENTS)]
    return seat_assignments.fold(history)


def holder_before(hub, event) -> tuple[PersonalInfo | None, str]:
    """Who held the seat an assignment event is about just before it, and the seat type."""
    state = seats_at(hub, event.message.order_id, event.version - 1)
    seat = state.seat(event.message.position) if state else None
    return (seat.attendee, seat.seat_type) if seat else (None, "")


def holder_by(hub, cause_id: str | None, order_id: str, position: int):
    """(attendee, seat type, whether only their details changed) of a seat as the assignment
    event that caused a ticket left it."""
    cause = hub.store.event(cause_id) if cause_id else None
    stream = seat_assignments.stream_id(order_id)
    in_stream = cause is not None and cause.stream == stream
    state = seats_at(hub, order_id, cause.version if in_stream else None)
    seat = state.seat(position) if state else None
    corrected = in_stream and isinstance(cause.message, seat_assignments.SeatAssignmentUpdated)
    return (seat.attendee, seat.seat_type, corrected) if seat else (None, "", False)


def seat_type_name(hub, seat_type_id: str) -> str:
    T = hub.models.SeatType
    row = T.get_or_none(T.id == seat_type_id)
    return row.name if row else "Seat"


def node_name(hub, node_id: str) -> str:
    N = hub.models.Node
    row = N.get_or_none(N.id == node_id)
    return row.name if row else "the venue"
