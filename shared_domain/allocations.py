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


@dataclass(frozen=True)
class DoorNamed:
    """The name the admin gave a node ("Main entrance"): every replica names its doors by it."""
    conference_id: str
    node_id: str
    name: str


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
                     AllocationReturned, AllocationTopUpRequested, DoorNamed)


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
    fold = HoldingsFold(node_id, epoch)
    for e in events:
        fold.add(e)
    return fold.holdings()


class HoldingsFold:
    """One node's (and epoch's) holdings, one fact at a time: after any facts, `holdings()`
    is what `holdings_from` makes of them. A sale counts once per sale id (the last fact of
    that id wins), and not at all once a cancellation of that id is among the facts."""

    def __init__(self, node_id: str, epoch: int):
        from shared_domain.sales import OnSiteSaleCancelled, OnSiteSaleMade
        from shared_domain.seats_availability import SeatsAllocatedToNode
        self._made, self._cancel, self._granted = (OnSiteSaleMade, OnSiteSaleCancelled,
                                                   SeatsAllocatedToNode)
        self.me = (node_id, epoch)
        self._sums: dict[str, dict[str, int]] = {}    # every field but sold
        self._sales: dict = {}                        # sale id -> its last OnSiteSaleMade
        self._cancelled: set[str] = set()
        self._sold: dict[str, list[int]] = {}         # seat type -> [sold, lines counted]

    def add(self, e) -> None:
        me = self.me
        if isinstance(e, self._granted) and (e.node_id, e.epoch) == me:
            self._add(e.seat_type, "granted", e.quantity)
        elif isinstance(e, AllocationHandedOver) and (e.to_node_id, e.to_epoch) == me:
            self._add(e.seat_type, "handed_in", e.quantity)
        elif isinstance(e, AllocationHandedOver) and (e.from_node_id, e.from_epoch) == me:
            self._add(e.seat_type, "handed_out", e.quantity)
        elif isinstance(e, AllocationReturned) and (e.node_id, e.epoch) == me:
            self._add(e.seat_type, "returned", e.quantity)
        elif isinstance(e, self._made) and (e.node_id, e.epoch) == me:
            self._count(self._sales.get(e.sale_id), -1)
            self._sales[e.sale_id] = e
            self._count(e, 1)
        elif isinstance(e, self._cancel) and e.sale_id not in self._cancelled:
            self._count(self._sales.get(e.sale_id), -1)
            self._cancelled.add(e.sale_id)
        # NodeSeatsReturned, the hub's echo of a return: the node's fact already counted it

    def holding(self, seat_type: str) -> Holding:
        sold, lines = self._sold.get(seat_type, (0, 0))
        return Holding(**self._sums.get(seat_type, {}), **({"sold": sold} if lines else {}))

    def holdings(self) -> dict[str, Holding]:
        types = [*self._sums, *(t for t, (_, lines) in self._sold.items()
                                if lines and t not in self._sums)]
        return {t: self.holding(t) for t in types}

    def _add(self, seat_type: str, field: str, quantity: int) -> None:
        fields = self._sums.setdefault(seat_type, {})
        fields[field] = fields.get(field, 0) + quantity

    def _count(self, sale, sign: int) -> None:
        if sale is None or sale.sale_id in self._cancelled:
            return
        for line in sale.lines:
            counted = self._sold.setdefault(line.seat_type, [0, 0])
            counted[0] += sign * line.quantity
            counted[1] += sign
