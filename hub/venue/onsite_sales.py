"""The hub's side of on-site sales: sales become orders, returns free seats, the ledger
per node is kept, and a sale beyond a node's allocation or a reused payment number is a
conflict (DESIGN.md sections 6 and 7)."""
from __future__ import annotations

import peewee

from hub.venue.checkins import record_conflict
from hub.venue.sale_rules import (LEDGER_FIELDS, OWN_LEDGER_TYPES, RECEIVED_LEDGER_TYPES, Found,
                                  allocation_command, allocation_moves, beyond_allocation,
                                  discount_refused,
                                  reference_reused, refund, sale_consequences, seller_cancels)
from hub.venue.sales_slice import SalesSlice
from shared_domain import allocations, orders, sales, seats_availability
from event_store.store import StoredEvent


def cancelled_by_seller(models, m: sales.OnSiteSaleCancelled, event: StoredEvent) -> bool:
    """Only the door that made a sale may cancel it (ingest ties m.node_id to the event's
    origin); a cancellation from another door is ignored and logged."""
    S = models.SaleRecord
    sale = S.get_or_none(S.sale_id == m.sale_id)
    return sale is not None and seller_cancels(sale, m, event)


class OnSiteSales:
    """A reader of the log for everything nodes sell and give back."""

    name = "onsite_sales"
    handles = (seats_availability.SeatsAllocatedToNode, allocations.AllocationHandedOver,
               allocations.AllocationReturned, allocations.AllocationTopUpRequested,
               sales.OnSiteSaleMade, sales.OnSiteSaleCancelled)

    def __init__(self, hub):
        self.hub = hub
        self.m = hub.models

    def apply(self, event: StoredEvent) -> None:
        m = event.message
        for move in allocation_moves(event):
            self._ledger(*move)
        if (command := allocation_command(m)) is not None:
            self.hub.bus.send(command)
        if isinstance(m, sales.OnSiteSaleMade):
            self._sale_made(m, event)
        elif isinstance(m, sales.OnSiteSaleCancelled):
            self._sale_cancelled(m, event)
        if not event.origin.startswith("hub/") and self.m.PendingSaleCheck.select().exists():
            self._judge_pending(event.position)

    def apply_many(self, events: list[StoredEvent]) -> None:
        """A slice of the log at once, with the outcome of `apply` one event at a time: what
        the slice needs is read in a few queries, decided in memory in log order and written
        in a few statements (hub/venue/sales_slice.py). What it cannot decide so raises, and
        the feed applies the slice one event at a time."""
        SalesSlice(self.hub, events).apply()

    # --- the ledger --------------------------------------------------------------------

    def _ledger(self, conference_id, node_id, epoch, seat_type, field, quantity) -> None:
        assert field in LEDGER_FIELDS
        L = self.m.NodeLedger
        L.insert(node_id=node_id, epoch=epoch, conference_id=conference_id,
                 seat_type=seat_type).on_conflict_ignore().execute()
        L.update({field: getattr(L, field) + quantity}).where(
            (L.node_id == node_id) & (L.epoch == epoch) & (L.seat_type == seat_type)).execute()

    # --- sales -------------------------------------------------------------------------

    def _sale_made(self, m: sales.OnSiteSaleMade, event: StoredEvent) -> None:
        S = self.m.SaleRecord
        if S.get_or_none(S.sale_id == m.sale_id) is not None:
            return
        S.create(sale_id=m.sale_id, event_id=event.id, conference_id=m.conference_id,
                 node_id=m.node_id, epoch=m.epoch, payment_method=m.payment_method,
                 payment_reference=m.payment_reference.strip(), total_cents=m.total_cents,
                 sold_at=m.sold_at)
        for line in m.lines:
            self._ledger(m.conference_id, m.node_id, m.epoch, line.seat_type, "sold", line.quantity)
        self._judge_or_defer(m, event)
        self._check_payment_reference(m, event)
        for found in discount_refused(self.hub.store, m, event):
            self._conflict(found)
        self._record_order(m, event)

    def _record_order(self, m: sales.OnSiteSaleMade, event: StoredEvent) -> None:
        for stream, events in sale_consequences(m):
            self._append(stream, events, event)

    def _sale_cancelled(self, m: sales.OnSiteSaleCancelled, event: StoredEvent) -> None:
        S = self.m.SaleRecord
        sale = S.get_or_none(S.sale_id == m.sale_id)
        if sale is None or sale.cancelled:
            return
        if not cancelled_by_seller(self.m, m, event):
            return
        S.update(cancelled=True).where(S.sale_id == m.sale_id).execute()
        made = next(e.message for e in self.hub.store.load(orders.stream_id(m.sale_id)))
        for line in made.lines:
            self._ledger(sale.conference_id, sale.node_id, sale.epoch, line.seat_type, "sold",
                         -line.quantity)
        self._append(*refund(m), event)

    def _append(self, stream: str, events: list, cause: StoredEvent) -> None:
        self.hub.append_consequences(stream, events, cause)

    # --- conflicts ------------------------------------------------------------------------

    def _judge_or_defer(self, m: sales.OnSiteSaleMade, event: StoredEvent) -> None:
        """Judge a sale against the facts its seller held, once the hub holds them all."""
        if self._holds(sales.parse_context(m.causal_context), event.position):
            self._judge(m, event, event.position)
        else:
            self.m.PendingSaleCheck.insert(sale_id=m.sale_id, event_id=event.id).on_conflict_ignore().execute()

    def _judge_pending(self, position: int) -> None:
        P = self.m.PendingSaleCheck
        for pending in list(P.select()):
            stored = self.hub.store.event(pending.event_id)
            if self._holds(sales.parse_context(stored.message.causal_context), position):
                P.delete().where(P.sale_id == pending.sale_id).execute()
                self._judge(stored.message, stored, position)

    def _holds(self, context: dict[str, int], position: int) -> bool:
        E = self.hub.store.models.EventRecord
        return all((E.select(peewee.fn.MAX(E.seq)).where((E.origin == origin)
                                                          & (E.position <= position)).scalar() or 0) >= seq
                   for origin, seq in context.items())

    def _judge(self, m: sales.OnSiteSaleMade, event: StoredEvent, position: int) -> None:
        """Judged at the sale's causal cut: the seller's own facts up to the sale, and every
        grant and hand-over the hub has received, so the order of arrival changes nothing."""
        E = self.hub.store.models.EventRecord
        own = E.select().where((E.origin == event.origin) & (E.seq <= event.seq)
                               & E.type.in_(OWN_LEDGER_TYPES))
        received = E.select().where((E.position <= position) & (E.origin != event.origin)
                                    & (E.conference == event.conference)
                                    & E.type.in_(RECEIVED_LEDGER_TYPES))
        messages = [e.message for e in [*self.hub.store.events(own),
                                        *self.hub.store.events(received)]]
        holdings = allocations.holdings_from(messages, m.node_id, m.epoch)
        for found in beyond_allocation(m, event,
                                       lambda t: holdings.get(t, allocations.Holding())):
            self._conflict(found)

    def _check_payment_reference(self, m: sales.OnSiteSaleMade, event) -> None:
        reference = m.payment_reference.strip()
        if not reference:
            return
        S = self.m.SaleRecord
        for other in S.select().where((S.payment_reference == reference)
                                      & (S.payment_method == m.payment_method)
                                      & (S.sale_id != m.sale_id)):
            self._conflict(reference_reused(m, event, reference, other))

    def _conflict(self, found: Found) -> None:
        record_conflict(self.hub, found.kind, "review", found.conference_id, found.subject,
                        found.event_ids, found.sides, found.outcome, found.node_ids)
