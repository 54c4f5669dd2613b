"""A throwaway PostgreSQL cluster for the `registration_postgres` figure.

The approach of tests/support/postgres.py (initdb and pg_ctl as the postgres user, in a
temporary folder, on a loopback port), but durable: fsync stays on, as SQLite's
synchronous=FULL does for the other figures, so the two lines pay for the same commits.
The server counts what it was asked (`server_counts`): statements in pg_stat_statements,
transactions in pg_stat_database, WAL syncs in pg_stat_wal.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

from benchmarks.venue import free_port

BIN = "/usr/lib/postgresql/15/bin"


def unavailable() -> str | None:
    """Why no cluster can run here, or None when one can."""
    import pwd
    if not os.path.exists(f"{BIN}/initdb"):
        return f"no {BIN}/initdb (Debian package postgresql-15)"
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "initdb runs as the postgres user: the benchmark must run as root"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres user"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed"
    return None


class Cluster:
    """initdb + pg_ctl as the postgres user, in a folder on the benchmark disk."""

    def __init__(self, parent: str | None = None):
        self.dir = tempfile.mkdtemp(prefix="contoso-bench-pg-", dir=parent)
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self._as_postgres(f"{BIN}/initdb", "-D", f"{self.dir}/data", "-A", "trust",
                          "-U", "postgres")
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log",
                          "-w", "-o", f"-p {self.port} -k {self.dir} "
                                      f"-c listen_addresses=127.0.0.1 -c max_connections=200 "
                                      f"-c shared_preload_libraries=pg_stat_statements "
                                      f"-c pg_stat_statements.max=10000",
                          "start")

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       capture_output=True, timeout=120)

    def new_database(self, name: str) -> str:
        name = f"{name}_{int(time.time() * 1000) % 100000}"
        self._as_postgres(f"{BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), name)
        url = f"postgresql://postgres@127.0.0.1:{self.port}/{name}"
        _execute(url, "CREATE EXTENSION pg_stat_statements")
        return url

    def stop(self) -> None:
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def query(url: str, sql: str, params=()) -> list[tuple]:
    """Run one read on the database at `url`; `?` placeholders as in sqlite3."""
    import psycopg2
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall()
    finally:
        conn.close()


def _execute(url: str, sql: str) -> None:
    import psycopg2
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
        conn.commit()
    finally:
        conn.close()


def server_counts(url: str) -> dict:
    """What the server has done for this database so far: statements (every call
    pg_stat_statements saw, BEGIN and COMMIT included), transactions (committed and
    rolled back) and fsyncs (WAL syncs, for the whole throwaway cluster).

    Backends report transactions and WAL syncs when idle for a second or when they end:
    read these once the hub's connections are closed.
    """
    row = query(url, "SELECT (SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements s "
                     "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = "
                     "current_database()), "
                     "(SELECT xact_commit + xact_rollback FROM pg_stat_database "
                     "WHERE datname = current_database()), "
                     "(SELECT wal_sync FROM pg_stat_wal)")[0]
    return {"statements": int(row[0]), "transactions": int(row[1]), "fsyncs": int(row[2])}


def raw_appends(url: str, after: int, groups_of) -> tuple[float, int, int]:
    """Append the run's events again with bare psycopg2 into an empty copy of the event
    table (same columns, indexes, constraints), one transaction per group;
    return (seconds, events, transactions)."""
    import psycopg2
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE raw_event (LIKE event INCLUDING ALL)")
            cur.execute("SELECT column_name FROM information_schema.columns WHERE "
                        "table_name = 'event' AND column_name != 'position' "
                        "ORDER BY ordinal_position")
            columns = [c for (c,) in cur.fetchall()]
            cur.execute(f"SELECT {', '.join(columns)} FROM event WHERE position > %s "
                        f"ORDER BY position", (after,))
            rows = cur.fetchall()
        conn.commit()
        groups = groups_of(columns, rows)
        insert = (f"INSERT INTO raw_event ({', '.join(columns)}) "
                  f"VALUES ({', '.join('%s' for _ in columns)})")
        started = time.perf_counter()
        for group in groups:
            with conn.cursor() as cur:   # psycopg2 opens the transaction; commit ends it
                cur.executemany(insert, group)
            conn.commit()
        return time.perf_counter() - started, len(rows), len(groups)
    finally:
        conn.close()
