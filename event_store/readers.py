"""Readers of the log that remember where they stopped, in the same transaction as their output."""
from __future__ import annotations

import logging
from typing import Callable, Protocol

from event_store.database import is_postgres
from event_store.dead_letters import decoded, set_aside
from event_store.statements import Sql, prepared
from event_store.store import EventStore, StoredEvent

log = logging.getLogger(__name__)


class Projection(Protocol):
    """A read model kept up to date from the log."""
    name: str

    def apply(self, event: StoredEvent) -> None: ...

    def reset(self) -> None: ...


Progress = Callable[[int, int], None]


class ReaderPositions:
    """Stored positions of every reader of one log."""

    def __init__(self, store: EventStore):
        self.store = store

    def get(self, name: str) -> int:
        """The reader's position; on PostgreSQL the row stays locked until the transaction ends,
        so two processes never feed one reader the same events (SQLite's write lock does that)."""
        return self.claim([name]).get(name, 0)

    def peek(self, name: str) -> int | None:
        """The reader's position as last committed, without locking; None: no row yet."""
        R = self.store.models.ReaderPosition
        row = R.select(R.position).where(R.name == name).first()
        return None if row is None else row.position

    def claim(self, names: list[str], *, skip_locked: bool = False) -> dict[str, int]:
        """The positions of these readers, in one statement; on PostgreSQL their rows stay
        locked until the transaction ends. `skip_locked` leaves out readers another process
        is feeding right now instead of waiting for it."""
        R = self.store.models.ReaderPosition
        query = R.select(R.name, R.position).where(R.name.in_(names))
        if is_postgres(self.store.db):
            query = query.for_update("FOR UPDATE SKIP LOCKED" if skip_locked else True)
        return {row.name: row.position for row in query}

    def claim_all(self, *, skip_locked: bool = False) -> dict[str, int]:
        """Every reader's position (a handful of rows), locked like `claim`."""
        lock = ""
        if is_postgres(self.store.db):
            lock = " FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE"
        sql = prepared(self.store.db, f"readers.claim_all{lock}", lambda sql: (
            f"SELECT {sql.q('name')}, {sql.q('position')} FROM {self._table(sql)}{lock}"))
        return dict(self.store.db.execute_sql(sql).fetchall())

    def _table(self, sql: Sql) -> str:
        return sql.q(self.store.models.ReaderPosition._meta.table_name)

    def ensure(self, names: list[str]) -> None:
        """Create missing position rows at 0, so the very first batch is locked like any other."""
        R = self.store.models.ReaderPosition
        R.insert_many([{"name": name, "position": 0} for name in names]).on_conflict_ignore() \
            .execute()

    def set(self, name: str, position: int) -> None:
        R = self.store.models.ReaderPosition
        (R.insert(name=name, position=position)
         .on_conflict(conflict_target=[R.name], update={R.position: position}).execute())

    def advance(self, names: list[str], position: int) -> None:
        """Move these readers to `position`, in one statement (inside the feeding transaction)."""
        if not names:
            return
        sql = prepared(self.store.db, f"readers.advance.{len(names)}", lambda sql: (
            f"UPDATE {self._table(sql)} SET {sql.q('position')} = {sql.p} WHERE "
            f"{sql.q('name')} IN ({', '.join([sql.p] * len(names))}) AND "
            f"{sql.q('position')} < {sql.p}"))
        self.store.db.execute_sql(sql, (position, *names, position))


def wanted_types(reader) -> frozenset[str] | None:
    """The event type names a reader acts on (its `handles`), or None: it reads every event."""
    handles = getattr(reader, "handles", None)
    if handles is None:
        return None
    return frozenset(t if isinstance(t, str) else t.__name__ for t in handles)


def feed(store: EventStore, readers: list, *, batch: int = 500, skip_locked: bool = False,
         careful: bool = True) -> int:
    """Feed every reader the events after its own position, reading the log once; inside the
    caller's transaction. Return how many (reader, event) steps were taken.

    Each reader gets its slice in one savepoint, and only if the slice holds an event type it
    acts on (`handles`); the others just move on. A reader that fails anywhere in its slice is
    rolled back alone and fed again one event per savepoint, so the event it fails on is set
    aside as a dead letter and the rest still apply. Every reader fed ends at the batch's end,
    written in one statement.

    `careful=False` applies the slices with no savepoint and lets a reader's failure out:
    for a caller that rolls its whole transaction back then and feeds again with care.
    """
    positions = ReaderPositions(store)
    names = [reader.name for reader in readers]
    # Every row, not these names: one statement whatever a reader is called.
    held = {name: position for name, position in positions.claim_all(skip_locked=skip_locked)
            .items() if name in names}
    if len(held) < len(names):
        held.update(_first_claims(positions, [n for n in names if n not in held], skip_locked))
    if not held:
        return 0
    start = min(held.values())
    events = store.read_all(start, batch, decode=False)
    if not events:
        return 0
    end = events[-1].position
    steps = 0
    decoded_events: dict[int, StoredEvent] = {}
    for reader in readers:
        if reader.name not in held:
            continue   # another process is feeding it
        wanted = wanted_types(reader)
        mine = [e for e in events if e.position > held[reader.name]
                and (wanted is None or e.type in wanted)]
        steps += sum(1 for e in events if e.position > held[reader.name])
        if mine:
            (_apply_slice if careful else _apply_straight)(store, reader, mine, decoded_events)
    positions.advance([name for name in held if held[name] < end], end)
    return steps


def _first_claims(positions: ReaderPositions, missing: list[str],
                  skip_locked: bool) -> dict[str, int]:
    """Claim readers one by one: a reader new to this log gets its position row now (one that
    exists was left out because another process holds it, or its name breaks the query)."""
    claimed = {}
    for name in missing:
        try:
            with positions.store.atomic():   # a savepoint: one bad name spoils no other
                if positions.peek(name) is None:
                    positions.ensure([name])
                claimed.update(positions.claim([name], skip_locked=skip_locked))
        except Exception:   # its position cannot be read or stored: it waits, the rest go on
            log.exception("reader %s cannot be fed: its position row fails; left out", name)
    return claimed


def _apply_slice(store: EventStore, reader, events: list[StoredEvent], cache: dict) -> None:
    """Apply a reader's events in one savepoint (all at once with its `apply_many`, if it has
    one). When one fails, the savepoint is rolled back and the slice applied again, one
    `apply` at a time, without it, until it goes through; each event that failed is then set
    aside with the error it raised (never applied twice, never retried here)."""
    many = getattr(reader, "apply_many", None)
    if many is not None:     # the reader takes the slice at once (set-based)
        try:
            with store.atomic():
                many([_decoded_once(store, event, cache) for event in events])
            return
        except Exception:    # one of them fails: found one event at a time below
            pass
    failed: dict[int, Exception] = {}
    while True:
        current = None
        try:
            with store.atomic():
                for index, event in enumerate(events):
                    if index not in failed:
                        current = index
                        reader.apply(_decoded_once(store, event, cache))
                current = None
            break
        except Exception as error:   # a reader bug or a bad event; never BaseException
            if current is None:
                raise               # the savepoint itself failed: the round fails, retried
            failed[current] = error
    for index, error in failed.items():
        set_aside(store, reader.name, events[index], error)


def _apply_straight(store: EventStore, reader, events: list[StoredEvent], cache: dict) -> None:
    """A reader's slice with no savepoint: a failure goes to the caller, who undoes it all."""
    many = getattr(reader, "apply_many", None)
    if many is not None:
        many([_decoded_once(store, event, cache) for event in events])
    else:
        for event in events:
            reader.apply(_decoded_once(store, event, cache))


def _decoded_once(store: EventStore, event: StoredEvent, cache: dict) -> StoredEvent:
    """Decode an event the first reader needs it, and hand the same object to the others."""
    if event.position not in cache:
        cache[event.position] = decoded(store, event)
    return cache[event.position]


def catch_up(store: EventStore, reader, *, batch: int = 500,
             progress: Progress | None = None) -> int:
    """Feed one reader every event after its position, a batch per transaction; return how many.

    Nothing is written (no write transaction is even opened) when the reader is caught up.
    An event the reader fails on is set aside as a dead letter (see `feed`). Only Exception
    is caught: KeyboardInterrupt and SystemExit still stop it.
    """
    positions = ReaderPositions(store)
    handled = 0
    total = None
    while True:
        seen = positions.peek(reader.name)   # a plain read: caught up costs no write transaction
        if seen is None:
            positions.ensure([reader.name])
        elif seen >= store.last_position():
            return handled
        with store.atomic():
            start = positions.get(reader.name)
            events = store.read_all(start, batch, decode=False)
            if not events:
                return handled
            for event in events:
                _apply_or_set_aside(store, reader, event, {})
            positions.set(reader.name, events[-1].position)
        handled += len(events)
        if progress:
            total = total or store.last_position() - start
            progress(handled, max(total, handled))
        if len(events) < batch:
            # The log ended inside this batch: asking again would only open another write
            # transaction to read nothing. Events committed since are the next call's.
            return handled


def _apply_or_set_aside(store: EventStore, reader, event: StoredEvent, cache: dict) -> None:
    try:
        with store.atomic():    # inside the batch's transaction: a savepoint
            reader.apply(_decoded_once(store, event, cache))
    except Exception as error:  # any reader bug or bad event; never BaseException
        set_aside(store, reader.name, event, error)


def rebuild(store: EventStore, projection: Projection, *, batch: int = 2000,
            progress: Progress | None = None) -> int:
    """Empty a projection and replay the whole log into it from position 0."""
    with store.atomic():
        projection.reset()
        ReaderPositions(store).set(projection.name, 0)
    return catch_up(store, projection, batch=batch, progress=progress)
