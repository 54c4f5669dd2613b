"""Issues a signed ticket for every assigned seat, and revokes the old one when it changes."""
from __future__ import annotations

import base64
import os

from hub.venue import nodes
from shared_domain import checkin, orders, payments, seat_assignments, tickets
from event_store.store import StoredEvent

STREAM_PREFIX = checkin.TICKETS_STREAM_PREFIX


def current_tickets(hub, order_id: str) -> dict[str, checkin.TicketIssued]:
    """The live ticket of each seat of an order, from its tickets stream."""
    live: dict[str, checkin.TicketIssued] = {}
    for event in hub.store.load(STREAM_PREFIX + order_id):
        if isinstance(event.message, checkin.TicketIssued):
            live[event.message.seat_id] = event.message
        elif isinstance(event.message, checkin.TicketRevoked):
            held = live.get(event.message.seat_id)
            if held is not None and held.code_digest == event.message.code_digest:
                del live[event.message.seat_id]
    return live


class TicketIssuer:
    """A reader of the log: seat assignment changes become ticket events (hub origin)."""

    name = "ticket_issuer"
    handles = (seat_assignments.SeatAssigned, seat_assignments.SeatAssignmentUpdated,
               seat_assignments.SeatUnassigned, payments.PaymentRefunded, orders.OrderCancelled)

    def __init__(self, hub):
        self.hub = hub

    def apply(self, event: StoredEvent) -> None:
        m = event.message
        if isinstance(m, (seat_assignments.SeatAssigned, seat_assignments.SeatAssignmentUpdated)):
            reason = "renamed" if isinstance(m, seat_assignments.SeatAssignmentUpdated) else "reassigned"
            self._reissue(event, m.order_id, m.position, m.attendee, reason)
        elif isinstance(m, seat_assignments.SeatUnassigned):
            self._revoke(event, m.order_id, [checkin.seat_id(m.order_id, m.position)], "reassigned")
        elif isinstance(m, payments.PaymentRefunded):
            self._revoke(event, m.order_id, list(current_tickets(self.hub, m.order_id)), "refunded")
        elif isinstance(m, orders.OrderCancelled):   # every door refuses them once it syncs
            self._revoke(event, m.order_id, list(current_tickets(self.hub, m.order_id)),
                         "order_cancelled")

    def _reissue(self, event, order_id, position, attendee, reason) -> None:
        seat = checkin.seat_id(order_id, position)
        out = self._revocations(order_id, [seat], reason)
        # Cut to what a ticket field holds: the badge prints the name from the ticket, and a
        # name too long to sign must never stop this reader for every order after it.
        name = tickets.fit_text(f"{attendee.first_name} {attendee.last_name}".strip())
        key = self._signing_key(event.conference)
        seat_type = tickets.fit_text(self._seat_type_name(order_id, position))
        payload = tickets.TicketPayload(event.conference, seat, name, (seat_type,), os.urandom(8))
        code = tickets.issue_ticket(payload, base64.urlsafe_b64decode(key.private_key), key.key_id)
        out.append(checkin.TicketIssued(order_id, position, seat, code, checkin.code_digest(code),
                                        name, key.key_id))
        self._append(event, order_id, out)

    def _revoke(self, event, order_id, seats, reason) -> None:
        self._append(event, order_id, self._revocations(order_id, seats, reason))

    def _revocations(self, order_id, seats, reason) -> list:
        live = current_tickets(self.hub, order_id)
        return [checkin.TicketRevoked(order_id, seat, live[seat].code_digest, reason)
                for seat in seats if seat in live]

    def _append(self, cause: StoredEvent, order_id: str, events: list) -> None:
        self.hub.append_consequences(STREAM_PREFIX + order_id, events, cause,
                                     correlation=order_id)

    def _signing_key(self, conference_id: str):
        nodes.ensure_conference_keys(self.hub, conference_id)
        K = self.hub.models.ConferenceKey
        return (K.select().where((K.conference_id == conference_id) & K.retired_at.is_null())
                .order_by(K.created_at.desc()).first())

    def _seat_type_name(self, order_id: str, position: int) -> str:
        T = self.hub.models.SeatType
        state = seat_assignments.fold(e.message for e in self.hub.store.load(
            seat_assignments.stream_id(order_id)))
        seat_type = state.seat(position).seat_type
        row = T.get_or_none(T.id == seat_type)
        return row.name if row else seat_type
