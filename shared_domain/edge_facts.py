"""What a node may push: the facts a door observes, each only about its own node, epoch and
conference (docs/sync-protocol.md, "What a node may push"). One table for the hub's ingest,
its readers, a node's peer ingest and the docs."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from shared_domain import limits

HUB, NODE, UNKNOWN = "hub", "node", "unknown"
_NODE_ORIGIN = re.compile(r"(?P<node>[A-Za-z0-9][A-Za-z0-9_-]{0,99}):(?P<epoch>[1-9][0-9]{0,9})")

# What each body field must equal: the origin's node, its epoch (or an earlier epoch of the
# same node: a sale made before a new epoch is still that node's to cancel), or the
# envelope's conference.
OWN_NODE, OWN_EPOCH, OWN_OR_EARLIER_EPOCH, OWN_CONFERENCE = "node", "epoch", "epoch<=", "conference"

# The allowlist of a node origin ("<node id>:<epoch>"): every type a node records
# (onsite_node, Replica.record), with the fields that tie it to its origin.
NODE_FACTS: Mapping[str, Mapping[str, str]] = {
    "TicketScanned": {"node_id": OWN_NODE},
    "AttendeeCheckedIn": {"node_id": OWN_NODE},
    "CheckInUndone": {"node_id": OWN_NODE},
    "BadgePrinted": {"node_id": OWN_NODE},
    "OnSiteSaleMade": {"conference_id": OWN_CONFERENCE, "node_id": OWN_NODE,
                       "epoch": OWN_EPOCH},
    "OnSiteSaleCancelled": {"node_id": OWN_NODE, "epoch": OWN_OR_EARLIER_EPOCH},
    "AllocationHandedOver": {"conference_id": OWN_CONFERENCE, "from_node_id": OWN_NODE,
                             "from_epoch": OWN_EPOCH},
    "AllocationReturned": {"conference_id": OWN_CONFERENCE, "node_id": OWN_NODE,
                           "epoch": OWN_EPOCH},
    "AllocationTopUpRequested": {"conference_id": OWN_CONFERENCE, "node_id": OWN_NODE,
                                 "epoch": OWN_EPOCH},
}

# Field limits of bodies from outside, by field name wherever it appears (limits.py).
TEXT_LIMITS: Mapping[str, int] = {
    "first_name": limits.PERSON_NAME_MAX, "last_name": limits.PERSON_NAME_MAX,
    "email": limits.EMAIL_MAX,
    "company": limits.COMPANY_MAX, "by": limits.STAFF_NAME_MAX,
    "payment_reference": limits.REFERENCE_MAX,
    "codes": 20,                   # promotional codes (shared_domain.promotions.CODE_MAX)
}
TEXT_MAX = limits.TEXT_MAX
MAX_QUANTITY = 100_000        # shared_domain.allocations.require_quantity
INT_RANGES: Mapping[str, tuple[int, int]] = {
    "quantity": (1, MAX_QUANTITY), "epoch": (1, 2 ** 31 - 1), "from_epoch": (1, 2 ** 31 - 1),
    "to_epoch": (1, 2 ** 31 - 1), "position": (0, 0xFFFF),
    "unit_price_cents": (0, 2 ** 53), "line_total_cents": (0, 2 ** 53),
    "total_cents": (0, 2 ** 53), "refund_cents": (0, 2 ** 53),
    "amount_cents": (0, 2 ** 53), "discount_cents": (0, 2 ** 53), "hub_seq": (0, 2 ** 53),
}
# Times a node writes with datetime.isoformat(); the hub's readers parse them.
TIMESTAMP_FIELDS = frozenset({"scanned_at", "undone_at", "printed_at", "sold_at",
                              "cancelled_at", "at"})
# All of it, as sync_protocol.validation.FieldRules takes it.
FIELD_RULES = {"text_max": TEXT_MAX, "text_limits": TEXT_LIMITS, "int_ranges": INT_RANGES,
               "timestamps": TIMESTAMP_FIELDS}


class Refusal(NamedTuple):
    """Why an event may not come from its origin: a stable code and the field at fault."""
    code: str
    message: str
    field: str = ""


def hub_origin(conference_id: str) -> str:
    """The hub's origin for a conference: it sequences its events per conference, so a door
    holds every origin of its conference whole."""
    return f"hub/{conference_id}"


def door_origin(node_id: str, epoch: int) -> str:
    """A node's origin in one epoch (a new epoch after a restore starts a fresh sequence)."""
    return f"{node_id}:{epoch}"


def origin_kind(origin: str) -> str:
    """hub ("hub/<conference>"), node ("<node id>:<epoch>"), or unknown."""
    if origin.startswith("hub/"):
        return HUB
    return NODE if _NODE_ORIGIN.fullmatch(origin) else UNKNOWN


def node_origin(origin: str) -> tuple[str, int] | None:
    """(node id, epoch) of a node origin, else None."""
    match = _NODE_ORIGIN.fullmatch(origin)
    return (match["node"], int(match["epoch"])) if match else None


def edge_stream(origin: str) -> str:
    """The stream a node's own facts live in (Replica.record)."""
    return f"edge-{origin}"


def allowed(origin: str, event_type: str) -> bool:
    """May an event of this type carry this origin? Hub origins: any; node origins: door facts."""
    kind = origin_kind(origin)
    return kind == HUB or (kind == NODE and event_type in NODE_FACTS)


def refusal(origin: str, conference: str, stream: str, event_type: str, data) -> Refusal | None:
    """Why a node-origin event is not a door fact of its own node, epoch and conference."""
    kind = origin_kind(origin)
    if kind == HUB:
        return None
    if kind == UNKNOWN:
        return Refusal("origin_not_allowed", f"origin {origin!r} is neither a hub's nor a node's")
    if event_type not in NODE_FACTS:
        return Refusal("event_type_not_allowed",
                       f"a node may not push {event_type} (only door facts)", "type")
    if stream != edge_stream(origin):
        return Refusal("fact_not_owned", f"a node's facts live in {edge_stream(origin)}",
                       "stream")
    return _owner_refusal(origin, conference, event_type, data)


def _owner_refusal(origin, conference, event_type, data) -> Refusal | None:
    node_id, epoch = node_origin(origin)
    body = data if isinstance(data, dict) else {}
    for field, rule in NODE_FACTS[event_type].items():
        value = body.get(field)
        if rule == OWN_NODE:
            ok = value == node_id
        elif rule == OWN_CONFERENCE:
            ok = value == conference
        elif rule == OWN_EPOCH:
            ok = type(value) is int and value == epoch
        else:
            ok = type(value) is int and 1 <= value <= epoch
        if not ok:
            return Refusal("fact_not_owned",
                           f"{event_type}.{field} must be the {rule.rstrip('<=')} of origin "
                           f"{origin}", f"data.{field}")
    return None
