"""Which origin may carry which event, at the hub: checked when a node pushes, and again where
the hub's readers act on the log (an event stored before the checks existed, or written by
hand, must not confirm an order). The rules themselves: shared_domain/edge_facts.py."""
from __future__ import annotations

import functools

from shared_domain import edge_facts
from shared_domain.catalog import ALL_EVENTS, by_name
from sync_protocol import origin_signatures
from sync_protocol.server import HLC_AHEAD_MS, HLC_BEHIND_MS, Admission
from event_store.store import StoredEvent
from sync_protocol.validation import EventSchemas, FieldRules, HlcWindow


class DisallowedEvent(Exception):
    """An event in the log that its origin may not carry: the reader sets it aside."""

    def __init__(self, event: StoredEvent, reason: str):
        super().__init__(f"event {event.id} ({event.type} of origin {event.origin}, "
                         f"#{event.seq}) is not acted on: {reason}")
        self.event, self.reason = event, reason


class OriginGuard:
    """A reader that acts only on events their origin may carry; anything else raises."""

    def __init__(self, reader):
        self.reader = reader

    @property
    def name(self) -> str:
        return self.reader.name

    def apply(self, event: StoredEvent) -> None:
        self._check(event)
        self.reader.apply(event)

    @property
    def apply_many(self):
        """The reader's slice-at-once apply behind the same check, or None if it has none."""
        many = getattr(self.reader, "apply_many", None)
        if many is None:
            return None

        def guarded_many(events: list[StoredEvent]) -> None:
            for event in events:
                self._check(event)
            many(events)
        return guarded_many

    def _check(self, event: StoredEvent) -> None:
        refused = edge_facts.refusal(event.origin, event.conference, event.stream, event.type,
                                     event.data)
        if refused is not None:
            raise DisallowedEvent(event, f"{refused.code}: {refused.message}")

    def __getattr__(self, attribute):
        return getattr(self.reader, attribute)


def guarded(readers: list) -> list:
    """The hub's readers, each behind an OriginGuard."""
    return [OriginGuard(reader) for reader in readers]


@functools.lru_cache(maxsize=1)
def event_schemas() -> EventSchemas:
    """Every event body's schema, with the field limits of shared_domain."""
    return EventSchemas(by_name(ALL_EVENTS), FieldRules(**edge_facts.FIELD_RULES))


def door_admission(hub, conference_id: str, pusher: str) -> Admission:
    """What a node's push must pass at the hub: door facts of a live node of its conference,
    each only about its own origin, with a valid body and a stamp near the hub's time; what
    it relays of another door's must carry that door's signature."""
    N = hub.models.Node
    nodes = {row.id: row for row in N.select(N.id, N.epoch, N.revoked_at)
             .where(N.conference_id == conference_id)}
    keys = None

    def rule(envelope: dict):
        nonlocal keys
        refused = (_origin_refusal(nodes, envelope["origin"])
                   or edge_facts.refusal(envelope["origin"], envelope["conference"],
                                         envelope["stream"], envelope["type"], envelope["data"]))
        if refused is None and relayed(envelope["origin"], pusher):
            if keys is None:
                from hub.venue.nodes import origin_public_keys
                keys = origin_public_keys(hub, conference_id)
            refused = origin_signatures.refusal(envelope, keys.get(envelope["origin"]))
        return refused

    return Admission(event_schemas(), rule, lambda: int(hub.clock().timestamp() * 1000),
                     HlcWindow(HLC_AHEAD_MS, HLC_BEHIND_MS))


def relayed(origin: str, pusher: str) -> bool:
    """An event of another node than the one pushing it (a door's own facts, of any of its
    epochs, are vouched for by its request signature)."""
    parsed = edge_facts.node_origin(origin)
    return parsed is not None and parsed[0] != pusher


def _origin_refusal(nodes: dict, origin: str):
    parsed = edge_facts.node_origin(origin)
    if parsed is None:
        return None
    node_id, epoch = parsed
    node = nodes.get(node_id)
    if node is None or epoch > node.epoch:
        return edge_facts.Refusal("origin_not_allowed",
                                  f"origin {origin} is no node epoch of this conference", "origin")
    if node.revoked_at:
        return edge_facts.Refusal("origin_revoked",
                                  f"node {node_id} was revoked: its facts are refused, also "
                                  "when a peer relays them", "origin")
    return None
