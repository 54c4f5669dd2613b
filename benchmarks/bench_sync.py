"""Figures `first_sync`, `push` and `memory`: one node and a hub process, on loopback.

1. A hub database is seeded with a conference of 20,000 attendees (about 95,000 events, see
   benchmarks/dataset.py) and served by `contoso hub run`. A node is enrolled with
   `contoso hub create-node` + `contoso node enroll`.
2. `first_sync`: the empty node pulls the conference in a child process (the node's real
   NodeService.sync_hub: feed pages of 500, each ingested with its cursor in one
   transaction, then projected). Baseline: the bare sync of benchmarks/bare.py downloading
   the same events from the same file (plain GETs, `executemany`), also in a child.
   Peak memory is the child's own peak RSS (VmHWM).
3. `push`: 10,000 events recorded offline at that node (5,000 admitted scans:
   TicketScanned + AttendeeCheckedIn) go to the hub in one sync cycle; the figure is the
   push part of the cycle (until the last batch is acknowledged). Baseline: the bare client
   POSTs the same events in the same batches to the bare server, which `executemany`s them
   into a file with the same unique indexes: moving the same bytes between two SQLite files.
4. `memory`: `contoso node run` on that replica (20,000 attendees, ~105,000 events), idle
   with the hub answering; its resident memory after several sync cycles.
"""
from __future__ import annotations

import os
import time

import requests

from benchmarks.figures import PI_ZERO_2_W_MB, cleanup, emit, note, sized, workdir
from benchmarks.venue import (Process, enroll_node, free_port, node_database, python_module,
                              read_db, record_offline_scans, run_child, seed_hub,
                              start_hub, start_node)
from onsite_node import credentials as creds_file


def first_sync(work: str, hub, node_dir: str) -> None:
    note("first sync: node pulling the conference")
    ours = run_child(python_module("benchmarks.node_sync", "--data-dir", node_dir))
    held = read_db(node_database(node_dir), "SELECT COUNT(*) FROM event")[0][0]
    attendees = read_db(node_database(node_dir),
                        "SELECT COUNT(*) FROM rm_attendee WHERE email != ''")[0][0]
    note("first sync baseline: bare GETs + executemany")
    bare_port = free_port()
    server = Process(python_module("benchmarks.bare", "serve", "--db", hub.database,
                                   "--port", str(bare_port)),
                     bare_port, os.path.join(work, "bare.log")).wait_ready("/feed?after=0")
    try:
        bare = run_child(python_module(
            "benchmarks.bare", "download", "--url", server.url,
            "--db", os.path.join(work, "bare-download.sqlite3")))
    finally:
        server.stop()
    emit("first_sync", round(ours["seconds"], 2), "s", round(bare["seconds"], 2),
         round(ours["seconds"] / bare["seconds"], 2),
         events=ours["pulled"], events_per_s=round(ours["pulled"] / ours["seconds"]),
         baseline_events_per_s=round(bare["downloaded"] / bare["seconds"]),
         peak_rss_mb=round(ours["peak_rss_kb"] / 1024, 1),
         baseline_peak_rss_mb=round(bare["peak_rss_kb"] / 1024, 1),
         attendees=attendees, replica_events=held,
         bytes_in=ours["bytes_in"], baseline_bytes_in=bare["bytes_in"],
         requests=ours["requests"])


def push(work: str, hub, node_dir: str, events: int) -> None:
    written = record_offline_scans(node_dir, hub.attendees, range(events // 2))
    note(f"push: {written} offline events to the hub")
    ours = run_child(python_module("benchmarks.node_sync", "--data-dir", node_dir))
    note("push baseline: bare POSTs + executemany")
    origin = creds_file.load(node_dir)["origin"]
    bare_port = free_port()
    server = Process(python_module("benchmarks.bare", "serve", "--db",
                                   os.path.join(work, "bare-push.sqlite3"), "--create",
                                   "--port", str(bare_port)),
                     bare_port, os.path.join(work, "bare.log")).wait_ready("/feed?after=0")
    try:
        bare = run_child(python_module(
            "benchmarks.bare", "upload", "--url", server.url,
            "--source", node_database(node_dir), "--origin", origin))
    finally:
        server.stop()
    hub_holds = read_db(hub.database, "SELECT COUNT(*) FROM event WHERE origin = ?",
                        (origin,))[0][0]
    emit("push", round(ours["pushed"] / ours["push_seconds"]), "events/s",
         round(bare["uploaded"] / bare["seconds"]),
         round(ours["push_seconds"] / bare["seconds"], 2),
         events=ours["pushed"], seconds=round(ours["push_seconds"], 2),
         baseline_seconds=round(bare["seconds"], 2), hub_holds=hub_holds,
         bytes_out=ours["bytes_out"], baseline_bytes_out=bare["bytes_out"],
         cycle_seconds=round(ours["seconds"], 2))


def memory(work: str, hub_url: str, node_dir: str, idle_seconds: float) -> None:
    note(f"memory: idle node for {idle_seconds:.0f} s")
    node = start_node(node_dir, hub_url, work, sync_interval=2.0)
    try:
        samples = []
        deadline = time.monotonic() + idle_seconds
        while time.monotonic() < deadline:
            time.sleep(0.5)
            samples.append(node.memory_kb())
        status = requests.get(node.url + "/status", timeout=10).json()
    finally:
        node.stop()
    rss_mb = samples[-1]["VmRSS"] / 1024
    emit("memory", round(rss_mb, 1), "MB", None, None,
         peak_rss_mb=round(max(s["VmHWM"] for s in samples) / 1024, 1),
         budget_mb=PI_ZERO_2_W_MB, budget_share=round(rss_mb / PI_ZERO_2_W_MB, 3),
         replica_events=status.get("events"), connected=status.get("connected"),
         idle_seconds=idle_seconds,
         replica_mb=round(os.path.getsize(node_database(node_dir)) / 2**20, 1))


def main() -> None:
    attendees = sized(20_000, 2_000)
    offline = sized(10_000, 1_000)
    work = workdir("sync")
    try:
        note(f"seeding a hub with {attendees} attendees")
        hub = seed_hub(os.path.join(work, "hub"), attendees)
        note(f"hub seeded: {hub.events} events in {hub.seconds:.1f} s")
        server = start_hub(hub.data_dir, work)
        try:
            node_dir = os.path.join(work, "door-a")
            enroll_node(hub, server.url, "Door A", node_dir)
            first_sync(work, hub, node_dir)
            push(work, hub, node_dir, offline)
            memory(work, server.url, node_dir, sized(12, 4))
        finally:
            server.stop()
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
