"""Real `contoso` processes on loopback for the benchmarks: a seeded hub, enrolled nodes."""
from __future__ import annotations

import base64
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass

import requests

from benchmarks.dataset import (Attendees, SeatTypeInfo, TicketKey, bulk_append,
                                order_events)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "bench26"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


class Process:
    """A child process serving HTTP on loopback; its log goes to a file in the work folder."""

    def __init__(self, argv: list[str], port: int | None, log_path: str,
                 env: dict[str, str] | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, path: str, timeout: float = 60) -> "Process":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.url} exited with {self.proc.returncode}; "
                                   f"see {self.log.name}")
            try:
                if requests.get(self.url + path, timeout=2).status_code < 500:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise TimeoutError(f"{self.url}{path} not ready; see {self.log.name}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of this process and every descendant alive now, from
        /proc: what the hub spent, whatever else the machine was doing meanwhile."""
        return tree_cpu_seconds(self.pid)

    def memory_kb(self) -> dict[str, int]:
        """VmRSS (resident now) and VmHWM (peak resident) from /proc."""
        out = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0])
        return out

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def contoso(*args: str) -> str:
    done = subprocess.run(python_module("contoso", *args), cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"contoso {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def run_child(argv: list[str]) -> dict:
    """Run a benchmark child to its end and return the JSON line it printed last.

    Children report their own peak RSS (`benchmarks.figures.peak_rss_kb`).
    """
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:])} exited with {done.returncode}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


# --- the hub ---------------------------------------------------------------------------

@dataclass
class SeededHub:
    data_dir: str
    conference_id: str
    slug: str
    attendees: Attendees
    events: int
    seconds: float

    @property
    def database(self) -> str:
        return os.path.join(self.data_dir, "hub.sqlite3")


def seed_hub(data_dir: str, attendees: int, *, capacity: int | None = None) -> SeededHub:
    """A hub database holding a published conference whose `attendees` seats are sold,
    assigned and ticketed (events written in bulk: see benchmarks/dataset.py)."""
    from hub.conferences import management
    from hub.venue import nodes
    from hub.bootstrap import HubConfig, bootstrap
    from event_store.readers import ReaderPositions

    started = time.perf_counter()
    hub = bootstrap(HubConfig(data_dir=data_dir))
    conference, _ = management.create_conference(hub, {
        "name": "Contoso Benchmark Conference", "slug": SLUG, "location": "Redmond",
        "description": "Figures that say how fast.", "start_date": "2026-12-08",
        "end_date": "2026-12-09", "owner_name": "Contoso Events",
        "owner_email": "owner@contoso.example"})
    row = management.create_seat_type(hub, conference, {
        "name": "General admission", "description": "All talks, both days",
        "quantity": capacity or attendees + 1000, "price": 199})
    management.publish(hub, conference)
    nodes.ensure_conference_keys(hub, conference.id)
    hub.run_until_idle()
    K = hub.models.ConferenceKey
    key = K.get(K.conference_id == conference.id)
    ticket_key = TicketKey(key.key_id, base64.urlsafe_b64decode(key.private_key))
    made = Attendees()
    seat_type = SeatTypeInfo(row.id, row.name, row.price_cents)
    events = order_events(conference.id, seat_type, attendees, ticket_key, hub.clock(), made)
    bulk_append(hub.store, events, origin=f"hub/{conference.id}", conference=conference.id,
                sign_row=hub.event_signers.sign_row(conference.id))
    # The hub's own readers (process manager, ticket issuer, read models) would otherwise
    # replay the orders at start; the events already are what they would have produced.
    last = hub.store.last_position()
    with hub.db.atomic():
        for reader in hub.readers:
            ReaderPositions(hub.store).set(reader.name, last)
    total = hub.store.count(conference.id)
    hub.close()
    return SeededHub(data_dir, conference.id, SLUG, made, total,
                     time.perf_counter() - started)


def start_hub(data_dir: str, log_dir: str, port: int | None = None, *,
              options: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Process:
    """`contoso hub run` on loopback, with extra `options` (e.g. `--db URL`) and variables."""
    port = port or free_port()
    return Process(python_module("contoso", "hub", "run", "--data-dir", data_dir, "--port",
                                 str(port), "--no-discovery", *options),
                   port, os.path.join(log_dir, "hub.log"), env).wait_ready("/sync/v1/time")


def hub_help(*command: str) -> str:
    """The help text of `contoso hub <command>`: which options this version of the hub has."""
    return contoso("hub", *command, "--help")


def enroll_node(hub: SeededHub, hub_url: str, name: str, data_dir: str) -> dict:
    """`contoso hub create-node` then `contoso node enroll`; return the node's credentials."""
    out = contoso("hub", "create-node", "--data-dir", hub.data_dir, "--conference", hub.slug,
                  "--name", name)
    code = out.split("Enrollment code (one use, valid 24 hours): ")[1].split()[0]
    contoso("node", "enroll", "--hub", hub_url, "--code", code, "--data-dir", data_dir)
    with open(os.path.join(data_dir, "node.json")) as f:
        return json.load(f)


def start_node(data_dir: str, hub_url: str, log_dir: str, *, sync_interval: float = 5.0,
               max_backoff: float = 300.0) -> Process:
    port = free_port()
    name = os.path.basename(data_dir.rstrip("/"))
    return Process(python_module("contoso", "node", "run", "--data-dir", data_dir, "--port",
                                 str(port), "--hub", hub_url, "--no-discovery",
                                 "--sync-interval", str(sync_interval),
                                 "--max-backoff", str(max_backoff)),
                   port, os.path.join(log_dir, f"{name}.log")).wait_ready("/status")


def record_offline_scans(node_dir: str, attendees: Attendees, which) -> int:
    """Admitted scans of these attendees' tickets, recorded at a stopped node as its own facts
    (TicketScanned + AttendeeCheckedIn each, as `CheckInDesk.scan` records them), written in
    bulk and projected; return how many events."""
    from onsite_node import credentials as creds_file
    from onsite_node.replica import Replica
    from shared_domain import checkin

    credentials = creds_file.load(node_dir)
    replica = Replica(node_dir, credentials)
    origin, node_id = credentials["origin"], credentials["node_id"]
    at = replica.clock().isoformat()

    def facts():
        for i in which:
            code, seat, name = attendees.codes[i], attendees.seats[i], attendees.names[i]
            nonce, digest = f"{node_id[-8:]}-scan-{i:06d}", checkin.code_digest(code)
            yield f"edge-{origin}", checkin.TicketScanned(nonce, digest, seat, node_id, at,
                                                          "admitted", "admitted")
            yield f"edge-{origin}", checkin.AttendeeCheckedIn(seat, node_id, at, nonce, name,
                                                              digest)

    written = bulk_append(replica.store, facts(), origin=origin,
                          conference=credentials["conference"]["id"])
    replica.project()
    replica.close()
    return written


# --- reading a replica while its process runs (WAL allows it) ---------------------------

def read_db(path: str, query: str, params=()) -> list[tuple]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def node_database(data_dir: str) -> str:
    return os.path.join(data_dir, "node.sqlite3")


def tree_cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its live descendants (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue   # it ended meanwhile
    return total
