"""Open the database a log lives in: a SQLite file (WAL) or a PostgreSQL URL."""
from __future__ import annotations

import fcntl
import os
import threading

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


class WriterTurns:
    """One write transaction at a time on a SQLite file, writers waiting in line.

    SQLite lets one writer in and makes the others poll: a `BEGIN IMMEDIATE` that finds
    the write lock taken sleeps in its busy handler (1, 2, 5, 10 ... 100 ms) and tries
    again, and under load it keeps losing to writers that arrive just as the lock is
    freed. So the hub's request threads spent most of an order asleep in BEGIN behind the
    pump. Writers here wait on locks that wake the next in line when the holder commits:
    a thread lock among the process's threads, then an exclusive `flock` on
    `<database>-writer` among the processes on that file (a web process and a pump
    worker). SQLite's own lock stays the rule; this only queues the writers that know of
    it, and a writer that does not (the sqlite3 shell) is still waited for by SQLite.

    Made again in a forked child (a gunicorn worker): a lock another thread held at the
    fork would stay held, and a shared open file would not exclude the parent.
    """

    def __init__(self, path: str):
        self.path = path + "-writer"
        self._pid: int | None = None
        self._owner: int | None = None
        self._held: tuple | None = None

    def _for_this_process(self) -> tuple:
        """This process's (thread lock, file); made once, by one thread (two threads making
        their own at first use would each take a different lock)."""
        if self._pid != os.getpid():
            with _MAKING:
                if self._pid != os.getpid():
                    self._locks = (threading.Lock(),
                                   os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
                    self._pid = os.getpid()
        return self._locks

    def take(self) -> None:
        lock, fd = held = self._for_this_process()
        lock.acquire()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            lock.release()
            raise
        self._owner, self._held = threading.get_ident(), held

    def close(self) -> None:
        """Close this process's lock file, when the database is closed for good (a hub or a
        node shut down, a test's database thrown away); a turn held now keeps it open. The
        next writer, if any, opens it again."""
        with _MAKING:
            if self._pid == os.getpid() and self._held is None:
                os.close(self._locks[1])
                self._pid = None

    def give_back(self) -> None:
        """Release the turn if this thread holds it (a rollback may follow a failed commit)."""
        if self._owner != threading.get_ident() or self._pid != os.getpid():
            return
        (lock, fd), self._owner, self._held = self._held, None, None
        fcntl.flock(fd, fcntl.LOCK_UN)
        lock.release()


_MAKING = threading.Lock()
# A child forked while another thread held it would wait for ever: a fresh one in the child.
os.register_at_fork(after_in_child=lambda: globals().update(_MAKING=threading.Lock()))


class SqliteLogDatabase(peewee.SqliteDatabase):
    """SQLite whose write transactions take their turn (WriterTurns) before BEGIN."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self.turns = WriterTurns(database)

    def begin(self, lock_type=None):
        self.turns.take()
        try:
            super().begin(lock_type)
        except BaseException:
            self.turns.give_back()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self.turns.give_back()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.turns.give_back()


class TracedSqliteLogDatabase(sqltrace.TracedConnections, SqliteLogDatabase):
    """Counting statements for the benchmarks (event_store/sqltrace.py)."""


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
    kind = TracedSqliteLogDatabase if sqltrace.trace_folder() else SqliteLogDatabase
    return kind(target, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                check_same_thread=False)


def close_for_good(db: peewee.Database) -> None:
    """Close this thread's connection and, on SQLite, the writers' lock file (WriterTurns):
    for a hub or a node shutting down, not between requests."""
    db.close()
    turns = getattr(db, "turns", None)
    if turns is not None:
        turns.close()


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
