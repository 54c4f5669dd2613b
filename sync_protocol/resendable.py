"""Transactions whose loss on a power cut costs only a resend, committed without waiting for
the disk: a page pulled from the hub (with the cursor it moved, the hub sends it again) and
a request's nonce (a request's timestamp is stale minutes later anyway)."""
from __future__ import annotations

from contextlib import contextmanager

import peewee


@contextmanager
def resendable(db: peewee.Database):
    """A transaction committed without an fsync of its own. SQLite in WAL mode with
    synchronous=NORMAL keeps the file consistent (a power cut may roll back the last such
    commits, never part of one), and the next synced commit to the file (a door's own fact,
    say) makes them durable too, as the log is one file written in order: nothing decided
    from them outlives them. PostgreSQL: synchronous_commit off for the transaction. Inside a caller's
    transaction it is that transaction's commit that counts."""
    if db.in_transaction():
        yield
        return
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    if postgres:
        with db.atomic():
            db.execute_sql("SET LOCAL synchronous_commit TO OFF")
            yield
        return
    held = db.execute_sql("PRAGMA synchronous").fetchone()[0]
    db.execute_sql("PRAGMA synchronous = NORMAL")
    try:
        with db.atomic():
            yield
    finally:
        db.execute_sql(f"PRAGMA synchronous = {int(held)}")
