"""The hub's side of on-site sales: sales become orders, returns free seats, the ledger
per node is kept, and a sale beyond a node's allocation or a reused payment number is a
conflict (DESIGN.md sections 6 and 7)."""
from __future__ import annotations

import logging

import peewee

from hub.venue.checkins import record_conflict
from shared_domain import (allocations, conflict_rules, orders, payments, sales, seat_assignments,
                           seats_availability)
from event_store.store import StoredEvent

LEDGER_FIELDS = {"granted", "handed_in", "handed_out", "returned", "sold"}
OWN_LEDGER_TYPES = ["AllocationHandedOver", "AllocationReturned", "OnSiteSaleMade",
                    "OnSiteSaleCancelled"]
RECEIVED_LEDGER_TYPES = ["SeatsAllocatedToNode", "AllocationHandedOver"]

log = logging.getLogger(__name__)


def cancelled_by_seller(models, m: sales.OnSiteSaleCancelled, event: StoredEvent) -> bool:
    """Only the door that made a sale may cancel it (ingest ties m.node_id to the event's
    origin); a cancellation from another door is ignored and logged."""
    S = models.SaleRecord
    sale = S.get_or_none(S.sale_id == m.sale_id)
    if sale is None or sale.node_id == m.node_id:
        return sale is not None
    log.warning("ignored %s: sale %s was made by node %s, not %s", event.id, m.sale_id,
                sale.node_id, m.node_id)
    return False


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
        if isinstance(m, seats_availability.SeatsAllocatedToNode):
            self._ledger(event.conference, m.node_id, m.epoch, m.seat_type, "granted", m.quantity)
        elif isinstance(m, allocations.AllocationHandedOver):
            self._ledger(event.conference, m.to_node_id, m.to_epoch, m.seat_type, "handed_in", m.quantity)
            self._ledger(event.conference, m.from_node_id, m.from_epoch, m.seat_type, "handed_out", m.quantity)
        elif isinstance(m, allocations.AllocationReturned):
            self._ledger(event.conference, m.node_id, m.epoch, m.seat_type, "returned", m.quantity)
            self.hub.bus.send(seats_availability.TakeBackNodeSeats(
                m.conference_id, m.node_id, m.epoch, m.seat_type, m.quantity, m.return_id))
        elif isinstance(m, allocations.AllocationTopUpRequested):
            self.hub.bus.send(seats_availability.AllocateSeatsToNode(
                m.conference_id, m.node_id, m.epoch, m.seat_type, m.quantity, m.request_id))
        elif isinstance(m, sales.OnSiteSaleMade):
            self._sale_made(m, event)
        elif isinstance(m, sales.OnSiteSaleCancelled):
            self._sale_cancelled(m, event)
        if not event.origin.startswith("hub/") and self.m.PendingSaleCheck.select().exists():
            self._judge_pending(event.position)

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
        self._record_order(m, event)

    def _record_order(self, m: sales.OnSiteSaleMade, event: StoredEvent) -> None:
        """The sale becomes an order with its seats assigned to the buyer and a payment record."""
        order = sales.OnSiteOrderRecorded(m.sale_id, m.conference_id, m.node_id, m.lines,
                                          m.total_cents, m.buyer, m.payment_method,
                                          m.payment_reference, m.sold_at)
        self._append(orders.stream_id(m.sale_id), [order], event)
        slots = tuple(seat_assignments.SeatSlot(s.position, s.seat_type) for s in m.seats)
        assigned = [seat_assignments.SeatAssigned(m.sale_id, s.position, s.seat_type, m.buyer)
                    for s in m.seats]
        self._append(seat_assignments.stream_id(m.sale_id),
                     [seat_assignments.SeatAssignmentsCreated(m.sale_id, slots), *assigned], event)
        self._append(payments.stream_id(m.sale_id), [payments.PaymentCompleted(
            m.sale_id, m.sale_id, m.conference_id, m.total_cents, m.payment_method)], event)

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
        self._append(payments.stream_id(m.sale_id), [payments.PaymentRefunded(
            m.sale_id, m.sale_id, m.refund_cents, "on_site_sale_cancelled")], event)

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
        """Only a faulty node sells beyond its allocation: the sale stands, the seats are flagged.
        Judged at the sale's causal cut: the seller's own facts up to the sale, and every grant
        and hand-over the hub has received, so the order of arrival changes nothing."""
        E = self.hub.store.models.EventRecord
        own = E.select().where((E.origin == event.origin) & (E.seq <= event.seq)
                               & E.type.in_(OWN_LEDGER_TYPES))
        received = E.select().where((E.position <= position) & (E.origin != event.origin)
                                    & (E.conference == event.conference)
                                    & E.type.in_(RECEIVED_LEDGER_TYPES))
        messages = [e.message for e in [*self.hub.store.events(own),
                                        *self.hub.store.events(received)]]
        holdings = allocations.holdings_from(messages, m.node_id, m.epoch)
        for line in m.lines:
            held = holdings.get(line.seat_type, allocations.Holding())
            if over := conflict_rules.seats_over_allocation(held):
                self._conflict("sale_beyond_allocation", m.conference_id, m.sale_id, [event.id],
                               [{"sale_id": m.sale_id, "node_id": m.node_id,
                                 "seat_type": line.seat_type, "sold": held.sold,
                                 "allocated": held.limit, "sold_at": m.sold_at}],
                               f"The sale stands; {over} seat(s) over the node's "
                               f"allocation are flagged. Review: refund, or raise the capacity.",
                               [m.node_id])

    def _check_payment_reference(self, m: sales.OnSiteSaleMade, event) -> None:
        reference = m.payment_reference.strip()
        if not reference:
            return
        S = self.m.SaleRecord
        for other in S.select().where((S.payment_reference == reference)
                                      & (S.payment_method == m.payment_method)
                                      & (S.sale_id != m.sale_id)):
            self._conflict("payment_reference_reused", m.conference_id, reference,
                           [event.id, other.event_id],
                           [{"sale_id": m.sale_id, "node_id": m.node_id, "sold_at": m.sold_at},
                            {"sale_id": other.sale_id, "node_id": other.node_id,
                             "sold_at": other.sold_at}],
                           "Both sales are kept. Review: the same payment or receipt number was "
                           "used twice.", [m.node_id, other.node_id])

    def _conflict(self, kind, conference_id, subject, event_ids, sides, outcome, node_ids):
        record_conflict(self.hub, kind, "review", conference_id, subject, event_ids, sides,
                        outcome, node_ids)


