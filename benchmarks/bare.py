"""The baselines' bare sync: the same events moved with plain HTTP and `executemany`.

No protocol: no signatures, no version vectors, no envelope checks, no payload hashes, no
projections, no framework. What is left is the floor of the work: read rows from one SQLite
file, encode them as the same JSON the feed and pushes carry (compact, sorted keys, gzip
level 5, pages and batches of 500), move them over loopback HTTP with `requests` and
`http.server`, decode them and `executemany` them into another SQLite file in one transaction
per page or batch, with the same pragmas as the product (WAL, synchronous=FULL) and the same
unique indexes on the event table.

Roles (each a process, like the hub and the nodes):
  serve    GET /feed?after=N (a page of a database's events by position) and POST /push
  download GET every page after 0 into a fresh file; prints JSON
  upload   POST one origin's events of a file in batches; prints JSON
  sync     upload, then download until the local file holds --expect events; prints JSON
"""
from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import requests

from benchmarks.figures import peak_rss_kb

PAGE = 500
COLUMNS = ("id", "origin", "seq", "stream", "version", "type", "schema", "conference", "data",
           "occurred_at", "hlc", "causation", "correlation")
SCHEMA = """
CREATE TABLE IF NOT EXISTS event (
    position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, origin TEXT NOT NULL,
    seq INTEGER NOT NULL, stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
    schema INTEGER NOT NULL, conference TEXT NOT NULL, data TEXT NOT NULL,
    occurred_at TEXT NOT NULL, hlc TEXT NOT NULL, causation TEXT, correlation TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS event_id ON event (id);
CREATE UNIQUE INDEX IF NOT EXISTS event_origin_seq ON event (origin, seq);
CREATE UNIQUE INDEX IF NOT EXISTS event_stream_version ON event (stream, version);
CREATE INDEX IF NOT EXISTS event_conference_position ON event (conference, position);
"""
INSERT = (f"INSERT OR IGNORE INTO event ({', '.join(COLUMNS)}) "
          f"VALUES ({', '.join('?' for _ in COLUMNS)})")


def connect(path: str, *, create: bool = False) -> sqlite3.Connection:
    """A connection with the product's pragmas (event_store.database.SQLITE_PRAGMAS)."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=wal", "synchronous=full", "foreign_keys=1",
                   "busy_timeout=30000", "cache_size=-16000"):
        db.execute(f"PRAGMA {pragma}")
    if create:
        db.executescript(SCHEMA)
    return db


def encode(value) -> bytes:
    """Flask's JSON as the hub sends it: compact, sorted keys."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def envelope(row) -> dict:
    body = dict(zip(("position",) + COLUMNS, row))
    body["data"] = json.loads(body["data"])
    return body


def insert(db: sqlite3.Connection, events: list[dict]) -> None:
    """One page or batch in one transaction."""
    rows = [tuple(json.dumps(e[c], separators=(",", ":")) if c == "data" else e.get(c)
                  for c in COLUMNS) for e in events]
    db.execute("BEGIN IMMEDIATE")
    db.executemany(INSERT, rows)
    db.execute("COMMIT")


# --- the server -------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    database = ""
    local = threading.local()

    def db(self) -> sqlite3.Connection:
        if not hasattr(self.local, "db"):
            self.local.db = connect(self.database)
        return self.local.db

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        after = int(query.get("after", ["0"])[0])
        rows = self.db().execute(
            f"SELECT position, {', '.join(COLUMNS)} FROM event WHERE position > ? "
            f"ORDER BY position LIMIT ?", (after, PAGE)).fetchall()
        self.reply({"events": [envelope(r) for r in rows],
                    "next_after": rows[-1][0] if rows else after})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        events = json.loads(raw)["events"]
        insert(self.db(), events)
        self.reply({"stored": len(events)})

    def reply(self, body: dict) -> None:
        data = encode(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if len(data) > 2048 and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, compresslevel=5)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_):
        pass


def serve(database: str, port: int, create: bool) -> None:
    connect(database, create=create).close()
    Handler.database = database
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


# --- the clients ------------------------------------------------------------------------

def download(session: requests.Session, url: str, db: sqlite3.Connection, *,
             after: int = 0) -> tuple[int, int, int]:
    """GET pages until an empty one; return (events, bytes on the wire, the last position)."""
    events = wire = 0
    while True:
        response = session.get(f"{url}/feed", params={"after": after, "limit": PAGE}, timeout=60)
        wire += int(response.headers.get("Content-Length") or 0)
        page = response.json()
        if not page["events"]:
            return events, wire, after
        insert(db, page["events"])
        events += len(page["events"])
        after = page["next_after"]


def upload(session: requests.Session, url: str, source: str, origin: str) -> tuple[int, int]:
    """POST an origin's events of a file in batches of 500; return (events, bytes sent)."""
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    rows = db.execute(f"SELECT NULL, {', '.join(COLUMNS)} FROM event WHERE origin = ? "
                      f"ORDER BY seq", (origin,)).fetchall()
    db.close()
    sent = wire = 0
    for start in range(0, len(rows), PAGE):
        batch = [envelope(r) for r in rows[start:start + PAGE]]
        for e in batch:
            del e["position"]
        body = gzip.compress(encode({"events": batch}), compresslevel=5)
        session.post(f"{url}/push", data=body, timeout=60, headers={
            "Content-Type": "application/json", "Content-Encoding": "gzip"}).raise_for_status()
        sent += len(batch)
        wire += len(body)
    return sent, wire


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["serve", "download", "upload", "sync"])
    parser.add_argument("--db", help="the file served, or written into")
    parser.add_argument("--port", type=int)
    parser.add_argument("--create", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--source", help="upload: the file holding the origin's events")
    parser.add_argument("--origin")
    parser.add_argument("--expect", type=int, default=0)
    parser.add_argument("--start-at", type=float, default=0.0,
                        help="wall-clock time to start at, so several clients start together")
    args = parser.parse_args()
    if args.role == "serve":
        return serve(args.db, args.port, args.create)
    session = requests.Session()
    session.get(f"{args.url}/feed", params={"after": 2**62}, timeout=30)  # connect first
    time.sleep(max(0.0, args.start_at - time.time()))
    started, started_wall = time.perf_counter(), time.time()
    out = {"started": started_wall}
    if args.role in ("upload", "sync"):
        out["uploaded"], out["bytes_out"] = upload(session, args.url, args.source, args.origin)
    if args.role in ("download", "sync"):
        db = connect(args.db, create=True)
        out["downloaded"] = out["bytes_in"] = after = 0
        while True:
            events, wire, after = download(session, args.url, db, after=after)
            out["downloaded"] += events
            out["bytes_in"] += wire
            if db.execute("SELECT COUNT(*) FROM event").fetchone()[0] >= args.expect:
                break
            time.sleep(0.02)   # the others have not uploaded everything yet
    out["seconds"] = time.perf_counter() - started
    out["finished"] = time.time()
    out["peak_rss_kb"] = peak_rss_kb()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
