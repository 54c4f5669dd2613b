"""Figure `convergence`: three nodes offline with 1,000 events each, then the network heals.

A hub process serves a conference (3,000 ticketed attendees, written in bulk); three
`contoso node run` processes are enrolled and reach the hub through a TCP relay
(benchmarks/relay.py), the venue's uplink. Once each node holds the conference, the
relay cuts the link, the nodes are stopped, 500 admitted scans are recorded at each
(TicketScanned + AttendeeCheckedIn, as `CheckInDesk.scan` records them, written straight
into its store: 1,000 events per node; one node rescans 10 % of another's tickets, so the
hub has double check-ins to find), and the nodes start again, offline. (Scanning through
`/api/scan` would also print a badge per scan and add BadgePrinted events while the
printer works through its queue.) Then the link heals; the
figure is the time from healing until every replica and the hub hold the same events
(per origin: the same highest seq and count; then the full (origin, seq, payload hash)
sets are compared once).

The nodes run with `--sync-interval 0.5 --max-backoff 1` (the defaults are 5 s and 300 s),
so the figure measures the protocol and not the timers; it still includes up to one
retry wait and one interval, which the baseline does not have.

Baseline: moving the same bytes with bare HTTP calls (benchmarks/bare.py) through the same
relay: three bare clients start together, each POSTs its node's 1,000 events to a bare
server and GETs the feed into a fresh file until it holds all 3,000.
"""
from __future__ import annotations

import os
import signal
import threading
import time

import requests

from tests.support.door_copies import door_copies

from benchmarks.figures import cleanup, emit, note, sized, workdir
from benchmarks.venue import (Process, enroll_node, free_port, node_database, python_module,
                              read_db, record_offline_scans, run_child, seed_hub,
                              start_hub, start_node)

SYNC_INTERVAL, MAX_BACKOFF = 0.5, 1.0
NODES = ("door-a", "door-b", "door-c")


def relay(listen: int, target: int, log_dir: str) -> Process:
    proc = Process(python_module("benchmarks.relay", "--listen", str(listen), "--target",
                                 str(target)), listen, os.path.join(log_dir, "relay.log"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(proc.url + "/sync/v1/time", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.05)
    raise TimeoutError("relay not listening")


def summary(database: str, conference: str) -> dict:
    return {o: (s, c) for o, s, c in read_db(
        database, "SELECT origin, MAX(seq), COUNT(*) FROM event WHERE conference = ? "
                  "GROUP BY origin", (conference,))}


def full_set(database: str, conference: str) -> set:
    """(origin, seq, payload_hash) of every event, as a door holds it (the hub keeps some
    fields back from doors: tests/support/door_copies.py)."""
    return door_copies(database, conference)


def wait_for(predicate, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise TimeoutError(f"{predicate.__name__} not reached within {timeout} s")


def our_convergence(work: str, hub, scans: int) -> tuple[float, dict]:
    server = start_hub(hub.data_dir, work)
    link_port = free_port()
    link = relay(link_port, server.port, work)
    nodes: dict[str, Process] = {}
    try:
        dirs = {name: os.path.join(work, name) for name in NODES}
        origins = {name: enroll_node(hub, server.url, name, d)["origin"]
                   for name, d in dirs.items()}
        for name, d in dirs.items():
            nodes[name] = start_node(d, link.url, work, sync_interval=SYNC_INTERVAL,
                                     max_backoff=MAX_BACKOFF)
        note("nodes pulling the conference")

        def all_hold_conference():
            want = hub.events
            return all(read_db(node_database(d), "SELECT COUNT(*) FROM event")[0][0] >= want
                       for d in dirs.values())
        wait_for(all_hold_conference, 300, 0.2)
        for node in nodes.values():
            node.stop()
        link.signal(signal.SIGUSR2)
        note(f"link cut; {scans} scans recorded at each node")
        overlap = scans // 10
        plan = {"door-a": range(scans), "door-b": range(scans, 2 * scans),
                "door-c": [*range(2 * scans, 3 * scans - overlap), *range(overlap)]}
        for name, d in dirs.items():
            record_offline_scans(d, hub.attendees, plan[name])
        for name, d in dirs.items():
            nodes[name] = start_node(d, link.url, work, sync_interval=SYNC_INTERVAL,
                                     max_backoff=MAX_BACKOFF)
        for name, d in dirs.items():
            held = read_db(node_database(d), "SELECT COUNT(*) FROM event WHERE origin = ?",
                           (origins[name],))[0][0]
            if held != 2 * scans:
                raise RuntimeError(f"{name} holds {held} events of its own, not {2 * scans}")
        time.sleep(2 * MAX_BACKOFF)   # every node is in its retry back-off now
        note("link healed; waiting for agreement")
        healed = time.perf_counter()
        link.signal(signal.SIGUSR1)

        milestones: dict[str, float] = {}

        def agree():
            hub_view = summary(hub.database, hub.conference_id)
            if "hub_has_all_s" not in milestones and all(
                    hub_view.get(o, (0, 0))[1] == 2 * scans for o in origins.values()):
                milestones["hub_has_all_s"] = round(time.perf_counter() - healed, 2)
            return all(summary(node_database(d), hub.conference_id) == hub_view
                       for d in dirs.values())
        wait_for(agree, 300)
        seconds = time.perf_counter() - healed
        reference = full_set(hub.database, hub.conference_id)
        identical = all(full_set(node_database(d), hub.conference_id) == reference
                        for d in dirs.values())
        time.sleep(1.0)  # the hub's check-in rules run after it acknowledged
        conflicts = read_db(hub.database, "SELECT COUNT(*) FROM conflict WHERE kind = "
                                          "'double_check_in'")[0][0]
        return seconds, {**milestones, "identical": identical,
                         "double_check_ins_found": conflicts,
                         "dirs": dirs, "origins": origins}
    finally:
        for node in nodes.values():
            node.stop()
        link.stop()
        server.stop()


def bare_convergence(work: str, dirs: dict, origins: dict, expect: int) -> float:
    port = free_port()
    server = Process(python_module("benchmarks.bare", "serve", "--db",
                                   os.path.join(work, "bare-hub.sqlite3"), "--create",
                                   "--port", str(port)),
                     port, os.path.join(work, "bare.log")).wait_ready("/feed?after=0")
    link_port = free_port()
    link = relay(link_port, port, work)
    try:
        start_at = time.time() + 3.0
        results: list[dict] = []
        threads = [threading.Thread(target=lambda n=n: results.append(run_child(python_module(
            "benchmarks.bare", "sync", "--url", link.url, "--source", node_database(dirs[n]),
            "--origin", origins[n], "--db", os.path.join(work, f"bare-{n}.sqlite3"),
            "--expect", str(expect), "--start-at", str(start_at))))) for n in NODES]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(results) != len(NODES):
            raise RuntimeError("a bare client failed")
        return max(r["finished"] for r in results) - start_at
    finally:
        link.stop()
        server.stop()


def main() -> None:
    per_node = sized(1000, 200)
    scans = per_node // 2
    work = workdir("convergence")
    try:
        hub = seed_hub(os.path.join(work, "hub"), 3 * scans)
        note(f"hub seeded: {hub.events} events")
        seconds, extra = our_convergence(work, hub, scans)
        note("baseline: bare HTTP calls moving the same events")
        baseline = bare_convergence(work, extra.pop("dirs"), extra.pop("origins"),
                                    len(NODES) * per_node)
        emit("convergence", round(seconds, 2), "s", round(baseline, 2),
             round(seconds / baseline, 2), nodes=len(NODES), events_per_node=per_node,
             sync_interval_s=SYNC_INTERVAL, max_backoff_s=MAX_BACKOFF,
             conference_events=hub.events, **extra)
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
