"""Runs the RegistrationProcess manager: its state and the commands it sends commit together."""
from __future__ import annotations

import json

from shared_domain import registration_process
from event_store.codec import from_jsonable, to_jsonable
from event_store.ids import uuid7
from event_store.statements import Sql
from event_store.store import StoredEvent, canonical_json


def fresh_ids():
    while True:
        yield uuid7()


class RegistrationProcesses:
    """A reader of the log that feeds the process manager, one event at a time."""

    name = "registration_process"
    handles = registration_process.EVENTS

    def __init__(self, hub):
        self.hub = hub
        sql = self._sql = Sql(hub.db)
        q, p = sql.q, sql.p
        table = q(hub.models.ProcessState._meta.table_name)
        self._load = f"SELECT {q('data')} FROM {table} WHERE {q('id')} = {p}"
        self._save = (f"INSERT INTO {table} ({q('id')}, {q('state')}, {q('data')}, "
                      f"{q('version')}) VALUES ({p}, {p}, {p}, 1) ON CONFLICT ({q('id')}) "
                      f"DO UPDATE SET {q('state')} = {p}, {q('data')} = {p}, "
                      f"{q('version')} = {table}.{q('version')} + 1")

    def apply(self, event: StoredEvent) -> None:
        if registration_process.correlation(event.message) is not None:
            self.handle(event.message, causation_id=event.causation)

    def handle(self, message, *, causation_id: str | None) -> None:
        """Give one message to its process; save the new state and queue what it sends.

        Called inside the caller's transaction (the reader's batch, or the
        command's), so a crash never leaves state saved without its commands.
        """
        process_id = registration_process.correlation(message)
        row = self._sql.run(self._load, (process_id,)).fetchone()
        state = self.load(row[0]) if row else None
        new_state, outgoing = registration_process.handle(
            state, message, now=self.hub.clock(), causation_id=causation_id, ids=fresh_ids(),
            release_buffer=self.hub.config.release_buffer)
        if new_state is not None and new_state != state:
            body = canonical_json(to_jsonable(new_state))
            self._sql.run(self._save, (process_id, new_state.state, body, new_state.state, body))
        for out in outgoing:
            self.hub.bus.send(out.command, deliver_at=out.deliver_at, correlation=process_id)

    @staticmethod
    def load(data: str | None):
        """A process's state from its stored JSON."""
        if data is None:
            return None
        return from_jsonable(registration_process.ProcessState, json.loads(data))

    def state_of(self, process_id: str):
        row = self._sql.run(self._load, (process_id,)).fetchone()
        return self.load(row[0]) if row else None
