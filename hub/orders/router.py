"""Turns integration events into the commands other aggregates need."""
from __future__ import annotations

from shared_domain import orders, seat_assignments
from event_store.store import StoredEvent


class IntegrationRouter:
    """A reader of the log: a confirmed order gets its seat assignments."""

    name = "integration_router"
    handles = (orders.OrderConfirmed,)

    def __init__(self, hub):
        self.hub = hub

    def apply(self, event: StoredEvent) -> None:
        if isinstance(event.message, orders.OrderConfirmed):
            order = orders.fold(e.message for e in self.hub.store.load(event.stream))
            self.hub.bus.send(
                seat_assignments.CreateSeatAssignments(order.order_id, order.reserved_seats),
                correlation=order.order_id)
