"""The wait-list commands' handler: the wait-list and the conference's seats decided together
(shared_domain/waitlists.decide_with_seats) and appended in the command's one transaction."""
from __future__ import annotations

from shared_domain import orders, seats_availability
from shared_domain import waitlists as wl
from shared_domain.seats import SeatQuantity


class WaitlistHandlers:
    """Bound to one hub and its core handlers (hub/orders/handlers.py), whose cached
    availability and order handler it shares."""

    def __init__(self, hub, core):
        self.hub = hub
        self.core = core

    def table(self) -> dict:
        """Every wait-list command and its handler (merged into the bus's table)."""
        return {command: self.waitlist for command in wl.WAITLIST_COMMANDS}

    def waitlist(self, command, command_id, correlation):
        stream = wl.stream_id(command.conference_id, command.seat_type)
        history = self.hub.store.load(stream)
        state = wl.fold(e.message for e in history)
        seats_stream = seats_availability.stream_id(command.conference_id)
        seats_version, seats = self.core._availability_of(seats_stream)
        events, seat_events = wl.decide_with_seats(state, seats, command, now=self.hub.clock())
        common = dict(conference=command.conference_id, causation=command_id,
                      correlation=correlation or command_id)
        self.hub.publish(stream, events, expected_version=len(history), **common)
        self.hub.publish(seats_stream, seat_events, expected_version=seats_version, **common)
        accepted = [e for e in events if isinstance(e, wl.WaitlistOfferAccepted)]
        for event in accepted:   # the order takes over the held seats, in this transaction
            entry = wl.fold(events, state).entry(event.entry_id)
            self.core.order(orders.RegisterToConference(
                event.offer_id, command.conference_id,
                (SeatQuantity(command.seat_type, entry.quantity),)), command_id, event.offer_id)
