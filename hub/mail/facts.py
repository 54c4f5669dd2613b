"""What a mail needs to say, read from the log as it stood at the mail's event (a reader may
run behind: the read models may already show what came after)."""
from __future__ import annotations

from dataclasses import dataclass

from hub.mail import content
from event_store.statements import prepared
from shared_domain import checkin, orders, sales, seat_assignments
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
    confirmed: bool = False
    cancelled: orders.OrderCancelled | None = None


def conference(hub, conference_id: str) -> Conference | None:
    table = hub.models.Conference._meta.table_name
    sql = prepared(hub.db, "mail.conference", lambda q: (
        f"SELECT {q.q('name')}, {q.q('start_date')}, {q.q('end_date')}, {q.q('location')} "
        f"FROM {q.q(table)} WHERE {q.q('id')} = {q.p}"))
    row = hub.db.execute_sql(sql, (conference_id,)).fetchone()
    if row is None:
        return None
    name, start, end, location = row
    return Conference(conference_id, name, content.date_range(start, end), location)


def order_at(hub, order_id: str, version: int | None = None) -> Order | None:
    """An order placed online, up to `version` of its stream (all of it: None); None for
    one sold at a door (see sale_of). Read event by event rather than folded, so an event
    type added to the stream later never stops a mail."""
    placed, lines, total, registrant, confirmed, cancelled = None, (), 0, None, False, None
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
        elif isinstance(m, orders.OrderConfirmed):
            confirmed = True
        elif isinstance(m, orders.OrderCancelled):
            cancelled = m
    if placed is None:
        return None
    return Order(order_id, placed.conference_id, placed.access_code, lines, total, registrant,
                 confirmed, cancelled)


def sale_of(hub, order_id: str) -> sales.OnSiteOrderRecorded | None:
    """The door's sale an order was made from, if it was sold at a door."""
    for event in hub.store.load(orders.stream_id(order_id))[:1]:
        if isinstance(event.message, sales.OnSiteOrderRecorded):
            return event.message
    return None


def tickets_at(hub, order_id: str, position: int) -> dict:
    """The order's live tickets as they stood at a log position: {seat position: the
    TicketIssued event}."""
    live = {}
    for event in hub.store.load(checkin.TICKETS_STREAM_PREFIX + order_id):
        if event.position > position:
            break
        m = event.message
        if isinstance(m, checkin.TicketIssued):
            live[m.position] = event
        elif isinstance(m, checkin.TicketRevoked):
            live = {p: e for p, e in live.items() if e.message.code_digest != m.code_digest}
    return live


def issued(hub, stream: str, code_digest: str):
    """The TicketIssued event of a code, from the order's tickets stream."""
    return next((e for e in hub.store.load(stream) if isinstance(e.message, checkin.TicketIssued)
                 and e.message.code_digest == code_digest), None)


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
    event that caused a ticket left it (the whole stream if the cause is not in it)."""
    events = [e for e in hub.store.load(seat_assignments.stream_id(order_id))
              if isinstance(e.message, seat_assignments.ASSIGNMENT_EVENTS)]
    cause = next((e for e in events if e.id == cause_id), None)
    if cause is not None:
        events = [e for e in events if e.version <= cause.version]
    state = seat_assignments.fold(e.message for e in events)
    seat = state.seat(position) if state else None
    corrected = cause is not None and isinstance(cause.message,
                                                 seat_assignments.SeatAssignmentUpdated)
    return (seat.attendee, seat.seat_type, corrected) if seat else (None, "", False)


def seat_type_name(hub, seat_type_id: str) -> str:
    table = hub.models.SeatType._meta.table_name
    sql = prepared(hub.db, "mail.seat_type", lambda q: (
        f"SELECT {q.q('name')} FROM {q.q(table)} WHERE {q.q('id')} = {q.p}"))
    row = hub.db.execute_sql(sql, (seat_type_id,)).fetchone()
    return row[0] if row else "Seat"


def node_name(hub, node_id: str) -> str:
    N = hub.models.Node
    row = N.get_or_none(N.id == node_id)
    return row.name if row else "the venue"
