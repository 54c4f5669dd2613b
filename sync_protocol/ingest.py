"""Receiving events from another replica: one transaction per batch, idempotent, gap-stopping."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import peewee

from event_store.store import EventStore, StoredEvent, canonical_json
from sync_protocol.validation import bounded_stamp


# A clock's counter is five digits; one observed near 99999 would overflow it within the
# millisecond, so a bounded observation keeps it at half.
OBSERVED_COUNTER_MAX = 49_999


@dataclass
class IngestResult:
    """What a batch did: acked_through per origin, and what was not applied."""
    acked_through: dict[str, int] = field(default_factory=dict)
    stored: list[dict] = field(default_factory=list)   # the envelopes appended, in order
    duplicates: int = 0
    conflicts: int = 0
    processed: int = 0                 # envelopes looked at before a gap stopped the batch
    gap: dict | None = None            # {"origin", "expected", "got"} when a gap stopped it

    def reply(self) -> dict:
        body = {"acked_through": self.acked_through, "stored": len(self.stored),
                "duplicates": self.duplicates, "conflicts": self.conflicts}
        if self.gap:
            body["gap"] = self.gap
        return body


def rows_of(store: EventStore, envelopes: list[dict]) -> list[dict]:
    """Each envelope's row as the log would hold it (its body as canonical JSON, its payload
    hash, its signature): the part of ingest that needs no transaction, so a receiver may
    prepare a batch while it stores the one before."""
    return [_record_of(store, envelope) for envelope in envelopes]


def ingest(store: EventStore, envelopes: list[dict], *, source: str,
           hlc_ceiling_ms: int | None = None, rows: list[dict] | None = None) -> IngestResult:
    """Store a batch in one transaction by (origin, seq): next seq appends, a held seq is a
    duplicate (same hash) or an integrity conflict (different hash), a gap stops the batch.

    `hlc_ceiling_ms`: the receiver's clock observes no stamp beyond it (a push from a node
    whose clock runs ahead must not move the hub's clock; a pull from the hub must move a
    node's, which has no real-time clock). `rows`: the batch's `rows_of`, made beforehand."""
    rows = rows if rows is not None else rows_of(store, envelopes)
    result = IngestResult()
    with store.atomic():
        store._lock_feed()
        vector = _vector_for(store, {e["origin"] for e in envelopes})
        stored_at = store.clock().isoformat()
        appended: list[dict] = []      # records not yet written: they go in a few INSERTs
        for envelope, row in zip(envelopes, rows):
            origin, seq = envelope["origin"], envelope["seq"]
            held = vector.get(origin, 0)
            if seq <= held:
                _write(store, appended)   # it may repeat an event appended just before
                _check_duplicate(store, envelope, row["payload_hash"], source, result)
            elif seq == held + 1:
                appended.append(_to_append(store, row, stored_at, hlc_ceiling_ms))
                result.stored.append(envelope)
                vector[origin] = seq
            else:
                result.gap = {"origin": origin, "expected": held + 1, "got": seq}
                break
            result.processed += 1
        _write(store, appended)
        _save_vector(store, vector, envelopes)
        result.acked_through = {o: vector.get(o, 0) for o in {e["origin"] for e in envelopes}}
    return result


def _vector_for(store: EventStore, origins: set[str]) -> dict[str, int]:
    O = store.models.OriginSeq
    if not origins:
        return {}
    return {row.origin: row.seq for row in O.select().where(O.origin.in_(list(origins)))}


def _save_vector(store: EventStore, vector: dict[str, int], envelopes: list[dict]) -> None:
    O = store.models.OriginSeq
    conference_of = {e["origin"]: e["conference"] for e in envelopes}
    for origin, seq in vector.items():
        (O.insert(origin=origin, conference=conference_of.get(origin, ""), seq=seq)
         .on_conflict(conflict_target=[O.origin], update={O.seq: seq}).execute())


def _record_of(store: EventStore, e: dict) -> dict:
    record = store._record(e["id"], e["origin"], e["seq"], e["stream"], e["version"],
                           e["type"], e["schema"], e["conference"], e["data"], e["occurred_at"],
                           e["hlc"], e.get("causation"), e.get("correlation"))
    record["signature"] = e.get("sig")
    return record


def _to_append(store: EventStore, row: dict, stored_at: str,
               hlc_ceiling_ms: int | None) -> dict:
    record = {**row, "stored_at": stored_at}
    stamp = row["hlc"]
    if hlc_ceiling_ms is not None:
        stamp = bounded_stamp(stamp, hlc_ceiling_ms, OBSERVED_COUNTER_MAX)
    store.hlc.observe(stamp)
    return record


def _write(store: EventStore, records: list[dict]) -> None:
    """Insert the appended records with one prepared statement (`executemany`), and forget
    them.

    Peewee built an INSERT per event, or per few dozen events, which made ingest the
    slowest part of a first sync; see docs/performance.md.
    """
    if not records:
        return
    columns = _insert_columns(store)
    sql = _insert_sql(store, columns)
    try:
        with peewee.__exception_wrapper__:   # the driver's IntegrityError as peewee's
            store.db.cursor().executemany(sql, [tuple(map(r.get, columns)) for r in records])
    except peewee.IntegrityError as clash:
        # A new (origin, seq) whose event id or (stream, version) is already taken: only a
        # faulty or hostile replica sends that. Refuse the whole batch (the caller's
        # transaction rolls back).
        from sync_protocol.wire import ProtocolError
        first, last = records[0], records[-1]
        raise ProtocolError(409, "event_clash",
                            f"An event among {first['origin']}#{first['seq']} to "
                            f"{last['origin']}#{last['seq']} clashes with a held event: "
                            f"{clash}") from clash
    records.clear()


def _insert_columns(store: EventStore) -> tuple[str, ...]:
    """The event table's columns an ingested row fills: all but its position."""
    fields = store.models.EventRecord._meta.sorted_fields
    return tuple(f.column_name for f in fields if f.name != "position")


@functools.lru_cache(maxsize=8)
def _sql_for(param: str, columns: tuple[str, ...]) -> str:
    """Built once per placeholder style (SQLite's ?, PostgreSQL's %s)."""
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f'INSERT INTO "event" ({quoted}) VALUES ({", ".join([param] * len(columns))})'


def _insert_sql(store: EventStore, columns: tuple[str, ...]) -> str:
    return _sql_for(store.db.param, columns)


def _check_duplicate(store: EventStore, envelope: dict, offered: str, source: str,
                     result: IngestResult) -> None:
    E, C = store.models.EventRecord, store.models.IntegrityConflict
    held = E.get_or_none((E.origin == envelope["origin"]) & (E.seq == envelope["seq"]))
    if held is not None and held.payload_hash == offered:
        result.duplicates += 1
        return
    result.conflicts += 1
    (C.insert(origin=envelope["origin"], seq=envelope["seq"], conference=envelope["conference"],
              held_hash=held.payload_hash if held else "", offered_hash=offered,
              offered=canonical_json(envelope), source=source,
              received_at=store.clock().isoformat())
     .on_conflict_ignore().execute())


def events_of(store: EventStore, origin: str, after_seq: int, limit: int) -> list[StoredEvent]:
    """One origin's events after a seq, in seq order, as sent: not decoded (`message` None)."""
    E = store.models.EventRecord
    rows = (E.select().where((E.origin == origin) & (E.seq > after_seq))
            .order_by(E.seq).limit(limit))
    return [store._stored(row, decode=False) for row in rows]


def events_missing_from(store: EventStore, vector: dict[str, int], *, conference: str | None,
                        limit: int) -> list[StoredEvent]:
    """Events the holder of `vector` lacks, in (origin, seq) order, at most `limit`."""
    out: list[StoredEvent] = []
    for origin, held in sorted(store.version_vector(conference).items()):
        have = vector.get(origin, 0)
        if held <= have:
            continue
        out.extend(events_of(store, origin, have, limit - len(out)))
        if len(out) >= limit:
            break
    return out
