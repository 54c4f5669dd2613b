"""The hub's rules for door facts, applied on the node: to what a peer relays, and to what
this node records itself, so it never records a fact the hub would refuse (a refused fact
would hold back every later fact of its origin, which is sent in seq order)."""
from __future__ import annotations

import functools
from typing import Callable

from shared_domain import edge_facts
from shared_domain.catalog import ALL_EVENTS, by_name
from shared_domain.errors import DomainError
from sync_protocol import origin_signatures
from event_store.registry import EventRegistry
from sync_protocol.server import HLC_AHEAD_MS, HLC_BEHIND_MS, Admission
from sync_protocol.validation import EventSchemas, FieldRules, HlcWindow, InvalidField


@functools.lru_cache(maxsize=1)
def event_schemas() -> EventSchemas:
    """Every event body's schema, with the field limits of shared_domain (as at the hub)."""
    return EventSchemas(by_name(ALL_EVENTS), FieldRules(**edge_facts.FIELD_RULES))


def peer_admission(hub_time: Callable[[], float],
                   key_of: Callable[[str], bytes | None]) -> Admission:
    """What a peer's push must pass: door facts of their own origin (or the hub's events),
    each signed by its origin (`key_of`: the origin's public key, None if unknown here; the
    venue key every door holds proves nothing about who observed a fact), valid bodies, and
    stamps near the hub's time as this node knows it."""
    def rule(envelope: dict):
        return (edge_facts.refusal(envelope["origin"], envelope["conference"],
                                   envelope["stream"], envelope["type"], envelope["data"])
                or origin_signatures.refusal(envelope, key_of(envelope["origin"])))

    return Admission(event_schemas(), rule, lambda: int(hub_time() * 1000),
                     HlcWindow(HLC_AHEAD_MS, HLC_BEHIND_MS))


def require_door_facts(registry: EventRegistry, origin: str, conference: str,
                       messages: list) -> list[tuple[str, int, dict]]:
    """Refuse (DomainError invalid_fact) a fact this node may not record under its origin;
    return each message's (type, schema, body), encoded once for the append too."""
    encoded = []
    for message in messages:
        event_type, schema, body = registry.encode(message)
        encoded.append((event_type, schema, body))
        refused = edge_facts.refusal(origin, conference, edge_facts.edge_stream(origin),
                                     event_type, body)
        if refused is not None:
            raise DomainError("invalid_fact", f"This door may not record that: {refused.message}.")
        try:
            event_schemas().check(event_type, schema, body)
        except InvalidField as bad:
            raise DomainError("invalid_fact",
                              f"{bad.field.removeprefix('data.')} {bad.message}.") from None
    return encoded
