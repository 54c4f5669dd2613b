"""The event log store: append with optimistic concurrency, read streams and the feed."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, Sequence

import peewee

from event_store.database import add_missing_columns, is_postgres
from event_store.ids import HybridClock, uuid7
from event_store.models import log_models
from event_store.registry import EventRegistry
from event_store.statements import INSERTED_COLUMNS, Statements

# Any fixed number: the key of the PostgreSQL advisory lock that serialises
# appends, so the feed position order is the commit order there too.
FEED_LOCK_KEY = 7_245_001
# UPDATE ... RETURNING (SQLite 3.35, PostgreSQL): a sequence number is one statement.
RETURNING = sqlite3.sqlite_version_info >= (3, 35)


class ConcurrencyError(Exception):
    """The stream moved on since it was loaded; the command handler retries."""


@dataclass(frozen=True)
class StoredEvent:
    """One event as the log holds it: the envelope of DESIGN.md section 4."""
    id: str
    origin: str
    seq: int
    stream: str
    version: int
    type: str
    schema: int
    conference: str
    data: dict
    occurred_at: str
    hlc: str
    causation: str | None = None
    correlation: str | None = None
    position: int | None = None
    message: object = field(default=None, compare=False, repr=False)
    signature: str | None = field(default=None, compare=False, repr=False)


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(event_id, origin, seq, stream, version, type_, schema, conference, data_json,
                 occurred_at, hlc, causation, correlation) -> str:
    """Hash of everything a replica must agree on for one (origin, seq)."""
    body = canonical_json([event_id, origin, seq, stream, version, type_, schema, conference,
                           data_json, occurred_at, hlc, causation, correlation])
    return hashlib.sha256(body.encode()).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class EventStore:
    """An append-only log in one database, shared by the hub and nodes."""

    def __init__(self, db: peewee.Database, registry: EventRegistry,
                 clock: Callable[[], dt.datetime] = utc_now, hlc: HybridClock | None = None):
        self.db = db
        self.registry = registry
        self.clock = clock
        self.hlc = hlc or HybridClock(lambda: int(self.clock().timestamp() * 1000))
        self.models = log_models(db)
        self.sql = Statements(db, self.models.EventRecord._meta.table_name,
                              self.models.OriginSeq._meta.table_name)
        self._returning = " RETURNING " + db.quote[0] + "position" + db.quote[1] \
            if is_postgres(db) else ""

    def create_tables(self) -> None:
        self.db.create_tables(self.models.all, safe=True)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        add_missing_columns(self.db, self.models.EventRecord, ["signature"])

    def atomic(self):
        return self.db.atomic()

    # --- writing -------------------------------------------------------------

    def append(self, stream: str, expected_version: int | None, messages: Sequence, *,
               origin: str, conference: str, causation: str | None = None,
               correlation: str | None = None,
               sign: Callable[[str], str] | None = None,
               sign_row: Callable[[dict], str] | None = None) -> list[StoredEvent]:
        """Append messages to a stream in one transaction; a version clash raises ConcurrencyError.

        `expected_version` None appends after whatever the stream holds (for
        streams with a single writer, such as a node's own facts). `sign` (a door's key)
        signs each event's payload hash (sync_protocol/origin_signatures.py); `sign_row` (the
        hub's) signs from the whole row, for a signature over the copy a door receives.
        """
        if not messages:
            return []
        try:
            # Inside a caller's unit of work no savepoint of its own: the caller's (a command's,
            # a reader's) is what rolls a clash back. A stream moved on since `expected_version`
            # breaks the unique (stream, version) index: the clash, without a query to see it.
            with nullcontext() if self.db.in_transaction() else self.db.atomic():
                self._lock_feed()
                current = (self.stream_version(stream) if expected_version is None
                           else expected_version)
                seq = self._next_seq(origin, conference, len(messages))
                stored = []
                now = self.clock().isoformat()
                for offset, message in enumerate(messages):
                    type_, schema, body = self.registry.encode(message)
                    record = self._record(uuid7(), origin, seq + offset, stream,
                                          current + offset + 1, type_, schema, conference, body,
                                          now, self.hlc.now(), causation, correlation)
                    record["stored_at"] = now
                    record["signature"] = (sign(record["payload_hash"]) if sign else
                                           sign_row(record) if sign_row else None)
                    position = self._insert(record)
                    stored.append(StoredEvent(
                        id=record["id"], origin=origin, seq=record["seq"], stream=stream,
                        version=record["version"], type=type_, schema=schema,
                        conference=conference, data=body, occurred_at=now, hlc=record["hlc"],
                        causation=causation, correlation=correlation, position=position,
                        message=message, signature=record["signature"]))
                return stored
        except peewee.IntegrityError as clash:
            raise ConcurrencyError(f"{stream}: {clash}") from clash

    def _insert(self, record: dict) -> int:
        """Insert one event row with the prepared statement; return its position."""
        cursor = self.db.execute_sql(self.sql.insert_event + self._returning,
                                     tuple(record[c] for c in INSERTED_COLUMNS))
        return cursor.fetchone()[0] if self._returning else cursor.lastrowid

    def _record(self, event_id, origin, seq, stream, version, type_, schema, conference, body,
                occurred_at, hlc, causation, correlation) -> dict:
        data_json = canonical_json(body)
        return dict(id=event_id, origin=origin, seq=seq, stream=stream, version=version,
                    type=type_, schema=schema, conference=conference, data=data_json,
                    occurred_at=occurred_at, hlc=hlc, causation=causation,
                    correlation=correlation,
                    payload_hash=payload_hash(event_id, origin, seq, stream, version, type_,
                                              schema, conference, data_json, occurred_at, hlc,
                                              causation, correlation))

    def _lock_feed(self) -> None:
        if is_postgres(self.db):
            self.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK_KEY,))

    def _next_seq(self, origin: str, conference: str, count: int) -> int:
        """Reserve `count` contiguous sequence numbers for an origin (inside a transaction)."""
        O = self.models.OriginSeq
        if RETURNING:
            moved = self.db.execute_sql(self.sql.next_seq, (count, origin)).fetchone()
            if moved:
                return moved[0] - count + 1
        else:
            row = O.get_or_none(O.origin == origin)
            if row is not None:
                O.update(seq=row.seq + count).where(O.origin == origin).execute()
                return row.seq + 1
        O.create(origin=origin, conference=conference, seq=count)
        return 1

    # --- reading -------------------------------------------------------------

    def stream_version(self, stream: str) -> int:
        E = self.models.EventRecord
        value = E.select(peewee.fn.MAX(E.version)).where(E.stream == stream).scalar()
        return value or 0

    def load(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events of one stream in version order, decoded."""
        rows = self.db.execute_sql(self.sql.load, (stream, after_version)).fetchall()
        return [self._from_row(row) for row in rows]

    def read_all(self, after_position: int = 0, limit: int = 500,
                 conference: str | None = None, *, decode: bool = True) -> list[StoredEvent]:
        """The feed: events after a position, in commit order.

        `decode=False` leaves `message` None: what goes on the wire needs only the envelope,
        and decoding every event into its class was a good part of serving the feed.
        """
        if conference is None:
            rows = self.db.execute_sql(self.sql.feed, (after_position, limit))
        else:
            rows = self.db.execute_sql(self.sql.conference_feed,
                                       (conference, after_position, limit))
        return [self._from_row(row, decode=decode) for row in rows.fetchall()]

    def feed_rows(self, after_position: int, limit: int, conference: str) -> list[tuple]:
        """A conference's feed as stored rows (EVENT_COLUMNS order, `data` its JSON text), for
        a server that sends the bodies as they are stored instead of parsing each one."""
        return self.db.execute_sql(self.sql.conference_feed,
                                   (conference, after_position, limit)).fetchall()

    def keep_signatures(self, signatures: dict[int, str]) -> None:
        """Store signatures made later for events stored without one (position -> signature);
        a signature already held is left as it is."""
        if signatures:
            with self.db.atomic():
                self.db.cursor().executemany(self.sql.keep_signature,
                                             [(s, p) for p, s in signatures.items()])

    def event(self, event_id: str) -> StoredEvent | None:
        """One event by its id, decoded; None if the log does not hold it."""
        E = self.models.EventRecord
        row = E.get_or_none(E.id == event_id)
        return None if row is None else self._stored(row)

    def events(self, query) -> list[StoredEvent]:
        """The events a select over `models.EventRecord` finds, decoded, in its order."""
        return [self._stored(row) for row in query]

    def last_position(self) -> int:
        E = self.models.EventRecord
        return E.select(peewee.fn.MAX(E.position)).scalar() or 0

    def count(self, conference: str | None = None) -> int:
        E = self.models.EventRecord
        query = E.select()
        if conference is not None:
            query = query.where(E.conference == conference)
        return query.count()

    def version_vector(self, conference: str | None = None) -> dict[str, int]:
        """Highest contiguous seq held per origin."""
        O = self.models.OriginSeq
        query = O.select()
        if conference is not None:
            query = query.where(O.conference == conference)
        return {row.origin: row.seq for row in query}

    def _from_row(self, row: tuple, *, decode: bool = True) -> StoredEvent:
        """A StoredEvent from a row of the prepared selects (columns in EVENT_COLUMNS order)."""
        (position, id_, origin, seq, stream, version, type_, schema, conference, data,
         occurred_at, hlc, causation, correlation, signature) = row
        body = json.loads(data)
        return StoredEvent(id=id_, origin=origin, seq=seq, stream=stream, version=version,
                           type=type_, schema=schema, conference=conference, data=body,
                           occurred_at=occurred_at, hlc=hlc, causation=causation,
                           correlation=correlation, position=position,
                           message=self.registry.decode(type_, schema, body) if decode else None,
                           signature=signature)

    def _stored(self, row, message=None, *, decode: bool = True) -> StoredEvent:
        data = json.loads(row.data)
        if message is None and decode:
            message = self.registry.decode(row.type, row.schema, data)
        return StoredEvent(id=row.id, origin=row.origin, seq=row.seq, stream=row.stream,
                           version=row.version, type=row.type, schema=row.schema,
                           conference=row.conference, data=data, occurred_at=row.occurred_at,
                           hlc=row.hlc, causation=row.causation, correlation=row.correlation,
                           position=row.position, message=message, signature=row.signature)

    # --- snapshots and the message log --------------------------------------

    def save_snapshot(self, stream: str, version: int, data: dict) -> None:
        S = self.models.Snapshot
        (S.insert(stream=stream, version=version, data=canonical_json(data))
         .on_conflict(conflict_target=[S.stream],
                      update={S.version: version, S.data: canonical_json(data)})
         .execute())

    def load_snapshot(self, stream: str) -> tuple[int, dict] | None:
        S = self.models.Snapshot
        row = S.get_or_none(S.stream == stream)
        return None if row is None else (row.version, json.loads(row.data))
