"""Events a reader failed on, set aside with the error so the reader goes on; retried or
dismissed later by a person. One row per (reader, event): failing again counts an attempt."""
from __future__ import annotations

import dataclasses
import logging
import traceback

from event_store.store import EventStore, StoredEvent

log = logging.getLogger(__name__)

OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
STATUSES = (OPEN, RESOLVED, DISMISSED)
ERROR_MAX = 2000         # the message, as the admin sees it
TRACEBACK_MAX = 4000     # the innermost frames: where it failed


def decoded(store: EventStore, event: StoredEvent) -> StoredEvent:
    """The event with its message decoded; a body that does not decode raises here."""
    if event.message is not None:
        return event
    return dataclasses.replace(
        event, message=store.registry.decode(event.type, event.schema, event.data))


def set_aside(store: EventStore, reader_name: str, event: StoredEvent, error: Exception) -> None:
    """Record that a reader failed on an event (inside the reader's transaction) and say so."""
    D = store.models.DeadLetter
    now = store.clock().isoformat()
    text, trace = error_text(error), traceback_summary(error)
    (D.insert(reader=reader_name, event_id=event.id, position=event.position, type=event.type,
              origin=event.origin, conference=event.conference, error=text, traceback=trace,
              first_failed_at=now, last_failed_at=now, attempts=1, status=OPEN)
     .on_conflict(conflict_target=[D.reader, D.event_id],
                  update={D.error: text, D.traceback: trace, D.last_failed_at: now,
                          D.attempts: D.attempts + 1, D.status: OPEN,
                          D.resolved_at: None, D.resolved_by: None})
     .execute())
    log.error("reader %s set aside event %s (%s from %s, conference %s, position %s): %s",
              reader_name, event.id, event.type, event.origin, event.conference,
              event.position, text)


def retry(store: EventStore, reader, letter_id: int, by: str):
    """Feed the set-aside event to its reader again in one transaction; return the row after.

    Success marks the row resolved; a failure keeps it open with one more attempt and the
    new error. The reader has moved on, so the event is applied after those that followed it.
    """
    D = store.models.DeadLetter
    letter = D.get_by_id(letter_id)
    event = _event(store, letter)
    try:
        with store.atomic():
            _lock_reader(store, reader.name)
            if D.get_by_id(letter_id).status != OPEN:   # someone else settled it meanwhile
                return D.get_by_id(letter_id)
            reader.apply(decoded(store, event))
            now = store.clock().isoformat()
            D.update(status=RESOLVED, resolved_at=now, resolved_by=by[:254]).where(
                D.id == letter_id).execute()
        log.info("reader %s applied event %s on retry", reader.name, event.id)
    except Exception as error:  # the reader's bug or the event's: kept for the next retry
        with store.atomic():
            set_aside(store, reader.name, event, error)
    return D.get_by_id(letter_id)


def dismiss(store: EventStore, letter_id: int, by: str):
    """Close a dead letter without applying its event; record who and when."""
    D = store.models.DeadLetter
    with store.atomic():
        D.update(status=DISMISSED, resolved_at=store.clock().isoformat(),
                 resolved_by=by[:254]).where((D.id == letter_id) & (D.status == OPEN)).execute()
    return D.get_by_id(letter_id)


def error_text(error: BaseException) -> str:
    code = getattr(error, "code", None)     # a DomainError's stable code says the most
    text = f"{type(error).__name__}: {f'{code}: ' if isinstance(code, str) else ''}{error}"
    return storable(text[:ERROR_MAX])


def traceback_summary(error: BaseException) -> str:
    """The last frames and the error, short enough for a row and a page."""
    lines = traceback.format_exception(type(error), error, error.__traceback__, limit=-6)
    return storable("".join(lines)[-TRACEBACK_MAX:])


def storable(text: str) -> str:
    """Text every database takes: an error may quote a lone surrogate or NUL from the event,
    which SQLite cannot encode and PostgreSQL refuses, and then the row would fail too."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\x00")


def _event(store: EventStore, letter) -> StoredEvent:
    [event] = store.read_all(letter.position - 1, 1, decode=False)
    if event.id != letter.event_id:
        raise LookupError(f"position {letter.position} holds event {event.id}, "
                          f"not {letter.event_id}")
    return event


def _lock_reader(store: EventStore, name: str) -> None:
    # Holds the reader's position row on PostgreSQL, so a worker never feeds it meanwhile.
    from event_store.readers import ReaderPositions
    ReaderPositions(store).get(name)
