"""The durable command queue: commands are stored, then handled once each."""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections import namedtuple
from contextlib import nullcontext
from typing import Callable

from shared_domain.errors import DomainError
from event_store.database import is_postgres
from event_store.ids import uuid7
from event_store.statements import Sql
from event_store.store import ConcurrencyError, canonical_json

log = logging.getLogger(__name__)

MAX_CONCURRENCY_RETRIES = 10
PENDING, DONE, REFUSED, FAILED = "pending", "done", "refused", "failed"


COLUMNS = ("id", "type", "body", "deliver_at", "status", "attempts", "error", "refusal_code",
           "correlation", "created_at", "handled_at")
Claimed = namedtuple("Claimed", COLUMNS)


class CommandBus:
    """Stores commands (the outbox) and dispatches the due ones to their handlers."""

    def __init__(self, hub, handlers: dict[type, Callable]):
        self.hub = hub
        self.handlers = handlers
        self.sent = 0    # commands queued by this process so far (the pump's round reads it)
        self._sql = sql = Sql(hub.db)
        q, p, table = sql.q, sql.p, sql.q(hub.models.QueuedCommand._meta.table_name)
        self._insert = sql.insert(hub.models.QueuedCommand._meta.table_name, COLUMNS,
                                  ignore_taken=True)
        self._claim = (f"SELECT {', '.join(q(c) for c in COLUMNS)} FROM {table} "
                       f"WHERE {q('status')} = {p} AND {q('deliver_at')} <= {p} "
                       f"ORDER BY {q('deliver_at')}, {q('id')} LIMIT {p}"
                       + (" FOR UPDATE SKIP LOCKED" if is_postgres(hub.db) else ""))
        self._finished = (f"UPDATE {table} SET {q('status')} = {p}, {q('error')} = {p}, "
                          f"{q('refusal_code')} = {p}, {q('attempts')} = {q('attempts')} + 1, "
                          f"{q('handled_at')} = {p} WHERE {q('id')} = {p}")
        self._finished_many: dict[int, str] = {}   # by how many ids

    def send(self, command, *, deliver_at: dt.datetime | None = None,
             correlation: str | None = None) -> str:
        """Queue a command; inside a caller's transaction it commits with the caller's work."""
        command_id = getattr(command, "command_id", None) or uuid7()
        type_, _, body = self.hub.registry.encode(command)
        now = self.hub.clock().isoformat()
        self.sent += 1
        # A command id seen before is the same command sent again: stored once.
        self._sql.run(self._insert, (command_id, type_, canonical_json(body),
                                     deliver_at.isoformat() if deliver_at else now, PENDING, 0,
                                     "", "", correlation, now, None))
        return command_id

    def dispatch_due(self, limit: int = 100, *, careful: bool = True) -> int:
        """Handle the commands that are due, each in a savepoint of one transaction (the
        caller's, when there is one: the pump's round); return how many were handled.

        On PostgreSQL the due rows are claimed with FOR UPDATE SKIP LOCKED, so several
        workers share the queue and each command is handled by exactly one of them.

        `careful=False` (inside a caller's transaction only) handles them with no savepoint
        and lets any refusal, clash or failure out, for a caller that then rolls everything
        back and dispatches again with care.
        """
        db = self.hub.db
        if not careful:
            assert db.in_transaction(), "straight dispatch needs the caller's transaction"
            rows = self._claim_due(limit)
            for row in rows:
                command = self.hub.registry.decode(row.type, 1, json.loads(row.body))
                self.handlers[type(command)](command, row.id, row.correlation)
            self._finish_all([row.id for row in rows])
            return len(rows)
        with nullcontext() if db.in_transaction() else db.atomic():
            rows = self._claim_due(limit)
            for row in rows:
                self._dispatch(row)
        return len(rows)

    def _claim_due(self, limit: int) -> list[Claimed]:
        rows = self._sql.run(self._claim, (PENDING, self.hub.clock().isoformat(), limit))
        return [Claimed(*row) for row in rows.fetchall()]

    def _dispatch(self, row) -> Exception | None:
        """Handle one claimed command in a savepoint. A command that cannot be decoded, or
        whose handler breaks, is rolled back alone, marked failed with its error and logged,
        so the commands queued after it go on; the error is returned."""
        try:
            command = self.hub.registry.decode(row.type, 1, json.loads(row.body))
            handler = self.handlers[type(command)]
        except Exception as broken:
            return self._set_aside(row, broken)
        for _ in range(MAX_CONCURRENCY_RETRIES):
            try:
                with self.hub.db.atomic():    # a savepoint
                    handler(command, row.id, row.correlation)
                    self._finish(row.id, DONE)
                return None
            except ConcurrencyError:
                log.info("retrying %s %s after a concurrency clash", row.type, row.id)
            except DomainError as refusal:
                self._finish(row.id, REFUSED, refusal.message, code=refusal.code)
                return None
            except Exception as broken:
                return self._set_aside(row, broken)
        busy = DomainError("busy", "The system is busy; please try again.")
        self._finish(row.id, FAILED, "too many concurrency clashes")
        return busy

    def _set_aside(self, row, broken: Exception) -> Exception:
        log.error("command %s %s failed; it is set aside", row.type, row.id, exc_info=broken)
        self._finish(row.id, FAILED, f"{type(broken).__name__}: {broken!r}"[:2000]
                     .replace("\x00", ""))
        return broken

    def _finish_all(self, command_ids: list[str]) -> None:
        """Mark these commands done in one statement (a straight round handled them all)."""
        if not command_ids:
            return
        sql = self._finished_many.get(len(command_ids))
        if sql is None:
            q, p = self._sql.q, self._sql.p
            sql = self._finished_many[len(command_ids)] = (
                f"UPDATE {q(self.hub.models.QueuedCommand._meta.table_name)} SET "
                f"{q('status')} = {p}, {q('attempts')} = {q('attempts')} + 1, "
                f"{q('handled_at')} = {p} WHERE {q('id')} IN "
                f"({', '.join([p] * len(command_ids))})")
        self._sql.run(sql, (DONE, self.hub.clock().isoformat(), *command_ids))

    def _finish(self, command_id: str, status: str, error: str = "", *, code: str = "") -> None:
        self._sql.run(self._finished,
                      (status, error, code, self.hub.clock().isoformat(), command_id))

    def handle(self, command, *, correlation: str | None = None,
               and_then: Callable[[], None] | None = None) -> str:
        """Handle a command now and store it with its outcome, in one transaction; a refusal
        is raised as the DomainError it was, and a handler's bug as itself (the command is
        stored as failed). A command sent before under the same id is not handled again.
        `and_then` runs in the same transaction once the command is handled (not when it is
        refused): what the request writes beside it commits with it, at one fsync."""
        command_id = getattr(command, "command_id", None) or uuid7()
        if getattr(command, "command_id", None) and self.outcome(command_id) is not None:
            return self._outcome_of(self._settled(command_id))
        type_, _, body = self.hub.registry.encode(command)
        handler = self.handlers[type(command)]
        for _ in range(MAX_CONCURRENCY_RETRIES):
            try:
                with self.hub.db.atomic():
                    handler(command, command_id, correlation)
                    if not self._store_handled(command_id, type_, body, correlation, DONE):
                        raise _SentMeanwhile()
                    if and_then is not None:
                        and_then()
                return command_id
            except ConcurrencyError:
                log.info("retrying %s %s after a concurrency clash", type_, command_id)
            except _SentMeanwhile:
                return self._outcome_of(self._settled(command_id))
            except DomainError as refusal:
                with self.hub.db.atomic():
                    self._store_handled(command_id, type_, body, correlation, REFUSED,
                                        refusal.message, refusal.code)
                raise
            except Exception as broken:
                log.error("command %s %s failed", type_, command_id, exc_info=broken)
                with self.hub.db.atomic():
                    self._store_handled(command_id, type_, body, correlation, FAILED,
                                        f"{type(broken).__name__}: {broken!r}"[:2000]
                                        .replace("\x00", ""))
                raise
        with self.hub.db.atomic():
            self._store_handled(command_id, type_, body, correlation, FAILED,
                                "too many concurrency clashes")
        raise DomainError("busy", "The system is busy; please try again.")

    def _store_handled(self, command_id, type_, body, correlation, status, error="",
                       code="") -> bool:
        """Store a command handled inline with its outcome; False if its id is taken."""
        now = self.hub.clock().isoformat()
        cursor = self._sql.run(self._insert, (command_id, type_, canonical_json(body), now,
                                              status, 1, error, code, correlation, now, now))
        return cursor.rowcount == 1

    def _settled(self, command_id: str):
        """The command's row once whoever holds it has handled it (handled here if pending)."""
        Q = self.hub.models.QueuedCommand
        with self.hub.db.atomic():
            query = Q.select().where(Q.id == command_id)
            if is_postgres(self.hub.db):
                query = query.for_update()   # a worker holding it: wait for its outcome
            row = query.get()
            if row.status == PENDING:
                broken = self._dispatch(row)
                if broken is not None and not isinstance(broken, DomainError):
                    raise broken
                row = Q.get_by_id(command_id)
        return row

    @staticmethod
    def _outcome_of(row) -> str:
        if row.status == REFUSED:
            raise DomainError(row.refusal_code or "refused", row.error)
        if row.status == FAILED:
            raise DomainError("busy", "The system is busy; please try again.")
        return row.id

    def outcome(self, command_id: str):
        Q = self.hub.models.QueuedCommand
        return Q.get_or_none(Q.id == command_id)



class _SentMeanwhile(Exception):
    """The command's id was stored by another process while this one handled it: undone."""
