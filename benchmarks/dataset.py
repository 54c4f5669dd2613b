"""A conference of N attendees as the hub's log holds it, written straight into an EventStore.

Placing 20,000 attendees' orders through the API would take longer than every figure
together, so the benchmarks write the events the real flow produces (the same types,
streams, versions and field shapes as one order placed, reserved, paid, confirmed and
assigned through the hub: 11 events per order and 2 per seat) with the real store's
envelope and payload hash, in bulk. Ticket codes are real: signed with the conference's
Ed25519 key, so nodes verify them when they are scanned.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from shared_domain import checkin, conferences, orders, payments, seat_assignments
from shared_domain import seats_availability
from shared_domain.conferences import access_code_from
from shared_domain.people import PersonalInfo
from shared_domain.pricing import OrderLine
from shared_domain.seats import SeatQuantity
from shared_domain.tickets import TicketPayload, issue_ticket
from event_store.ids import uuid7
from event_store.store import EventStore

# One registrant alone up to a company group of seven: 4 seats per order on average, which
# makes 20,000 attendees about 95,000 events (11 per order, 2 per seat).
SEATS_PER_ORDER = (1, 2, 3, 4, 5, 6, 7)
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Tim", "Radia",
         "Ken", "Frances", "John", "Hedy", "Dennis", "Katherine", "Niklaus", "Sophie", "José"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Berners-Lee",
        "Perlman", "Thompson", "Allen", "Backus", "Lamarr", "Ritchie", "Johnson", "Wirth",
        "Wilson", "Müller"]
COMPANIES = ["Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Tailspin Toys",
             "Wide World Importers", "Litware", "Proseware"]


@dataclass(frozen=True)
class SeatTypeInfo:
    id: str
    name: str
    price_cents: int


@dataclass
class Attendees:
    """What the generator made: every seat's id, name and signed ticket code."""
    seats: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    orders: int = 0


@dataclass(frozen=True)
class TicketKey:
    """The conference's ticket-signing key, as the hub holds it."""
    key_id: str
    private_key: bytes

    def sign(self, payload: TicketPayload) -> str:
        return issue_ticket(payload, self.private_key, self.key_id)


def conference_events(conference_id: str, seat_type: SeatTypeInfo, capacity: int
                      ) -> Iterator[tuple[str, object]]:
    """The integration events a published conference with one seat type starts with."""
    stream = f"conference-{conference_id}"
    yield stream, conferences.ConferenceCreated(
        conference_id, "bench26", "Contoso Benchmark Conference", "Figures that say how fast.",
        "Redmond Convention Center", "", "2026-12-08", "2026-12-09", "Contoso Events",
        "owner@contoso.example")
    yield stream, conferences.SeatCreated(conference_id, seat_type.id, seat_type.name,
                                          "All talks, both days", capacity, seat_type.price_cents)
    yield stream, conferences.ConferencePublished(conference_id)
    yield (seats_availability.stream_id(conference_id),
           seats_availability.AvailableSeatsChanged(
               conference_id, (SeatQuantity(seat_type.id, capacity),)))


def order_events(conference_id: str, seat_type: SeatTypeInfo, attendees: int, key: TicketKey,
                 now: dt.datetime, made: Attendees) -> Iterator[tuple[str, object]]:
    """(stream, event) of confirmed, assigned orders until `attendees` seats are taken."""
    availability = seats_availability.stream_id(conference_id)
    expires = now + dt.timedelta(minutes=15)
    n = 0
    while len(made.seats) < attendees:
        size = min(SEATS_PER_ORDER[n % len(SEATS_PER_ORDER)], attendees - len(made.seats))
        order_id, payment_id = uuid7(), uuid7()
        order = orders.stream_id(order_id)
        seats = (SeatQuantity(seat_type.id, size),)
        total = size * seat_type.price_cents
        lines = (OrderLine(seat_type.id, seat_type.name, size, seat_type.price_cents, total),)
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        yield order, orders.OrderPlaced(order_id, conference_id, seats, expires,
                                        access_code_from(n.to_bytes(16, "big")))
        yield order, orders.OrderTotalsCalculated(order_id, lines, total, False)
        yield availability, seats_availability.SeatsReserved(
            conference_id, order_id, seats, (SeatQuantity(seat_type.id, -size),))
        yield order, orders.OrderReservationCompleted(order_id, expires, seats)
        yield order, orders.OrderTotalsCalculated(order_id, lines, total, False)
        yield order, orders.OrderRegistrantAssigned(order_id, first, last,
                                                    f"{first}.{last}.{n}@example.org".lower())
        payment = payments.stream_id(payment_id)
        yield payment, payments.PaymentInitiated(payment_id, order_id, conference_id,
                                                 f"Order {n}", total)
        yield payment, payments.PaymentCompleted(payment_id, order_id, conference_id, total, "card")
        yield order, orders.OrderConfirmed(order_id)
        assignments = seat_assignments.stream_id(order_id)
        yield assignments, seat_assignments.SeatAssignmentsCreated(
            order_id, tuple(seat_assignments.SeatSlot(p, seat_type.id) for p in range(size)))
        yield availability, seats_availability.SeatsReservationCommitted(conference_id, order_id)
        people = []
        for p in range(size):
            person = PersonalInfo(FIRST[(n + p) % len(FIRST)], LAST[(n * 7 + p) % len(LAST)],
                                  f"attendee{n}-{p}@example.org",
                                  COMPANIES[(n + p) % len(COMPANIES)])
            people.append(person)
            yield assignments, seat_assignments.SeatAssigned(order_id, p, seat_type.id, person)
        for p, person in enumerate(people):
            seat = checkin.seat_id(order_id, p)
            name = f"{person.first_name} {person.last_name}"
            code = key.sign(TicketPayload(conference_id, seat, name, (seat_type.name,),
                                      (n * 8 + p).to_bytes(8, "big")))
            yield f"tickets-{order_id}", checkin.TicketIssued(
                order_id, p, seat, code, checkin.code_digest(code), name, key.key_id)
            made.seats.append(seat)
            made.names.append(name)
            made.codes.append(code)
        made.orders += 1
        n += 1


def bulk_append(store: EventStore, events, *, origin: str, conference: str,
                sign_row=None) -> int:
    """Append (stream, event) pairs after what the origin and the streams hold, in one
    transaction with one `executemany`; return how many were written.

    Each row is built by the store's own `_record` (envelope and payload hash) and signed
    by `sign_row` (the hub's `event_signers.sign_row`), exactly as `EventStore.append` builds
    it for `Hub.publish`; only peewee's per-row INSERT and version query are skipped.
    """
    E, O = store.models.EventRecord, store.models.OriginSeq
    versions: dict[str, int] = {}
    columns = None
    rows = []
    with store.db.atomic():
        seq = store.version_vector().get(origin, 0)
        now = store.clock().isoformat()
        for stream, message in events:
            if stream not in versions:
                shared = stream.startswith(("availability-", "conference-", "edge-"))
                versions[stream] = store.stream_version(stream) if shared else 0
            versions[stream] += 1
            seq += 1
            type_, schema, body = store.registry.encode(message)
            row = store._record(uuid7(), origin, seq, stream, versions[stream], type_, schema,
                                conference, body, now, store.hlc.now(), None, None)
            row["stored_at"] = now
            row["signature"] = sign_row(row) if sign_row else None
            columns = columns or list(row)
            rows.append(tuple(row[c] for c in columns))
        if rows:
            names = ", ".join(f'"{E._meta.fields[c].column_name}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            store.db.connection().executemany(
                f'INSERT INTO "{E._meta.table_name}" ({names}) VALUES ({marks})', rows)
        (O.insert(origin=origin, conference=conference, seq=seq)
         .on_conflict(conflict_target=[O.origin], update={O.seq: seq}).execute())
    return len(rows)
