"""Runs the RegistrationProcess manager: its state and the commands it sends commit together."""
from __future__ import annotations

import json

from shared_domain import registration_process
from sync_protocol.codec import from_jsonable, to_jsonable
from sync_protocol.ids import uuid7
from sync_protocol.store import StoredEvent, canonical_json


def fresh_ids():
    while True:
        yield uuid7()


class RegistrationProcesses:
    """A reader of the log that feeds the process manager, one event at a time."""

    name = "registration_process"
    handles = registration_process.EVENTS

    def __init__(self, hub):
        self.hub = hub

    def apply(self, event: StoredEvent) -> None:
        if registration_process.correlation(event.message) is not None:
            self.handle(event.message, causation_id=event.causation)

    def handle(self, message, *, causation_id: str | None) -> None:
        """Give one message to its process; save the new state and queue what it sends.

        Called inside the caller's transaction (the reader's batch, or the
        command's), so a crash never leaves state saved without its commands.
        """
        process_id = registration_process.correlation(message)
        P = self.hub.models.ProcessState
        row = P.get_or_none(P.id == process_id)
        state = self.load(row)
        new_state, outgoing = registration_process.handle(
            state, message, now=self.hub.clock(), causation_id=causation_id, ids=fresh_ids(),
            release_buffer=self.hub.config.release_buffer)
        if new_state is not None and new_state != state:
            body = canonical_json(to_jsonable(new_state))
            (P.insert(id=process_id, state=new_state.state, data=body)
             .on_conflict(conflict_target=[P.id],
                          update={P.state: new_state.state, P.data: body,
                                  P.version: P.version + 1})
             .execute())
        for out in outgoing:
            self.hub.bus.send(out.command, deliver_at=out.deliver_at, correlation=process_id)
        self.hub.store.log_message("event", message, handler="RegistrationProcess",
                                   message_id=causation_id, correlation=process_id,
                                   outcome=f"{len(outgoing)} commands")

    def load(self, row):
        if row is None:
            return None
        return from_jsonable(registration_process.ProcessState, json.loads(row.data))

    def state_of(self, process_id: str):
        P = self.hub.models.ProcessState
        return self.load(P.get_or_none(P.id == process_id))
