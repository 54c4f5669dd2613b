"""Open the database a log lives in: a SQLite file (WAL) or a PostgreSQL URL."""
from __future__ import annotations

import os

import peewee
from playhouse.db_url import connect

from event_store import sqltrace

# Acknowledged facts live in this file, so every commit is synced to disk
# (synchronous=FULL): in WAL mode NORMAL can lose the last commits on power
# loss, and a node on a Pi loses power.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 30000,
    "cache_size": -16000,
}


def open_database(target: str) -> peewee.Database:
    """Open a SQLite file path (created with its folder) or a database URL."""
    if "://" in target:
        return connect(target)
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    # IMMEDIATE: a write transaction takes the write lock when it starts, so two
    # writers never deadlock upgrading a read lock, and the commit order is the
    # order positions were handed out in.
    # Counting statements for the benchmarks only when asked (event_store/sqltrace.py).
    kind = sqltrace.TracedSqliteDatabase if sqltrace.trace_folder() else peewee.SqliteDatabase
    return kind(target, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                check_same_thread=False)


def is_postgres(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def add_missing_columns(db: peewee.Database, model, names: list[str]) -> None:
    """Add columns a release added to a table an older release created (it opens as is)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate
    table = model._meta.table_name
    held = {c.name for c in db.get_columns(table)}
    missing = [name for name in names if name not in held]
    if missing:
        migrator = (PostgresqlMigrator if is_postgres(db) else SqliteMigrator)(db)
        migrate(*(migrator.add_column(table, name, model._meta.fields[name]) for name in missing))
