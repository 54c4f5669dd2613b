"""Figure `check_in_latency_p99`: scan to decision at the door, durable commit included.

A node replica holds a conference of 20,000 attendees (benchmarks/dataset.py: the hub's
events with real signed tickets, written into the node's own store and projected by its
own projections). Each scan goes through `CheckInDesk.scan` (signature check, the seat's
order, revocation and last check-in looked up, TicketScanned + AttendeeCheckedIn appended
and projected, one commit with WAL + synchronous=FULL) with a different attendee's
ticket, so every scan is admitted: the heavier path.

Baseline: a bare `sqlite3` script on a copy of the same file, with the same pragmas, doing
the same indexed lookups (order, revoked code, last check-in) and the same writes (two
event rows, the origin's sequence, the scan and check-in rows, the reader position) in one
`BEGIN IMMEDIATE` transaction. No signature check, no envelope hashing, no ORM: the floor
of the work. The two alternate scan by scan so that drift in the machine hits both alike.
"""
from __future__ import annotations

import base64
import json
import os
import random
import shutil
import time

from benchmarks.bare import connect
from benchmarks.dataset import (Attendees, SeatTypeInfo, TicketKey, bulk_append,
                                conference_events, order_events)
from benchmarks.figures import cleanup, emit, ms, note, percentile, sized, workdir
from event_store.ids import uuid7

KEY_ID = "bench1"


def build_replica(data_dir: str, attendees: int):
    """An enrolled-looking node (no hub needed) whose replica holds the conference."""
    from onsite_node import credentials as creds_file
    from onsite_node.replica import Replica
    from shared_domain.tickets import keypair_from_seed

    keys = keypair_from_seed(bytes(range(32)))
    conference, node_id = uuid7(), uuid7()
    credentials = {
        "node_id": node_id, "name": "Door A", "secret": "bench", "epoch": 1,
        "origin": f"{node_id}:1", "venue_key": "bench",
        "conference": {"id": conference, "slug": "bench26", "name": "Benchmark Conference"},
        "ticket_public_keys": {KEY_ID: base64.urlsafe_b64encode(keys.public_key).decode()}}
    creds_file.save(data_dir, credentials)
    replica = Replica(data_dir, credentials)
    seat_type = SeatTypeInfo(uuid7(), "General admission", 19900)
    made = Attendees()
    events = [*conference_events(conference, seat_type, attendees + 1000),
              *order_events(conference, seat_type, attendees, TicketKey(KEY_ID, keys.private_key),
                            replica.clock(), made)]
    bulk_append(replica.store, events, origin=f"hub/{conference}", conference=conference)
    replica.project()
    return replica, made, len(events)


class BareDoor:
    """The same lookups and writes as a scan, in plain SQL on a copy of the replica."""

    def __init__(self, path: str, origin: str, node_id: str, conference: str):
        self.db = connect(path)
        self.origin, self.node_id, self.conference = origin, node_id, conference
        self.stream = f"edge-{origin}"

    def scan(self, seat_id: str, digest: str, name: str) -> bool:
        db, now, nonce = self.db, time.time(), uuid7()
        order_id = seat_id.rsplit(":", 1)[0]
        db.execute("BEGIN IMMEDIATE")
        status = db.execute("SELECT status FROM rm_order WHERE order_id = ?",
                            (order_id,)).fetchone()
        revoked = db.execute("SELECT 1 FROM rm_revoked_code WHERE code_digest = ?",
                             (digest,)).fetchone()
        last = db.execute("SELECT scan_nonce FROM rm_check_in WHERE seat_id = ? AND undone = 0 "
                          "ORDER BY position DESC LIMIT 1", (seat_id,)).fetchone()
        admitted = status is not None and status[0] == "confirmed" and not revoked and not last
        seq = (db.execute("SELECT seq FROM origin_seq WHERE origin = ?", (self.origin,))
               .fetchone() or (0,))[0]
        at = f"{now:.6f}"
        rows = [("TicketScanned", {"scan_nonce": nonce, "code_digest": digest, "seat_id": seat_id,
                                   "node_id": self.node_id, "scanned_at": at,
                                   "result": "admitted", "reason": "admitted", "by": "kiosk"})]
        if admitted:
            rows.append(("AttendeeCheckedIn", {"seat_id": seat_id, "node_id": self.node_id,
                                               "scanned_at": at, "scan_nonce": nonce,
                                               "attendee_name": name, "code_digest": digest}))
        db.executemany(
            "INSERT INTO event (id, origin, seq, stream, version, type, schema, conference, data, "
            "occurred_at, hlc, payload_hash, stored_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, "
            "'', ?)",
            [(uuid7(), self.origin, seq + i + 1, self.stream, seq + i + 1, type_,
              self.conference, json.dumps(data), at, f"{int(now * 1000):013d}-{i:05d}", at)
             for i, (type_, data) in enumerate(rows)])
        db.execute("INSERT INTO origin_seq (origin, conference, seq) VALUES (?, ?, ?) "
                   "ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq",
                   (self.origin, self.conference, seq + len(rows)))
        position = db.execute("SELECT MAX(position) FROM event").fetchone()[0]
        db.execute("INSERT INTO rm_scan (scan_nonce, seat_id, node_id, scanned_at, result, "
                   "reason, \"by\") VALUES (?, ?, ?, ?, 'admitted', 'admitted', 'kiosk')",
                   (nonce, seat_id, self.node_id, at))
        if admitted:
            db.execute("INSERT INTO rm_check_in (scan_nonce, position, seat_id, node_id, "
                       "scanned_at, attendee_name, code_digest, previous, method, \"by\", undone) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, '', 'scan', 'kiosk', 0)",
                       (nonce, position, seat_id, self.node_id, at, name, digest))
        db.execute("UPDATE reader_position SET position = ? WHERE name = 'node_views'",
                   (position,))
        db.execute("COMMIT")
        return admitted


def main() -> None:
    from onsite_node.checkin import CheckInDesk
    from shared_domain.checkin import code_digest

    attendees, scans = sized(20_000, 2_000), sized(1_500, 200)
    work = workdir("checkin")
    try:
        note(f"building a node replica with {attendees} attendees")
        started = time.perf_counter()
        replica, made, events = build_replica(os.path.join(work, "door-a"), attendees)
        built = time.perf_counter() - started
        replica.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = os.path.join(work, "bare.sqlite3")
        shutil.copyfile(os.path.join(work, "door-a", "node.sqlite3"), copy)
        bare = BareDoor(copy, replica.origin, replica.credentials["node_id"],
                        replica.conference_id)
        desk = CheckInDesk(replica)
        picks = random.Random(9).sample(range(len(made.seats)), scans + 20)
        for i in picks[:20]:   # warm both paths (imports, caches) before measuring
            desk.scan(made.codes[i])
            bare.scan(made.seats[i], code_digest(made.codes[i]), made.names[i])
        note(f"{scans} scans, ours and the bare script alternating")
        ours, floor, admitted, bare_admitted = [], [], 0, 0
        for i in picks[20:]:
            t = time.perf_counter()
            outcome = desk.scan(made.codes[i])
            ours.append(time.perf_counter() - t)
            admitted += outcome.admitted
            t = time.perf_counter()
            bare_admitted += bare.scan(made.seats[i], code_digest(made.codes[i]), made.names[i])
            floor.append(time.perf_counter() - t)
        p99, base_p99 = percentile(ours, 99), percentile(floor, 99)
        emit("check_in_latency_p99", ms(p99), "ms", ms(base_p99), round(p99 / base_p99, 2),
             p50_ms=ms(percentile(ours, 50)), baseline_p50_ms=ms(percentile(floor, 50)),
             p50_ratio=round(percentile(ours, 50) / percentile(floor, 50), 2),
             mean_ms=ms(sum(ours) / len(ours)), scans=scans, admitted=admitted,
             baseline_admitted=bare_admitted, attendees=attendees, replica_events=events,
             replica_build_s=round(built, 1), synchronous="FULL", journal_mode="WAL")
        replica.close()
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
