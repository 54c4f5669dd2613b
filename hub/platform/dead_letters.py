"""Events the hub's readers set aside: listed for the admin, retried or dismissed by one.

A dead letter is one reader's failure on one event; the reader went on past it
(event_store.readers.catch_up). Retrying feeds that event to that reader again.
"""
from __future__ import annotations

from hub.venue.conflict_queries import conference_slugs
from hub.platform.errors import Refused
from shared_domain.errors import DomainError
from event_store import dead_letters
from event_store.dead_letters import DISMISSED, OPEN, RESOLVED, STATUSES  # noqa: F401

LIST_LIMIT = 500
_BIGINT_MAX = 2**63 - 1


def open_count(hub) -> int:
    D = hub.store.models.DeadLetter
    return D.select().where(D.status == OPEN).count()


def find(hub, status: str = OPEN) -> list:
    """Dead letters of one status ("" for every one), newest failure first."""
    if status and status not in STATUSES:
        raise Refused("invalid_fields", "Unknown status.",
                      fields={"status": f"One of {', '.join(STATUSES)}."})
    D = hub.store.models.DeadLetter
    query = D.select().order_by(D.last_failed_at.desc(), D.id.desc()).limit(LIST_LIMIT)
    if status:
        query = query.where(D.status == status)
    return list(query)


def letter_or_404(hub, letter_id: int):
    D = hub.store.models.DeadLetter
    row = D.get_or_none(D.id == letter_id) if 0 < letter_id <= _BIGINT_MAX else None
    if row is None:
        raise DomainError("dead_letter_not_found", "There is no set-aside event with this id.")
    return row


def retry(hub, letter_id: int, by: str):
    """Give the event to its reader again: the row comes back resolved, or open with the error."""
    letter = _open_letter(hub, letter_id)
    reader = _reader_named(hub, letter.reader)
    return dead_letters.retry(hub.store, reader, letter.id, by)


def dismiss(hub, letter_id: int, by: str):
    """Close the dead letter without applying the event."""
    letter = _open_letter(hub, letter_id)
    return dead_letters.dismiss(hub.store, letter.id, by)


def summary(row, slugs: dict[str, str]) -> dict:
    return {"id": row.id, "reader": row.reader, "event_id": row.event_id,
            "position": row.position, "type": row.type, "origin": row.origin,
            "conference_id": row.conference, "conference": slugs.get(row.conference, ""),
            "error": row.error, "traceback": row.traceback,
            "first_failed_at": row.first_failed_at, "last_failed_at": row.last_failed_at,
            "attempts": row.attempts, "status": row.status, "resolved_at": row.resolved_at,
            "resolved_by": row.resolved_by}


def summaries(hub, rows) -> list[dict]:
    slugs = conference_slugs(hub)
    return [summary(row, slugs) for row in rows]


def _open_letter(hub, letter_id: int):
    letter = letter_or_404(hub, letter_id)
    if letter.status != OPEN:
        raise DomainError("already_resolved", f"This event was {letter.status} already.")
    return letter


def _reader_named(hub, name: str):
    for reader in hub.readers:
        if reader.name == name:
            return reader
    raise DomainError("reader_unknown", f"This hub has no reader named {name!r} any more.")
