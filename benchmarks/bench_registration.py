"""Figures `registration` and `registration_postgres`: orders per second through the hub's
JSON API, placed to confirmed, with what each order cost the hub.

A `contoso hub run` process serves a published conference whose seat types hold fewer
seats than the registrants want (general admission 75 % of the demand, the workshop
50 %). Eight client threads walk the orders (benchmarks/registrants.py): place (the
answer is the reserved order when the hub could reserve in the request, else a long-poll
follows it), registrant, pay by card and accept, long-poll until confirmed.

The value is confirmed orders per second of wall-clock time. At the end the hub's log is
read: the seats of every confirmed order (its SeatAssignmentsCreated) are summed per seat
type against the capacity, and any excess is `oversold` (it must be 0);
`assigned_twice` counts orders given seat assignments more than once (it must be 0 too).

Counted per confirmed order (the whole run's work, sold-out orders included, divided by
the orders confirmed): the HTTP requests the clients sent, and on SQLite the statements,
transactions and fsync'd commits of every hub process, from the SQL trace each process
keeps when CONTOSO_SQL_TRACE is set (event_store/sqltrace.py states the rules).

Baseline: the raw appends the run did. Every event the run added to the log is appended
again into an empty copy of the event table with the bare driver (sqlite3 with the same
pragmas, or psycopg2 into the same PostgreSQL cluster), in the same transactions: one per
stream and command (as `EventStore.append` commits them). The ratio is the command path's
wall-clock time over the time of those appends alone.

`registration_postgres` runs the same workload with the hub's database on a throwaway
PostgreSQL cluster (fsync on); with 2 web processes and 2 pump workers when this
version of `contoso hub run` has `--web-processes` and `--no-worker` (else the one
process it has). Without PostgreSQL here the line says why it was skipped.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from itertools import groupby

from benchmarks import postgres
from benchmarks.bare import connect
from benchmarks.figures import cleanup, emit, note, percentile, sized, workdir
from benchmarks.registrants import GA, WORKSHOP, register_all, seats_wanted
from benchmarks.venue import SLUG, Process, hub_help, python_module, read_db, start_hub
from event_store import sqltrace

CLIENTS = 8
PROCESSES = 2    # web processes and pump workers on PostgreSQL, where the hub has them


def seed(data_dir: str, orders: int, db_url: str | None = None) -> dict[str, tuple[str, int]]:
    """A published conference; return {seat type name: (id, capacity)}."""
    from hub.conferences import management
    from hub.bootstrap import HubConfig, bootstrap

    hub = bootstrap(HubConfig(data_dir=data_dir, db_url=db_url))
    conference, _ = management.create_conference(hub, {
        "name": "Contoso Benchmark Conference", "slug": SLUG, "location": "Redmond",
        "description": "Figures that say how fast.", "start_date": "2026-12-08",
        "end_date": "2026-12-09", "owner_name": "Contoso Events",
        "owner_email": "owner@contoso.example"})
    seat_types = {}
    for name, share in ((GA, 0.75), (WORKSHOP, 0.5)):
        capacity = max(1, int(seats_wanted(orders)[name] * share))
        row = management.create_seat_type(hub, conference, {
            "name": name, "description": name, "quantity": capacity, "price": 199})
        seat_types[name] = (row.id, capacity)
    management.publish(hub, conference)
    hub.run_until_idle()
    hub.close()
    return seat_types


def sold_per_seat_type(query, conference_id: str) -> tuple[dict[str, int], int]:
    """Seats of confirmed orders, from the log: every SeatAssignmentsCreated's slots; and
    how many orders were given seat assignments more than once (a command handled twice)."""
    sold: dict[str, int] = {}
    orders = []
    for (data,) in query("SELECT data FROM event WHERE conference = ? AND "
                         "type = 'SeatAssignmentsCreated'", (conference_id,)):
        body = json.loads(data) if isinstance(data, str) else data
        orders.append(body["order_id"])
        for slot in body["slots"]:
            sold[slot["seat_type"]] = sold.get(slot["seat_type"], 0) + 1
    return sold, len(orders) - len(set(orders))


def wait_for_assignments(query, conference_id: str, confirmed: int) -> None:
    """Seat assignments follow confirmation through the pump: let it finish."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and query(
            "SELECT COUNT(*) FROM event WHERE conference = ? AND "
            "type = 'SeatAssignmentsCreated'", (conference_id,))[0][0] < confirmed:
        time.sleep(0.2)


def by_transaction(columns: list[str], rows: list) -> list[list]:
    """The run's events grouped as they were committed: one group per (stream, cause)."""
    stream, causation = columns.index("stream"), columns.index("causation")
    return [list(g) for _, g in groupby(rows, key=lambda r: (r[stream], r[causation]))]


def raw_appends(database: str, after: int, work: str) -> tuple[float, int, int]:
    """Append the run's events again with bare sqlite3, one transaction per (stream, cause);
    return (seconds, events, transactions)."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    ddl = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'event' AND sql IS NOT NULL")]
    columns = [c[1] for c in source.execute("PRAGMA table_info(event)") if c[1] != "position"]
    rows = source.execute(f"SELECT {', '.join(columns)} FROM event WHERE position > ? "
                          f"ORDER BY position", (after,)).fetchall()
    source.close()
    target = connect(os.path.join(work, "raw-appends.sqlite3"))
    for sql in ddl:
        target.execute(sql)
    groups = by_transaction(columns, rows)
    insert = (f"INSERT INTO event ({', '.join(columns)}) "
              f"VALUES ({', '.join('?' for _ in columns)})")
    started = time.perf_counter()
    for group in groups:
        target.execute("BEGIN IMMEDIATE")
        target.executemany(insert, group)
        target.execute("COMMIT")
    seconds = time.perf_counter() - started
    target.close()
    return seconds, len(rows), len(groups)


def settled_totals(folder: str) -> dict:
    """The hub processes' SQL counts once each has flushed what it did so far."""
    time.sleep(4 * sqltrace.FLUSH_SECONDS)
    return sqltrace.read_totals(folder)


def per_order(before: dict, after: dict, confirmed: int) -> dict:
    """The SQL the run cost the hub, per confirmed order (keys of the JSON line)."""
    def rate(key):
        return round((after.get(key, 0) - before.get(key, 0)) / confirmed, 1)
    kinds = {k: round((n - before["kinds"].get(k, 0)) / confirmed, 1)
             for k, n in sorted(after["kinds"].items(), key=lambda kv: -kv[1])}
    return {"statements_per_order": rate("statements"),
            "transactions_per_order": rate("transactions"),
            "fsyncs_per_order": rate("commits_written"),
            "autocommit_reads_per_order": rate("autocommit_reads"),
            "connections_per_order": rate("connections"),
            "sql_per_order": {k: n for k, n in kinds.items() if n >= 0.1},
            "traced_processes": after["processes"]}


def figure(name: str, run, raw: tuple[float, int, int], log: tuple[dict, int],
           seat_types: dict, **extra) -> None:
    """Emit a registration line: the run, its baseline `raw` and what the `log` holds."""
    raw_s, events, transactions = raw
    sold, assigned_twice = log
    latencies = [s for o, s in run.outcomes if o != "sold_out"]
    emit(name, round(run.confirmed / run.seconds, 2), "orders/s",
         round(run.confirmed / raw_s, 2), round(run.seconds / raw_s, 2),
         oversold=oversold_of(sold, seat_types), assigned_twice=assigned_twice,
         orders=len(run.outcomes), confirmed=run.confirmed,
         partially_reserved=run.count("partial"), sold_out=run.count("sold_out"),
         clients=CLIENTS, **extra,
         http_requests_per_order=round(run.requests / run.confirmed, 1),
         seconds=round(run.seconds, 2), baseline_seconds=round(raw_s, 2),
         order_p50_s=round(percentile(latencies, 50), 3),
         order_p99_s=round(percentile(latencies, 99), 3),
         events=events, transactions=transactions,
         seats_sold={n: sold.get(i, 0) for n, (i, _) in seat_types.items()},
         capacity={n: cap for n, (_, cap) in seat_types.items()})


def oversold_of(sold: dict, seat_types: dict) -> int:
    return sum(max(0, sold.get(i, 0) - cap) for i, cap in seat_types.values())


def on_sqlite(orders: int, work: str) -> None:
    hub_dir, trace = os.path.join(work, "hub"), os.path.join(work, "sql-trace")
    seat_types = seed(hub_dir, orders)
    database = os.path.join(hub_dir, "hub.sqlite3")

    def query(sql, params=()):
        return read_db(database, sql, params)
    conference_id = query("SELECT id FROM conference")[0][0]
    start = query("SELECT MAX(position) FROM event")[0][0]
    server = start_hub(hub_dir, work, env={sqltrace.ENV: trace})
    try:
        note(f"SQLite: {orders} orders, {CLIENTS} concurrent clients, capacity below demand")
        before = settled_totals(trace)
        cpu_before = server.cpu_seconds()
        run = register_all(server.url, seat_types, orders, CLIENTS)
        wait_for_assignments(query, conference_id, run.confirmed)
        cpu = server.cpu_seconds() - cpu_before
        after = settled_totals(trace)
    finally:
        server.stop()
    log = sold_per_seat_type(query, conference_id)
    note("baseline: the same events as raw appends")
    figure("registration", run, raw_appends(database, start, work), log, seat_types,
           **per_order(before, after, run.confirmed),
           hub_cpu_ms_per_order=round(1000 * cpu / run.confirmed, 1))


def scale_out() -> tuple[tuple[str, ...], bool]:
    """The `hub run` options for 2 web processes and whether to start 2 workers beside it,
    as far as this version of the hub has them."""
    run_help, hub_commands = hub_help("run"), hub_help()
    options: tuple[str, ...] = ()
    if "--web-processes" in run_help:
        options += ("--web-processes", str(PROCESSES))
    workers = "--no-worker" in run_help and "worker" in hub_commands
    return options + (("--no-worker",) if workers else ()), workers


def start_workers(db_url: str, hub_dir: str, work: str, count: int) -> list[Process]:
    return [Process(python_module("contoso", "hub", "worker", "--data-dir", hub_dir,
                                  "--db", db_url),
                    None, os.path.join(work, f"worker-{i}.log")) for i in range(count)]


def on_postgres(orders: int, work: str) -> None:
    why = postgres.unavailable()
    if why:
        note(f"registration_postgres skipped: {why}")
        emit("registration_postgres", None, "orders/s", None, None, skipped=why)
        return
    cluster = postgres.Cluster(os.environ.get("BENCH_DIR"))   # the postgres user cannot enter work
    try:
        url = cluster.new_database("registration")
        hub_dir = os.path.join(work, "hub-pg")
        seat_types = seed(hub_dir, orders, url)

        def query(sql, params=()):
            return postgres.query(url, sql, params)
        conference_id = query("SELECT id FROM conference")[0][0]
        start = query("SELECT MAX(position) FROM event")[0][0]
        before = postgres.server_counts(url)
        run, web, workers = serve_on_postgres(url, hub_dir, work, seat_types, orders,
                                              lambda n: wait_for_assignments(
                                                  query, conference_id, n))
        time.sleep(1)   # the hub's backends report their counts as they end
        after = postgres.server_counts(url)
        log = sold_per_seat_type(query, conference_id)
        note("baseline: the same events as raw appends into PostgreSQL")
        figure("registration_postgres", run, postgres.raw_appends(url, start, by_transaction),
               log, seat_types, web_processes=web, workers=workers,
               **{f"{k}_per_order": round((after[k] - before[k]) / run.confirmed, 1)
                  for k in ("statements", "transactions", "fsyncs")},
               hub_cpu_ms_per_order=round(1000 * run.hub_cpu_seconds / run.confirmed, 1))
    finally:
        cluster.stop()


def serve_on_postgres(url: str, hub_dir: str, work: str, seat_types: dict, orders: int,
                      settle) -> tuple:
    """Run the orders against a hub on `url`, scaled out as far as this hub can be;
    return (the run, web processes, pump workers) once every hub process has stopped."""
    options, separate_workers = scale_out()
    server = start_hub(hub_dir, work, options=("--db", url, *options))
    pumps = start_workers(url, hub_dir, work, PROCESSES) if separate_workers else []
    try:
        note(f"PostgreSQL: {orders} orders, {CLIENTS} clients, hub run {' '.join(options)}"
             f"{f' + {len(pumps)} workers' if pumps else ''}")
        cpu_before = sum(p.cpu_seconds() for p in (server, *pumps))
        run = register_all(server.url, seat_types, orders, CLIENTS)
        settle(run.confirmed)
        run.hub_cpu_seconds = sum(p.cpu_seconds() for p in (server, *pumps)) - cpu_before
    finally:
        server.stop()
        for pump in pumps:
            pump.stop()
    return run, PROCESSES if "--web-processes" in options else 1, len(pumps) or 1


def main() -> None:
    orders = sized(320, 48)
    work = workdir("registration")
    try:
        on_sqlite(orders, work)
        on_postgres(orders, work)
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
