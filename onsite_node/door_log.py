"""Appending this node's own facts to its log: the store's rules, in a few prepared statements.

A door is the only writer of its origin and of its stream (`edge-<origin>`), so an append
needs no optimistic check: the next version and seq are read and written inside the
caller's write transaction, under SQLite's write lock. The rows are the ones
`EventStore.append` writes (same envelope, payload hash and signature); only peewee's
statement building is left out, which cost more than the rest of a scan together.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Sequence

from event_store.ids import uuid7
from event_store.store import RETURNING, EventStore, StoredEvent, canonical_json, payload_hash

INSERT_EVENT = (
    "INSERT INTO event (id, origin, seq, stream, version, type, schema, conference, data, "
    "occurred_at, hlc, causation, correlation, payload_hash, signature, stored_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)")
STREAM_VERSION = "SELECT MAX(version) FROM event WHERE stream = ?"
MOVE_SEQ = "UPDATE origin_seq SET seq = seq + ? WHERE origin = ? RETURNING seq"
SEQ_OF = "SELECT seq FROM origin_seq WHERE origin = ?"
SET_SEQ = "UPDATE origin_seq SET seq = ? WHERE origin = ?"
NEW_SEQ = "INSERT INTO origin_seq (origin, conference, seq) VALUES (?, ?, ?)"


def append_own(store: EventStore, conn: sqlite3.Connection, encoded: Sequence[tuple],
               messages: Sequence, *, stream: str, origin: str, conference: str,
               sign: Callable[[str], str] | None) -> list[StoredEvent]:
    """Append messages (with their `registry.encode` triples) to the node's own stream,
    inside the caller's transaction; return them as stored, decoded, with positions."""
    version = conn.execute(STREAM_VERSION, (stream,)).fetchone()[0] or 0
    seq = next_seq(conn, origin, conference, len(encoded))
    now = store.clock().isoformat()
    stored = []
    for offset, ((type_, schema, body), message) in enumerate(zip(encoded, messages)):
        event_id, hlc, data = uuid7(), store.hlc.now(), canonical_json(body)
        number, at_version = seq + offset, version + offset + 1
        digest = payload_hash(event_id, origin, number, stream, at_version, type_, schema,
                              conference, data, now, hlc, None, None)
        signature = sign(digest) if sign is not None else None
        position = conn.execute(INSERT_EVENT, (
            event_id, origin, number, stream, at_version, type_, schema, conference, data, now,
            hlc, digest, signature, now)).lastrowid
        stored.append(StoredEvent(
            id=event_id, origin=origin, seq=number, stream=stream, version=at_version,
            type=type_, schema=schema, conference=conference, data=body, occurred_at=now,
            hlc=hlc, position=position, message=message, signature=signature))
    return stored


def next_seq(conn: sqlite3.Connection, origin: str, conference: str, count: int) -> int:
    """Reserve `count` contiguous sequence numbers for an origin (inside a transaction)."""
    if RETURNING:
        moved = conn.execute(MOVE_SEQ, (count, origin)).fetchall()
        if moved:
            return moved[0][0] - count + 1
    else:
        row = conn.execute(SEQ_OF, (origin,)).fetchone()
        if row is not None:
            conn.execute(SET_SEQ, (row[0] + count, origin))
            return row[0] + 1
    conn.execute(NEW_SEQ, (origin, conference, count))
    return 1
