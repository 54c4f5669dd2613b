"""The on-site sales rules both ways of applying them share (hub/venue/onsite_sales.py one
event at a time, hub/venue/sales_slice.py a slice at once): ledger moves, what the hub appends
and sends, and the conflicts found, each written once."""
from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

from shared_domain import (allocations, conflict_rules, door_codes, orders, payments, promotions,
                           sales, seat_assignments, seats_availability)
from shared_domain.edge_facts import hub_origin
from event_store.store import StoredEvent

LEDGER_FIELDS = {"granted", "handed_in", "handed_out", "returned", "sold"}
OWN_LEDGER_TYPES = ["AllocationHandedOver", "AllocationReturned", "OnSiteSaleMade",
                    "OnSiteSaleCancelled"]
RECEIVED_LEDGER_TYPES = ["SeatsAllocatedToNode", "AllocationHandedOver"]

log = logging.getLogger(__name__)


def seller_cancels(sale, m: sales.OnSiteSaleCancelled, event: StoredEvent, *,
                   warn=log.warning) -> bool:
    """Whether the cancellation comes from the door that made the sale; if not, say so."""
    if sale.node_id == m.node_id:
        return True
    warn("ignored %s: sale %s was made by node %s, not %s", event.id, m.sale_id, sale.node_id,
         m.node_id)
    return False


class Ledger(NamedTuple):
    """A move in a node's ledger row (node, epoch, seat type) of a conference."""
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    field: str
    quantity: int


def allocation_moves(event: StoredEvent) -> list[Ledger]:
    """The ledger moves of a grant, a hand-over or a return."""
    m = event.message
    if isinstance(m, seats_availability.SeatsAllocatedToNode):
        return [Ledger(event.conference, m.node_id, m.epoch, m.seat_type, "granted", m.quantity)]
    if isinstance(m, allocations.AllocationHandedOver):
        return [Ledger(event.conference, m.to_node_id, m.to_epoch, m.seat_type, "handed_in",
                       m.quantity),
                Ledger(event.conference, m.from_node_id, m.from_epoch, m.seat_type, "handed_out",
                       m.quantity)]
    if isinstance(m, allocations.AllocationReturned):
        return [Ledger(event.conference, m.node_id, m.epoch, m.seat_type, "returned", m.quantity)]
    return []


def allocation_command(m):
    """What the hub does about a return (frees the seats) or a top-up request (grants more)."""
    if isinstance(m, allocations.AllocationReturned):
        return seats_availability.TakeBackNodeSeats(m.conference_id, m.node_id, m.epoch,
                                                    m.seat_type, m.quantity, m.return_id)
    if isinstance(m, allocations.AllocationTopUpRequested):
        return seats_availability.AllocateSeatsToNode(m.conference_id, m.node_id, m.epoch,
                                                      m.seat_type, m.quantity, m.request_id)
    return None


def sale_consequences(m: sales.OnSiteSaleMade) -> list[tuple[str, list]]:
    """The sale becomes an order with its seats assigned to the buyer and a payment record:
    (stream, events) in the order they are appended."""
    order = sales.OnSiteOrderRecorded(m.sale_id, m.conference_id, m.node_id, m.lines,
                                      m.total_cents, m.buyer, m.payment_method,
                                      m.payment_reference, m.sold_at, m.codes, m.discounts,
                                      m.discount_cents)
    slots = tuple(seat_assignments.SeatSlot(s.position, s.seat_type) for s in m.seats)
    assigned = [seat_assignments.SeatAssigned(m.sale_id, s.position, s.seat_type, m.buyer)
                for s in m.seats]
    return [(orders.stream_id(m.sale_id), [order]),
            (seat_assignments.stream_id(m.sale_id),
             [seat_assignments.SeatAssignmentsCreated(m.sale_id, slots), *assigned]),
            (payments.stream_id(m.sale_id), [payments.PaymentCompleted(
                m.sale_id, m.sale_id, m.conference_id, m.total_cents, m.payment_method)])]


def refund(m: sales.OnSiteSaleCancelled) -> tuple[str, list]:
    return payments.stream_id(m.sale_id), [payments.PaymentRefunded(
        m.sale_id, m.sale_id, m.refund_cents, "on_site_sale_cancelled")]


class Found(NamedTuple):
    """A conflict to review, as `record_conflict` takes it."""
    kind: str
    conference_id: str
    subject: str
    event_ids: list
    sides: list
    outcome: str
    node_ids: list


def beyond_allocation(m: sales.OnSiteSaleMade, event: StoredEvent, holding_of) -> list[Found]:
    """Only a faulty node sells beyond its allocation: the sale stands, the seats are flagged
    (`holding_of(seat_type)`: what the seller held at the sale's causal cut)."""
    found = []
    for line in m.lines:
        held = holding_of(line.seat_type)
        if over := conflict_rules.seats_over_allocation(held):
            found.append(Found(
                "sale_beyond_allocation", m.conference_id, m.sale_id, [event.id],
                [{"sale_id": m.sale_id, "node_id": m.node_id, "seat_type": line.seat_type,
                  "sold": held.sold, "allocated": held.limit, "sold_at": m.sold_at}],
                f"The sale stands; {over} seat(s) over the node's allocation are flagged. "
                f"Review: refund, or raise the capacity.", [m.node_id]))
    return found


def discount_refused(store, m: sales.OnSiteSaleMade, event: StoredEvent) -> list[Found]:
    """A door sale's codes checked against the terms the door held (the code's definition as
    of the hub's events it had, `m.hub_seq`) at the time it sold, and its totals against
    `apply_codes`. One that fails stands as paid and is flagged; no door sale ever holds a
    use of a code, so none counts against a quota (docs/promotions.md, "At the doors")."""
    if not (m.codes or m.discounts or m.discount_cents):
        return []
    terms = {}
    for code in m.codes[:door_codes.MAX_CODES + 1]:
        history = store.load(promotions.stream_id(m.conference_id, code))
        known = door_codes.terms_known_at(
            ((e.seq, e.message) for e in history if e.origin == hub_origin(m.conference_id)),
            m.hub_seq)
        if known is not None:
            terms[code] = known
    problem = door_codes.sale_discount_problem(m.codes, m.discounts, m.discount_cents,
                                               m.total_cents, m.lines, terms, _aware(m.sold_at))
    if not problem:
        return []
    return [Found("sale_discount_refused", m.conference_id, m.sale_id, [event.id],
                  [{"sale_id": m.sale_id, "node_id": m.node_id, "codes": list(m.codes),
                    "discount_cents": m.discount_cents, "total_cents": m.total_cents,
                    "reason": problem, "sold_at": m.sold_at}],
                  "The sale stands as paid at the door and takes no use of any code. Review: "
                  "the discount is not one the hub grants (a limited, unknown or expired "
                  "code, or totals that do not add up).", [m.node_id])]


def _aware(moment: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(moment)
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def reference_reused(m: sales.OnSiteSaleMade, event: StoredEvent, reference: str,
                     other) -> Found:
    """Another sale (a SaleRecord) paid with the same method and reference."""
    return Found("payment_reference_reused", m.conference_id, reference,
                 [event.id, other.event_id],
                 [{"sale_id": m.sale_id, "node_id": m.node_id, "sold_at": m.sold_at},
                  {"sale_id": other.sale_id, "node_id": other.node_id,
                   "sold_at": other.sold_at}],
                 "Both sales are kept. Review: the same payment or receipt number was "
                 "used twice.", [m.node_id, other.node_id])
