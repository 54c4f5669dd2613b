"""Feeding the node's projections from its log: a page at a time, with prepared SQL.

The node's views are kept by plain SQL statements (prepared once by sqlite3's statement
cache) instead of peewee queries, which were built anew for every event: most of a first
sync's time and a good part of a scan's. A projection's handlers hand their statements to
a writer:

- `Immediate` runs each statement at once (one event: `apply`, a dead letter's retry, a
  scan's own facts);
- `Batched` queues them per table and runs each run of the same statement with one
  `executemany` (a page of a sync). Statements on different tables commute, so only the
  order within a table is kept; a handler that reads (`fetchone`) flushes the queue first.

`project` feeds every reader the events after its position, a page per savepoint, reading
and decoding only the types the reader handles. A page that fails is rolled back and fed
again one event per savepoint, so the event it fails on is set aside as a dead letter (as
`event_store.readers.catch_up` does) and the rest still apply.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from typing import Iterable

from event_store.dead_letters import set_aside
from event_store.store import EventStore, StoredEvent

log = logging.getLogger(__name__)

PAGE = 2000          # events a reader is fed per savepoint during a sync
EVENT_COLUMNS = ("position, id, origin, seq, stream, version, type, schema, conference, data, "
                 "occurred_at, hlc, causation, correlation, signature")


class Immediate:
    """Run each statement as it comes."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def run(self, table: str, sql: str, params: tuple) -> None:
        self.conn.execute(sql, params)

    def fetchone(self, sql: str, params: tuple):
        return self.conn.execute(sql, params).fetchone()

    def flush(self) -> None:
        pass


class Batched:
    """Queue statements per table; run each run of one statement with one executemany."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.queues: dict[str, list[tuple[str, list[tuple]]]] = {}

    def run(self, table: str, sql: str, params: tuple) -> None:
        queue = self.queues.setdefault(table, [])
        if queue and queue[-1][0] is sql:   # the handlers' SQL strings are constants
            queue[-1][1].append(params)
        else:
            queue.append((sql, [params]))

    def fetchone(self, sql: str, params: tuple):
        self.flush()   # what it reads may be queued
        return self.conn.execute(sql, params).fetchone()

    def flush(self) -> None:
        for queue in self.queues.values():
            for sql, rows in queue:
                self.conn.executemany(sql, rows)
        self.queues.clear()


def connection(store: EventStore) -> sqlite3.Connection:
    """The calling thread's sqlite3 connection under peewee (same transaction as peewee's)."""
    return store.db.connection()


def stored_event(row) -> StoredEvent:
    """A log row as selected with EVENT_COLUMNS, not decoded."""
    (position, id_, origin, seq, stream, version, type_, schema, conference, data,
     occurred_at, hlc, causation, correlation, signature) = row
    return StoredEvent(id=id_, origin=origin, seq=seq, stream=stream, version=version,
                       type=type_, schema=schema, conference=conference, data=json.loads(data),
                       occurred_at=occurred_at, hlc=hlc, causation=causation,
                       correlation=correlation, position=position, signature=signature)


def decoded(store: EventStore, event: StoredEvent) -> StoredEvent:
    """The event with its message (a body that does not decode raises here). Built anew
    rather than by dataclasses.replace, which cost as much as decoding the body."""
    message = store.registry.decode(event.type, event.schema, event.data)
    return StoredEvent(id=event.id, origin=event.origin, seq=event.seq, stream=event.stream,
                       version=event.version, type=event.type, schema=event.schema,
                       conference=event.conference, data=event.data,
                       occurred_at=event.occurred_at, hlc=event.hlc, causation=event.causation,
                       correlation=event.correlation, position=event.position,
                       message=message, signature=event.signature)


def last_position(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT MAX(position) FROM event").fetchone()[0] or 0


def positions(conn: sqlite3.Connection, names: list[str]) -> dict[str, int]:
    marks = ", ".join("?" * len(names))
    return dict(conn.execute(f"SELECT name, position FROM reader_position WHERE name IN ({marks})",
                             names).fetchall())


def set_position(conn: sqlite3.Connection, name: str, position: int) -> None:
    conn.execute("INSERT INTO reader_position (name, position) VALUES (?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                 (name, position))


def project(store: EventStore, readers: list, *, page: int = PAGE, on_types=None) -> int:
    """Feed each reader the events after its position; return the (reader, event) steps.

    No write transaction is opened when every reader is caught up. Each page is applied in
    one savepoint (a transaction of its own outside one), its position read inside it, so
    two threads never feed a reader the same events. `on_types(types)` hears the type names
    each page applied (the replica drops what it keeps in memory of them).
    """
    conn = connection(store)
    end = last_position(conn)
    held = positions(conn, [r.name for r in readers])
    steps = 0
    for reader in readers:
        if held.get(reader.name, 0) >= end:
            continue
        while True:
            fed = _feed_page(store, reader, end, page, on_types)
            if fed is None:
                break
            steps += fed
    return steps


def _feed_page(store: EventStore, reader, end: int, page: int, on_types) -> int | None:
    """One page of a reader's events up to `end`, with its new position, in one savepoint;
    return how many events of the log it passed, None when the reader is at `end`."""
    conn = connection(store)
    types = sorted(reader.handles)
    marks = ", ".join("?" * len(types))
    with store.atomic():
        start = positions(conn, [reader.name]).get(reader.name, 0)
        if start >= end:
            return None
        rows = conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE position > ? AND position <= ? "
            f"AND type IN ({marks}) ORDER BY position LIMIT ?",
            (start, end, *types, page)).fetchall()
        reached = rows[-1][0] if len(rows) == page else end
        events = [stored_event(row) for row in rows]
        try:
            with store.atomic():
                writer = Batched(conn)
                for event in events:
                    reader.project(decoded(store, event), writer)
                writer.flush()
        except Exception:   # a reader bug or a bad event: find it, one event per savepoint
            log.warning("reader %s failed on a page after position %s; applying it event by "
                        "event", reader.name, start, exc_info=True)
            for event in events:
                _apply_or_set_aside(store, reader, event, conn)
        set_position(conn, reader.name, reached)
        passed = conn.execute("SELECT COUNT(*) FROM event WHERE position > ? AND position <= ?",
                              (start, reached)).fetchone()[0]
    if on_types is not None:
        on_types({event.type for event in events})
    return passed


def _apply_or_set_aside(store: EventStore, reader, event: StoredEvent, conn) -> None:
    try:
        with store.atomic():   # a savepoint
            reader.project(decoded(store, event), Immediate(conn))
    except Exception as error:   # never BaseException
        set_aside(store, reader.name, event, error)


def apply_inline(store: EventStore, readers: list, events: Iterable[StoredEvent]) -> set[str]:
    """Apply decoded events (just appended) to every reader at once, without a savepoint, and
    move the readers to the last one; the caller made sure they stood just before them.
    A failure propagates: the caller's transaction is what rolls it back."""
    conn = connection(store)
    events = list(events)
    writer = Immediate(conn)
    for reader in readers:
        for event in events:
            if event.type in reader.handles:
                reader.project(event, writer)
    end = events[-1].position
    marks = ", ".join("?" * len(readers))
    conn.execute(f"UPDATE reader_position SET position = ? WHERE name IN ({marks})",
                 (end, *(r.name for r in readers)))
    return {event.type for event in events}
