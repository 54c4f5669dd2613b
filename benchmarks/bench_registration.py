"""Figure `registration`: orders per second through the hub's JSON API, placed to confirmed.

A `contoso hub run` process serves a published conference whose seat types hold fewer
seats than the registrants want (general admission 75 % of the demand, the workshop
50 %). Eight client threads each take the next order and walk it like the registration
page does: place it (202), poll until the background reservation answers, name the
registrant, pay by card at the simulated processor and accept, poll until confirmed. An
order that got no seat at all stops there (sold out); one that got some pays for those.

The value is confirmed orders per second of wall-clock time. At the end the hub's log is
read: the seats of every confirmed order (its SeatAssignmentsCreated) are summed per seat
type against the capacity, and any excess is `oversold` (it must be 0).

Baseline: the raw appends the run did. Every event the run added to the log is appended
again into an empty copy of the event table with bare `sqlite3` (same pragmas, same
indexes), in the same transactions: one per stream and command (as `EventStore.append`
commits them), each `BEGIN IMMEDIATE` ... `COMMIT` with synchronous=FULL. The ratio is the
command path's wall-clock time over the time of those appends alone.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from itertools import groupby

import requests

from benchmarks.bare import connect
from benchmarks.figures import cleanup, emit, note, percentile, sized, workdir
from benchmarks.venue import SLUG, read_db, start_hub

CLIENTS = 8
POLL_S = 0.05
GA, WORKSHOP = "General admission", "CQRS Workshop"


def seed(data_dir: str, orders: int) -> dict[str, tuple[str, int]]:
    """A published conference; return {seat type name: (id, capacity)}."""
    from hub import management
    from hub.bootstrap import HubConfig, bootstrap

    hub = bootstrap(HubConfig(data_dir=data_dir))
    conference, _ = management.create_conference(hub, {
        "name": "Contoso Benchmark Conference", "slug": SLUG, "location": "Redmond",
        "description": "Figures that say how fast.", "start_date": "2026-12-08",
        "end_date": "2026-12-09", "owner_name": "Contoso Events",
        "owner_email": "owner@contoso.example"})
    wanted = {GA: sum(1 + n % 3 for n in range(orders)),
              WORKSHOP: sum(1 for n in range(orders) if n % 4 == 0)}
    seat_types = {}
    for name, share in ((GA, 0.75), (WORKSHOP, 0.5)):
        capacity = max(1, int(wanted[name] * share))
        row = management.create_seat_type(hub, conference, {
            "name": name, "description": name, "quantity": capacity, "price": 199})
        seat_types[name] = (row.id, capacity)
    management.publish(hub, conference)
    hub.run_until_idle()
    hub.close()
    return seat_types


class Registrant:
    """One client: walks orders through the API until none are left."""

    def __init__(self, url: str, seat_types: dict, next_order, outcomes: list):
        self.url, self.seat_types, self.next_order = url, seat_types, next_order
        self.outcomes = outcomes
        self.http = requests.Session()

    def run(self) -> None:
        while (n := self.next_order()) is not None:
            started = time.perf_counter()
            outcome = self.register(n)
            self.outcomes.append((outcome, time.perf_counter() - started))

    def register(self, n: int) -> str:
        seats = [{"seat_type": self.seat_types[GA][0], "quantity": 1 + n % 3}]
        if n % 4 == 0:
            seats.append({"seat_type": self.seat_types[WORKSHOP][0], "quantity": 1})
        r = self.http.post(f"{self.url}/api/conferences/{SLUG}/orders", json={"seats": seats})
        r.raise_for_status()
        order_id = r.json()["order_id"]
        owner = {"Authorization": f"Bearer {r.json()['order_token']}"}
        order = self.wait(order_id, owner, ("reserved", "partially_reserved"))
        if not any(item["reserved"] for item in order["items"]):
            return "sold_out"
        self.post(f"/api/orders/{order_id}/registrant",
                  {"first_name": "Reg", "last_name": f"Istrant{n}",
                   "email": f"registrant{n}@example.org"}, owner)
        payment = self.post(f"/api/orders/{order_id}/payment", {"method": "card"}, owner)
        self.post(payment["accept_url"], {})
        self.wait(order_id, owner, ("confirmed",))
        return "partial" if order["status"] == "partially_reserved" else "confirmed"

    def post(self, path: str, body: dict, headers: dict | None = None) -> dict:
        r = self.http.post(self.url + path, json=body, headers=headers)
        if r.status_code >= 400:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        return r.json()

    def wait(self, order_id: str, owner: dict, statuses, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            order = self.http.get(f"{self.url}/api/orders/{order_id}", headers=owner).json()
            if order.get("status") in statuses:
                return order
            time.sleep(POLL_S)
        raise TimeoutError(f"order {order_id} never became {statuses}")


def sold_per_seat_type(database: str, conference_id: str) -> dict[str, int]:
    """Seats of confirmed orders, from the log: every SeatAssignmentsCreated's slots."""
    sold: dict[str, int] = {}
    for (data,) in read_db(database, "SELECT data FROM event WHERE conference = ? AND "
                                     "type = 'SeatAssignmentsCreated'", (conference_id,)):
        for slot in json.loads(data)["slots"]:
            sold[slot["seat_type"]] = sold.get(slot["seat_type"], 0) + 1
    return sold


def assignments(database: str, conference_id: str) -> int:
    return read_db(database, "SELECT COUNT(*) FROM event WHERE conference = ? AND type = "
                             "'SeatAssignmentsCreated'", (conference_id,))[0][0]


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
    stream, causation = columns.index("stream"), columns.index("causation")
    groups = [list(g) for _, g in groupby(rows, key=lambda r: (r[stream], r[causation]))]
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


def main() -> None:
    orders = sized(320, 48)
    work = workdir("registration")
    try:
        hub_dir = os.path.join(work, "hub")
        seat_types = seed(hub_dir, orders)
        database = os.path.join(hub_dir, "hub.sqlite3")
        conference_id = read_db(database, "SELECT id FROM conference")[0][0]
        start = read_db(database, "SELECT MAX(position) FROM event")[0][0]
        server = start_hub(hub_dir, work)
        try:
            note(f"{orders} orders, {CLIENTS} concurrent clients, capacity below demand")
            counter = iter(range(orders))
            lock = threading.Lock()

            def next_order():
                with lock:
                    return next(counter, None)

            outcomes: list = []
            clients = [Registrant(server.url, seat_types, next_order, outcomes)
                       for _ in range(CLIENTS)]
            threads = [threading.Thread(target=c.run) for c in clients]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            confirmed = sum(1 for o, _ in outcomes if o in ("confirmed", "partial"))
            # Seat assignments follow confirmation through the pump: let it finish.
            deadline = time.monotonic() + 60
            while assignments(database, conference_id) < confirmed and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            server.stop()
        if len(outcomes) != orders:
            raise RuntimeError(f"only {len(outcomes)} of {orders} orders finished")
        sold = sold_per_seat_type(database, conference_id)
        oversold = sum(max(0, sold.get(i, 0) - cap) for i, cap in seat_types.values())
        note("baseline: the same events as raw appends")
        raw_s, events, transactions = raw_appends(database, start, work)
        latencies = [s for o, s in outcomes if o != "sold_out"]
        emit("registration", round(confirmed / elapsed, 2), "orders/s",
             round(confirmed / raw_s, 2), round(elapsed / raw_s, 2),
             oversold=oversold, orders=orders, confirmed=confirmed,
             partially_reserved=sum(1 for o, _ in outcomes if o == "partial"),
             sold_out=sum(1 for o, _ in outcomes if o == "sold_out"), clients=CLIENTS,
             seconds=round(elapsed, 2), baseline_seconds=round(raw_s, 2),
             order_p50_s=round(percentile(latencies, 50), 3),
             order_p99_s=round(percentile(latencies, 99), 3),
             events=events, transactions=transactions,
             seats_sold={name: sold.get(i, 0) for name, (i, _) in seat_types.items()},
             capacity={name: cap for name, (_, cap) in seat_types.items()})
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
