"""Count what a process asks of SQLite: statements, transactions and commits that wrote.

Off unless the environment variable CONTOSO_SQL_TRACE names a folder; then every SQLite
connection `open_database` opens gets a `set_trace_callback`, and each process writes
its running totals to `<folder>/sql-<pid>.json` every FLUSH_SECONDS and at exit (several
web processes or workers each write their own file; `read_totals` sums them). It is for
the benchmarks (benchmarks/bench_registration.py), which read the files while the hub runs.

The rules, in SQLite's own terms (the trace sees every statement SQLite starts, including
the COMMIT that `sqlite3.Connection.commit` sends and each row of an `executemany`):
- statements: every statement started;
- transactions: every BEGIN, plus every write statement run outside one (autocommit:
  SQLite wraps it in a transaction of its own);
- commits_written ("fsyncs"): every COMMIT of a transaction that ran a write statement
  (INSERT, UPDATE, DELETE, REPLACE or DDL), plus every autocommit write. In WAL mode with
  synchronous=FULL that is one fsync of the WAL each; a checkpoint adds its own;
- autocommit_reads: every SELECT run outside a transaction (SQLite gives it a read
  snapshot of its own; it takes no write lock and commits nothing, so it is no
  transaction above).

With CONTOSO_SQL_TRACE_TEXTS=1 as well, each process also writes how often each statement
text ran (digits blanked, so savepoint names fold together) to `<folder>/texts-<pid>.json`:
where a count comes from, statement by statement.
"""
from __future__ import annotations

import atexit
import glob
import json
import os
import re
import threading
import time

ENV = "CONTOSO_SQL_TRACE"
TEXTS_ENV = "CONTOSO_SQL_TRACE_TEXTS"
_DIGITS = re.compile(r"[0-9a-f]{6,}|[0-9]+")
FLUSH_SECONDS = 0.25
WRITES = frozenset({"insert", "update", "delete", "replace", "create", "drop", "alter"})


def trace_folder() -> str | None:
    """The folder the counts go to, or None when tracing is off (the default)."""
    return os.environ.get(ENV) or None


class TracedConnections:
    """Mixed into a SqliteDatabase: every connection reports its statements to this
    process's counts."""

    def _add_conn_hooks(self, conn):
        _process_counts().watch(conn)   # first, so the connection's PRAGMAs are counted too
        super()._add_conn_hooks(conn)


class _ConnectionTrace:
    """One connection's counts; only the thread using the connection changes them
    (peewee: a connection per thread), so the trace takes no lock."""

    __slots__ = ("statements", "transactions", "commits_written", "autocommit_reads",
                 "kinds", "in_transaction", "wrote", "texts")

    def __init__(self, texts: bool = False):
        self.statements = self.transactions = self.commits_written = 0
        self.autocommit_reads = 0
        self.kinds: dict[str, int] = {}
        self.in_transaction = self.wrote = False
        self.texts: dict[str, int] | None = {} if texts else None

    def __call__(self, sql: str) -> None:
        kind = sql[:12].partition(" ")[0].lower()
        self.statements += 1
        if self.texts is not None:
            text = _DIGITS.sub("#", sql[:300])
            self.texts[text] = self.texts.get(text, 0) + 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if kind == "begin":
            self.in_transaction, self.wrote = True, False
            self.transactions += 1
        elif kind == "commit" or kind == "end":
            self.commits_written += self.wrote
            self.in_transaction = False
        elif kind == "rollback":
            if not sql[8:].lstrip().upper().startswith(("TO", "TRANSACTION TO")):
                self.in_transaction = False   # nothing reached the disk
            # else to a savepoint: the transaction goes on, what it wrote before still counts
        elif kind in WRITES:
            if self.in_transaction:
                self.wrote = True
            else:   # autocommit: SQLite wraps the statement in a transaction of its own
                self.transactions += 1
                self.commits_written += 1
        elif kind == "select" and not self.in_transaction:
            self.autocommit_reads += 1   # a read snapshot of its own, nothing to commit


class _Counts:
    """One process's connections, their sum flushed to its own file by a daemon thread."""

    def __init__(self, folder: str):
        self.folder, self.pid = folder, os.getpid()
        self.lock = threading.Lock()
        self.connections: list[_ConnectionTrace] = []
        self.flushed: str | None = None
        self.texts = bool(os.environ.get(TEXTS_ENV))
        os.makedirs(folder, exist_ok=True)
        threading.Thread(target=self._flush_forever, name="sql-trace", daemon=True).start()
        atexit.register(self.flush)

    def watch(self, conn) -> None:
        trace = _ConnectionTrace(self.texts)
        with self.lock:
            self.connections.append(trace)
        conn.set_trace_callback(trace)

    def totals(self) -> dict:
        """The sum over this process's connections (closed ones included)."""
        with self.lock:
            connections = list(self.connections)
        totals = {"connections": len(connections), "statements": 0, "transactions": 0,
                  "commits_written": 0, "autocommit_reads": 0, "kinds": {}}
        for c in connections:
            for key in ("statements", "transactions", "commits_written", "autocommit_reads"):
                totals[key] += getattr(c, key)
            for kind, n in c.kinds.copy().items():   # a dict copy is atomic under the GIL
                totals["kinds"][kind] = totals["kinds"].get(kind, 0) + n
        return totals

    def flush(self) -> None:
        if os.getpid() != self.pid:
            return   # a forked child's copy (its atexit too): the parent's file is the parent's
        text = json.dumps({"pid": self.pid, **self.totals()}, sort_keys=True)
        if text == self.flushed:
            return
        path = os.path.join(self.folder, f"sql-{self.pid}.json")
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)   # a reader never sees half a file
        self.flushed = text
        if self.texts:
            self._flush_texts()

    def _flush_texts(self) -> None:
        with self.lock:
            connections = list(self.connections)
        texts: dict[str, int] = {}
        for c in connections:
            for sql, n in c.texts.copy().items():
                texts[sql] = texts.get(sql, 0) + n
        path = os.path.join(self.folder, f"texts-{self.pid}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(texts, f, indent=0, sort_keys=True)
        os.replace(path + ".tmp", path)

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            try:
                self.flush()
            except OSError:
                pass   # the benchmark removed its folder; nothing to report to


_counts: _Counts | None = None
_counts_lock = threading.Lock()


def _process_counts() -> _Counts:
    """This process's counts; a forked child (a web worker) starts its own at zero."""
    global _counts
    with _counts_lock:
        if _counts is None or _counts.pid != os.getpid():
            _counts = _Counts(trace_folder())
        return _counts


def read_totals(folder: str) -> dict:
    """The sum of every process's last flushed counts in this folder."""
    total: dict = {"processes": 0, "kinds": {}}
    for path in glob.glob(os.path.join(folder, "sql-*.json")):
        with open(path) as f:
            counts = json.load(f)
        total["processes"] += 1
        for key, value in counts.items():
            if key == "kinds":
                for kind, n in value.items():
                    total["kinds"][kind] = total["kinds"].get(kind, 0) + n
            elif key != "pid":
                total[key] = total.get(key, 0) + value
    return total
