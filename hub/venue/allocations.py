"""Hub admin actions on node allocations: grant, ask back, and what each node holds."""
from __future__ import annotations

from shared_domain.errors import DomainError
from shared_domain import allocations, seats_availability
from event_store.ids import uuid7


def allocate(hub, node, seat_type_id: str, quantity: int) -> int:
    """Move up to `quantity` free seats to a node's current epoch; return how many it got."""
    _require_seat_type(hub, node, seat_type_id)
    if node.epoch < 1 or node.revoked_at:
        raise DomainError("node_not_active", "Only an enrolled, unrevoked node gets seats.")
    allocation_id = uuid7()
    stream = seats_availability.stream_id(node.conference_id)
    before = hub.store.stream_version(stream)
    hub.bus.handle(seats_availability.AllocateSeatsToNode(
        node.conference_id, node.id, node.epoch, seat_type_id, quantity, allocation_id))
    granted = [e.message for e in hub.store.load(stream, after_version=before)
               if getattr(e.message, "allocation_id", None) == allocation_id]
    return granted[0].quantity if granted else 0


def change(hub, node, seat_type_id: str, quantity: int) -> str:
    """Raise a node's allocation (quantity > 0) or ask seats back (< 0); say what happens."""
    if quantity > 0:
        granted = allocate(hub, node, seat_type_id, quantity)
        return (f"{node.name} may sell {granted} more seat(s)"
                + ("." if granted == quantity else f": only {granted} were free."))
    if quantity < 0:
        request_reduction(hub, node, seat_type_id, -quantity)
        return (f"{node.name} is asked to give back up to {-quantity} unsold seat(s); "
                "it does at its next sync.")
    raise DomainError("invalid_quantity", "Give a number of seats other than 0.")


def request_reduction(hub, node, seat_type_id: str, quantity: int) -> None:
    """Ask a node to give seats back: it returns what it has not sold at its next sync."""
    _require_seat_type(hub, node, seat_type_id)
    allocations.require_quantity(quantity)
    hub.publish(allocations.nodes_stream(node.conference_id), [
        allocations.AllocationReductionRequested(node.conference_id, node.id, node.epoch,
                                                 seat_type_id, quantity, uuid7())],
        conference=node.conference_id)


def allocation_summary(hub, node) -> list[dict]:
    """Per seat type of a node's current epoch: allocated, sold and left."""
    L, T = hub.models.NodeLedger, hub.models.SeatType
    names = {t.id: t.name for t in T.select().where(T.conference == node.conference_id)}
    rows = L.select().where((L.node_id == node.id) & (L.epoch == node.epoch))
    return [{"seat_type": r.seat_type, "name": names.get(r.seat_type, r.seat_type),
             "allocated": held.limit, "sold": held.sold, "left": held.left}
            for r in rows for held in [holding_of(r)]]


def holding_of(row) -> allocations.Holding:
    """A ledger row as the node's own rule reads it (shared_domain/allocations.py)."""
    return allocations.Holding(granted=row.granted, handed_in=row.handed_in,
                               handed_out=row.handed_out, returned=row.returned, sold=row.sold)


def register_node_key(hub, node) -> None:
    """Tell every replica the node's own ticket key, so its provisional codes pass at any door."""
    if node.public_key:
        from hub.venue.nodes import register_origin_key
        register_origin_key(hub, node)
        hub.publish(allocations.nodes_stream(node.conference_id), [
            allocations.NodeKeyRegistered(node.conference_id, node.id, node_key_id(node.id),
                                          node.public_key, node.epoch)],
            conference=node.conference_id)


def node_key_id(node_id: str) -> str:
    return f"node:{node_id}"


def _require_seat_type(hub, node, seat_type_id: str) -> None:
    T = hub.models.SeatType
    if T.get_or_none((T.id == seat_type_id) & (T.conference == node.conference_id)) is None:
        raise DomainError("unknown_seat_type", f"Unknown seat type {seat_type_id!r}.")
