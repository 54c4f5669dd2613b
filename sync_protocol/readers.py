"""Readers of the log that remember where they stopped, in the same transaction as their output."""
from __future__ import annotations

from typing import Callable, Protocol

from sync_protocol.database import is_postgres
from sync_protocol.dead_letters import decoded, set_aside
from sync_protocol.store import EventStore, StoredEvent


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
        R = self.store.models.ReaderPosition
        query = R.select().where(R.name == name)
        if is_postgres(self.store.db):
            query = query.for_update()
        row = query.first()
        return row.position if row else 0

    def set(self, name: str, position: int) -> None:
        R = self.store.models.ReaderPosition
        (R.insert(name=name, position=position)
         .on_conflict(conflict_target=[R.name], update={R.position: position}).execute())


def catch_up(store: EventStore, reader, *, batch: int = 500,
             progress: Progress | None = None) -> int:
    """Feed a reader every event after its position, a batch per transaction; return how many.

    Each event is applied in a savepoint: one the reader fails on (its body does not decode,
    the reader raises) is rolled back alone and set aside as a dead letter, and the reader
    goes on. Only Exception is caught: KeyboardInterrupt and SystemExit still stop it.
    """
    positions = ReaderPositions(store)
    handled = 0
    total = None
    while True:
        with store.atomic():
            start = positions.get(reader.name)
            events = store.read_all(start, batch, decode=False)
            if not events:
                return handled
            for event in events:
                _apply_or_set_aside(store, reader, event)
            positions.set(reader.name, events[-1].position)
        handled += len(events)
        if progress:
            total = total or store.last_position() - start
            progress(handled, max(total, handled))
        if len(events) < batch:
            # The log ended inside this batch: asking again would only open another write
            # transaction to read nothing. Events committed since are the next call's.
            return handled


def _apply_or_set_aside(store: EventStore, reader, event: StoredEvent) -> None:
    try:
        with store.atomic():    # inside the batch's transaction: a savepoint
            reader.apply(decoded(store, event))
    except Exception as error:  # any reader bug or bad event; never BaseException
        set_aside(store, reader.name, event, error)


def rebuild(store: EventStore, projection: Projection, *, batch: int = 2000,
            progress: Progress | None = None) -> int:
    """Empty a projection and replay the whole log into it from position 0."""
    with store.atomic():
        projection.reset()
        ReaderPositions(store).set(projection.name, 0)
    return catch_up(store, projection, batch=batch, progress=progress)
