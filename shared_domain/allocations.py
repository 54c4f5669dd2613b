"""Seats granted by the hub to one node (and epoch) to sell offline, and how they move.

A node's limit for a seat type is what the hub granted it, plus what peers handed it,
minus what it handed on or returned. Only the hub creates allocation (out of the
conference's free seats), and a node lowers its own limit (a durable fact in its log)
before its seats go anywhere else, so whatever the order in which facts travel, no node
can count a seat that another also counts: sold never exceeds capacity.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared_domain.errors import DomainError

NODES_STREAM_PREFIX = "nodes-"


def nodes_stream(conference_id: str) -> str:
    """What the hub tells a conference's nodes (keys, reductions) lives in nodes-<id>."""
    return NODES_STREAM_PREFIX + conference_id



# --- hub events ------------------------------------------------------------------------

@dataclass(frozen=True)
class AllocationReductionRequested:
    """The hub admin asks a node to give seats back; the node returns what it has not sold."""
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    request_id: str


@dataclass(frozen=True)
class NodeKeyRegistered:
    """A node's own Ed25519 key (it signs provisional tickets), learned by every replica."""
    conference_id: str
    node_id: str
    key_id: str
    public_key: str       # base64url of the 32 raw bytes
    epoch: int = 0        # the node's epoch from this enrollment on


# --- node facts ------------------------------------------------------------------------

@dataclass(frozen=True)
class AllocationHandedOver:
    """A node gives seats of its allocation to a peer (it lowered its own limit first)."""
    handoff_id: str
    conference_id: str
    from_node_id: str
    from_epoch: int
    to_node_id: str
    to_epoch: int
    seat_type: str
    quantity: int
    at: str
    by: str


@dataclass(frozen=True)
class AllocationReturned:
    """A node gives unsold seats back to the hub: its limit is lower from this fact on."""
    return_id: str
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    at: str
    by: str


@dataclass(frozen=True)
class AllocationTopUpRequested:
    request_id: str
    conference_id: str
    node_id: str
    epoch: int
    seat_type: str
    quantity: int
    at: str


ALLOCATION_EVENTS = (AllocationReductionRequested, NodeKeyRegistered, AllocationHandedOver,
                     AllocationReturned, AllocationTopUpRequested)


# --- a node's limit ---------------------------------------------------------------------

@dataclass(frozen=True)
class Holding:
    """One node's (and epoch's) position for one seat type."""
    granted: int = 0
    handed_in: int = 0
    handed_out: int = 0
    returned: int = 0
    sold: int = 0

    @property
    def limit(self) -> int:
        return self.granted + self.handed_in - self.handed_out - self.returned

    @property
    def left(self) -> int:
        return self.limit - self.sold


def require_quantity(quantity) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= 100_000:
        raise DomainError("invalid_quantity", "The quantity must be a whole number from 1.")


def require_left(holdings: Mapping[str, Holding], seat_type: str, quantity: int,
                 seat_type_name: str = "") -> None:
    """Refuse to give away or sell more than the node holds, saying how many are left."""
    left = holdings.get(seat_type, Holding()).left
    if quantity > left:
        name = seat_type_name or seat_type
        raise DomainError(
            "allocation_exhausted",
            f"Only {left} seat{'s' if left != 1 else ''} of {name} left on this node. Ask the "
            f"hub admin to raise this node's allocation, or borrow seats from another door.")


def hand_over(holdings, *, handoff_id, conference_id, node_id, epoch, to_node_id, to_epoch,
              seat_type, quantity, at, by) -> list:
    """Give seats to a peer; never more than are left here, never to ourselves."""
    require_quantity(quantity)
    if (to_node_id, to_epoch) == (node_id, epoch):
        raise DomainError("invalid_handoff", "A node cannot hand seats to itself.")
    require_left(holdings, seat_type, quantity)
    return [AllocationHandedOver(handoff_id, conference_id, node_id, epoch, to_node_id, to_epoch,
                                 seat_type, quantity, at, by)]


def give_back(holdings, *, return_id, conference_id, node_id, epoch, seat_type, quantity,
              at, by) -> list:
    """Return unsold seats to the hub; at most what is left (a reduction asks no more)."""
    require_quantity(quantity)
    require_left(holdings, seat_type, quantity)
    return [AllocationReturned(return_id, conference_id, node_id, epoch, seat_type, quantity,
                               at, by)]


def top_up_needed(holding: Holding, *, low_water: int, ceiling: int) -> int:
    """How many seats to ask for when few are left, never beyond the configured ceiling."""
    if holding.left > low_water or holding.limit >= ceiling:
        return 0
    return ceiling - holding.limit


def holdings_from(events: Iterable, node_id: str, epoch: int) -> dict[str, Holding]:
    """Fold allocation and sale facts into one node's holdings per seat type (for tests and
    the hub's ledger; the node keeps the same sums in its tables)."""
    from shared_domain.sales import OnSiteSaleCancelled, OnSiteSaleMade
    from shared_domain.seats_availability import NodeSeatsReturned, SeatsAllocatedToNode
    sums: dict[str, dict[str, int]] = {}
    cancelled: set[str] = set()
    sales: dict[str, OnSiteSaleMade] = {}

    def add(seat_type, field, quantity):
        sums.setdefault(seat_type, {}).setdefault(field, 0)
        sums[seat_type][field] += quantity

    me = (node_id, epoch)
    for e in events:
        if isinstance(e, SeatsAllocatedToNode) and (e.node_id, e.epoch) == me:
            add(e.seat_type, "granted", e.quantity)
        elif isinstance(e, AllocationHandedOver) and (e.to_node_id, e.to_epoch) == me:
            add(e.seat_type, "handed_in", e.quantity)
        elif isinstance(e, AllocationHandedOver) and (e.from_node_id, e.from_epoch) == me:
            add(e.seat_type, "handed_out", e.quantity)
        elif isinstance(e, AllocationReturned) and (e.node_id, e.epoch) == me:
            add(e.seat_type, "returned", e.quantity)
        elif isinstance(e, OnSiteSaleMade) and (e.node_id, e.epoch) == me:
            sales[e.sale_id] = e
        elif isinstance(e, OnSiteSaleCancelled):
            cancelled.add(e.sale_id)
        elif isinstance(e, NodeSeatsReturned):
            pass  # the hub's echo of a return: the node's fact already counted it
    for sale_id, sale in sales.items():
        if sale_id not in cancelled:
            for line in sale.lines:
                add(line.seat_type, "sold", line.quantity)
    return {t: Holding(**fields) for t, fields in sums.items()}
