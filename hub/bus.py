"""The durable command queue: commands are stored, then handled once each."""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Callable

from shared_domain.errors import DomainError
from sync_protocol.store import ConcurrencyError, canonical_json
from sync_protocol.ids import uuid7

log = logging.getLogger(__name__)

MAX_CONCURRENCY_RETRIES = 10


class CommandBus:
    """Stores commands (the outbox) and dispatches the due ones to their handlers."""

    def __init__(self, hub, handlers: dict[type, Callable]):
        self.hub = hub
        self.handlers = handlers

    def send(self, command, *, deliver_at: dt.datetime | None = None,
             correlation: str | None = None) -> str:
        """Queue a command; inside a caller's transaction it commits with the caller's work."""
        Q = self.hub.models.QueuedCommand
        command_id = getattr(command, "command_id", None) or uuid7()
        type_, _, body = self.hub.registry.encode(command)
        now = self.hub.clock()
        # A command id seen before is the same command sent again: stored once.
        (Q.insert(id=command_id, type=type_, body=canonical_json(body),
                  deliver_at=(deliver_at or now).isoformat(), correlation=correlation,
                  created_at=now.isoformat())
         .on_conflict_ignore().execute())
        return command_id

    def pending(self, limit: int = 100):
        Q = self.hub.models.QueuedCommand
        now = self.hub.clock().isoformat()
        return list(Q.select().where((Q.status == "pending") & (Q.deliver_at <= now))
                    .order_by(Q.deliver_at, Q.id).limit(limit))

    def next_due(self) -> dt.datetime | None:
        Q = self.hub.models.QueuedCommand
        row = (Q.select(Q.deliver_at).where(Q.status == "pending")
               .order_by(Q.deliver_at).first())
        return dt.datetime.fromisoformat(row.deliver_at) if row else None

    def dispatch_due(self, limit: int = 100) -> int:
        """Handle the commands that are due; return how many were handled."""
        rows = self.pending(limit)
        for row in rows:
            self._dispatch(row)
        return len(rows)

    def _dispatch(self, row, *, reraise: bool = False) -> None:
        """Handle one queued command; a command that cannot be decoded or whose handler breaks
        is marked failed with its error and logged, so the commands queued after it go on."""
        try:
            self._handle_row(row)
        except Exception as broken:
            log.exception("command %s %s failed; it is set aside", row.type, row.id)
            with self.hub.db.atomic():
                self._finish(row.id, "failed", f"{type(broken).__name__}: {broken!r}"[:2000]
                             .replace("\x00", ""))
            if reraise:
                raise

    def _handle_row(self, row) -> None:
        command = self.hub.registry.decode(row.type, 1, json.loads(row.body))
        handler = self.handlers[type(command)]
        for attempt in range(MAX_CONCURRENCY_RETRIES):
            try:
                with self.hub.db.atomic():
                    if not self._still_pending(row.id):
                        return  # another dispatcher got it first
                    handler(command, row.id, row.correlation)
                    self._finish(row.id, "done", "")
                    self.hub.store.log_message("command", command, handler=handler.__name__,
                                               message_id=row.id, correlation=row.correlation)
                return
            except ConcurrencyError:
                log.info("retrying %s %s after a concurrency clash", row.type, row.id)
            except DomainError as refusal:
                with self.hub.db.atomic():
                    self._finish(row.id, "refused", f"{refusal.code}: {refusal.message}")
                    self.hub.store.log_message("command", command, handler=handler.__name__,
                                               message_id=row.id, correlation=row.correlation,
                                               outcome=refusal.code)
                return
        with self.hub.db.atomic():
            self._finish(row.id, "failed", "too many concurrency clashes")

    def _still_pending(self, command_id: str) -> bool:
        Q = self.hub.models.QueuedCommand
        return Q.select().where((Q.id == command_id) & (Q.status == "pending")).exists()

    def _finish(self, command_id: str, status: str, error: str) -> None:
        Q = self.hub.models.QueuedCommand
        (Q.update(status=status, error=error, attempts=Q.attempts + 1,
                  handled_at=self.hub.clock().isoformat())
         .where(Q.id == command_id).execute())

    def handle(self, command, *, correlation: str | None = None) -> str:
        """Queue a command and handle it now; a refusal is raised as the DomainError it was."""
        with self.hub.db.atomic():
            command_id = self.send(command, correlation=correlation)
        row = self.outcome(command_id)
        if row.status == "pending":
            self._dispatch(row, reraise=True)
            row = self.outcome(command_id)
        if row.status == "refused":
            code, _, message = row.error.partition(": ")
            raise DomainError(code, message)
        if row.status == "failed":
            raise DomainError("busy", "The system is busy; please try again.")
        return command_id

    def outcome(self, command_id: str):
        Q = self.hub.models.QueuedCommand
        return Q.get_or_none(Q.id == command_id)
