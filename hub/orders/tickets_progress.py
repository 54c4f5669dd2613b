"""Whether the hub is still issuing an order's tickets, read from the log and the readers'
positions, not guessed from the read models (which lag behind by the same readers).

An order's tickets are being issued while its payment is accepted but the order not yet
confirmed, while a confirmed order has no seats yet, or while the ticket issuer or the read
models have not read the order's last seat assignment or ticket event. The order page says
so and follows the order (GET /api/orders/<id>/seats?wait=&since=, docs/api.md) until it is
done; the version moves whenever what the page shows of the seats may have changed."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import peewee

from hub.orders.order_progress import read_progress
from hub.orders.tickets import TicketIssuer
from shared_domain import checkin, seat_assignments

_VERSION = re.compile(r"[0-9a-f]{16}", re.ASCII)


@dataclass(frozen=True)
class TicketsProgress:
    issuing: bool
    version: str

    def matches(self, since: str) -> bool:
        return since == self.version


def is_since(text: str) -> bool:
    """Whether a client's `since` is a version this module answers."""
    return _VERSION.fullmatch(text) is not None


def read_tickets_progress(hub, order_id: str) -> TicketsProgress:
    """Three small reads: the order's row, its two streams' last positions, two readers'."""
    order = read_progress(hub, order_id)
    assignments = seat_assignments.stream_id(order_id)
    last = _last_positions(hub, (assignments, checkin.tickets_stream(order_id)))
    assigned, ticketed = last.get(assignments, 0), last.get(checkin.tickets_stream(order_id), 0)
    read = _reader_positions(hub, (TicketIssuer.name, hub.read_models.name))
    if order.status == "confirmed":
        issuing = (not assigned or read.get(TicketIssuer.name, 0) < assigned
                   or read.get(hub.read_models.name, 0) < max(assigned, ticketed))
    else:   # paid and not yet confirmed: the confirmation (and the seats) are on their way
        issuing = order.payment_status == "paid" and order.status not in ("expired", "cancelled")
    seen = f"{order.version}|{assigned}|{ticketed}|{issuing}"
    return TicketsProgress(issuing, hashlib.sha256(seen.encode()).hexdigest()[:16])


def _last_positions(hub, streams: tuple[str, ...]) -> dict[str, int]:
    E = hub.store.models.EventRecord
    query = (E.select(E.stream, peewee.fn.MAX(E.position).alias("last"))
             .where(E.stream.in_(streams)).group_by(E.stream).tuples())
    return dict(list(query))


def _reader_positions(hub, names: tuple[str, ...]) -> dict[str, int]:
    R = hub.store.models.ReaderPosition
    return dict(list(R.select(R.name, R.position).where(R.name.in_(names)).tuples()))
