"""A hub's events as its doors hold them: the fields the hub keeps back from doors are blank
in their copies (shared_domain/kept_from_doors.py), so their payload hashes differ from the
hub's own for those events, and convergence is judged on the doors' copies."""
import json
import sqlite3

from shared_domain.kept_from_doors import KEPT_BACK, for_doors
from event_store.store import canonical_json, payload_hash

COLUMNS = ("id, origin, seq, stream, version, type, schema, conference, data, occurred_at, "
           "hlc, causation, correlation, payload_hash")


def door_copies(hub_db: str, conference: str) -> set[tuple[str, int, str]]:
    """(origin, seq, payload_hash) of each of the conference's events, as a door holds it."""
    with sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True) as db:
        rows = db.execute(f"SELECT {COLUMNS} FROM event WHERE conference = ?",
                          (conference,)).fetchall()
    return {(row[1], row[2], _door_hash(row)) for row in rows}


def _door_hash(row) -> str:
    *fields, held = row
    if fields[5] not in KEPT_BACK:
        return held
    data = for_doors({"type": fields[5], "data": json.loads(fields[8])})["data"]
    fields[8] = canonical_json(data)
    return payload_hash(*fields)
