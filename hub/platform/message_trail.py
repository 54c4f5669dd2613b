"""What happened to one business process, read back: its commands and its events in order.

The original's V2 wrote every message a second time into a message log. Here the log
already holds every event with its correlation, and the command queue every command with
its outcome (handled, refused with its code, failed with its error), both written in the
transaction that decided them, so the trail is read from those two rather than written
a third time on every command and event.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    kind: str        # "command" or "event"
    at: str          # ISO time: when the command was queued, or the event occurred
    type: str
    id: str
    outcome: str     # a command's status (and refusal code); "stored" for an event


def trail(hub, correlation: str, conference: str) -> list[Step]:
    """The commands and events of one process (an order's id is its correlation), in time
    order; `conference` keeps the event side to that conference's rows (an indexed read)."""
    Q, E = hub.models.QueuedCommand, hub.store.models.EventRecord
    commands = [Step("command", row.created_at, row.type, row.id,
                     row.status + (f": {row.refusal_code}" if row.refusal_code else ""))
                for row in Q.select().where(Q.correlation == correlation)]
    events = [Step("event", row.occurred_at, row.type, row.id, "stored")
              for row in E.select(E.occurred_at, E.type, E.id)
              .where((E.conference == conference) & (E.correlation == correlation))
              .order_by(E.position)]
    return sorted(commands + events, key=lambda step: (step.at, step.kind == "event"))
