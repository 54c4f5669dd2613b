"""The event store's hot statements, written once per store: append, load and the feed run
on every command and every pump round, and building their SQL with peewee
each time cost more than running it (docs/performance.md)."""
from __future__ import annotations

from typing import Callable

import peewee

# The envelope's columns, in the order rows are read back (StoredEvent's fields).
EVENT_COLUMNS = ("position", "id", "origin", "seq", "stream", "version", "type", "schema",
                 "conference", "data", "occurred_at", "hlc", "causation", "correlation",
                 "signature")
# What an append writes: the envelope (but its position), its hash, when it was stored.
INSERTED_COLUMNS = (*EVENT_COLUMNS[1:], "payload_hash", "stored_at")


class Statements:
    """SQL text with placeholders for one database; run with `db.execute_sql(sql, params)`."""

    def __init__(self, db: peewee.Database, event_table: str, seq_table: str = "origin_seq"):
        p, q = db.param, _quoted(db)
        columns = ", ".join(q(c) for c in EVENT_COLUMNS)
        events = f"SELECT {columns} FROM {q(event_table)}"
        self.load = (f"{events} WHERE {q('stream')} = {p} AND {q('version')} > {p} "
                     f"ORDER BY {q('version')}")
        self.feed = f"{events} WHERE {q('position')} > {p} ORDER BY {q('position')} LIMIT {p}"
        self.conference_feed = (f"{events} WHERE {q('conference')} = {p} AND "
                                f"{q('position')} > {p} ORDER BY {q('position')} LIMIT {p}")
        self.insert_event = _insert(db, event_table, INSERTED_COLUMNS)
        self.next_seq = (f"UPDATE {q(seq_table)} SET {q('seq')} = {q('seq')} + {p} "
                         f"WHERE {q('origin')} = {p} RETURNING {q('seq')}")
        self.keep_signature = (f"UPDATE {q(event_table)} SET {q('signature')} = {p} "
                               f"WHERE {q('position')} = {p} AND {q('signature')} IS NULL")


def _quoted(db: peewee.Database):
    """Quote a name as peewee does for this database (both here: double quotes)."""
    left, right = db.quote
    return lambda name: f"{left}{name}{right}"


def _insert(db: peewee.Database, table: str, columns: tuple[str, ...]) -> str:
    q = _quoted(db)
    return (f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "
            f"VALUES ({', '.join([db.param] * len(columns))})")


class Sql:
    """Write a statement once for a database: `q` quotes a name, `p` is a placeholder."""

    def __init__(self, db: peewee.Database):
        self.db, self.p, self.q = db, db.param, _quoted(db)

    def insert(self, table: str, columns: tuple[str, ...], *, ignore_taken: bool = False) -> str:
        """INSERT of these columns; `ignore_taken`: a row whose key is taken is left as is
        (ON CONFLICT DO NOTHING, SQLite 3.24 and PostgreSQL alike)."""
        return _insert(self.db, table, columns) + (" ON CONFLICT DO NOTHING" if ignore_taken
                                                    else "")

    def update(self, table: str, columns: tuple[str, ...], where: tuple[str, ...]) -> str:
        """UPDATE setting these columns, for the rows whose `where` columns equal the
        parameters after theirs."""
        q, p = self.q, self.p
        return (f"UPDATE {q(table)} SET {', '.join(f'{q(c)} = {p}' for c in columns)} "
                f"WHERE {' AND '.join(f'{q(c)} = {p}' for c in where)}")

    def upsert(self, table: str, columns: tuple[str, ...], key: tuple[str, ...],
               update: tuple[str, ...]) -> str:
        """INSERT of these columns; a row whose `key` is taken gets the `update` columns
        from the values offered (ON CONFLICT ... DO UPDATE, SQLite 3.24 and PostgreSQL)."""
        q = self.q
        return (_insert(self.db, table, columns)
                + f" ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET "
                + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update))

    def run(self, sql: str, params: tuple = ()):
        return self.db.execute_sql(sql, params)

    def run_many(self, sql: str, rows: list[tuple]) -> None:
        """One statement for many rows (sqlite3's and psycopg2's executemany)."""
        if rows:
            cursor = self.db.cursor()
            cursor.executemany(sql, rows)


def prepared(db: peewee.Database, key: str, build: Callable[[Sql], str]) -> str:
    """A statement written once per database and kept on it: `build` is called the first
    time `key` is asked for (for the request path's reads, which peewee built anew each time)."""
    cache = db.__dict__.setdefault("_prepared_sql", {})
    sql = cache.get(key)
    if sql is None:
        sql = cache[key] = build(Sql(db))
    return sql
