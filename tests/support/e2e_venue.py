"""A venue of real processes on loopback: a hub, nodes enrolled with it, HTTP between them."""
import json
import os
import sqlite3
import subprocess
import sys

import requests

from tests.support.door_copies import door_copies
from tests.support.hub_api import CONFERENCE, SEAT_TYPES
from tests.support.processes import ROOT, Service, free_port, start_hub, wait_for


def contoso(*args) -> str:
    done = subprocess.run([sys.executable, "-m", "contoso", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def read_db(path, query, params=()):
    """Read a replica's SQLite file while its process runs (WAL allows it)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


class Venue:
    def __init__(self, tmp_path, hub_args=()):
        """hub_args: more options of `contoso hub run` (e.g. --no-worker)."""
        self.tmp = tmp_path
        self.hub_dir = tmp_path / "hub"
        self.hub = start_hub(self.hub_dir, tmp_path / "hub.log", *hub_args)
        self.nodes = {}

    # --- the hub ------------------------------------------------------------------

    def seed(self, orders=4):
        """A published conference with paid orders whose seats are assigned."""
        url = self.hub.url
        r = requests.post(f"{url}/api/conferences", json=CONFERENCE)
        auth = (CONFERENCE["owner_email"], r.json()["access_code"])
        slug = CONFERENCE["slug"]
        ga = requests.post(f"{url}/api/conferences/{slug}/seat-types", json=SEAT_TYPES[0],
                           auth=auth).json()["id"]
        requests.post(f"{url}/api/conferences/{slug}/publish", auth=auth)
        for n in range(orders):
            order = requests.post(f"{url}/api/conferences/{slug}/orders",
                                  json={"seats": [{"seat_type": ga, "quantity": 2}]}).json()
            oid = order["order_id"]
            owner = requests.Session()     # the registrant: the order's token on every call
            owner.headers["Authorization"] = f"Bearer {order['order_token']}"
            wait_for(lambda: owner.get(f"{url}/api/orders/{oid}").json()["status"] == "reserved")
            owner.post(f"{url}/api/orders/{oid}/registrant",
                       json={"first_name": "R", "last_name": str(n), "email": f"r{n}@x.org"})
            pay = owner.post(f"{url}/api/orders/{oid}/payment", json={"method": "card"}).json()
            requests.post(url + pay["accept_url"])
            wait_for(lambda: owner.get(f"{url}/api/orders/{oid}/seats").json()["seats"])
            for p in (0, 1):
                owner.put(f"{url}/api/orders/{oid}/seats/{p}",
                          json={"first_name": f"Guest{n}{p}", "last_name": "Venue",
                                "email": f"g{n}{p}@x.org"})
        wait_for(lambda: len(self.tickets()) == orders * 2)
        return slug

    def tickets(self) -> dict[str, str]:
        rows = read_db(self.hub_dir / "hub.sqlite3", "SELECT attendee_name, code FROM rm_ticket")
        return dict(rows)

    def restart_hub(self, kill=False):
        self.hub.kill() if kill else self.hub.stop()
        port = self.hub.port
        self.hub = Service(["hub", "run", "--data-dir", str(self.hub_dir), "--port", str(port),
                            "--zeroconf-interface", "127.0.0.1"], port,
                           self.tmp / "hub.log").wait_ready()

    # --- nodes ----------------------------------------------------------------------

    def enroll(self, name) -> str:
        out = contoso("hub", "create-node", "--data-dir", str(self.hub_dir),
                      "--conference", CONFERENCE["slug"], "--name", name)
        code = out.split("Enrollment code (one use, valid 24 hours): ")[1].split()[0]
        data_dir = self.tmp / name.replace(" ", "_")
        contoso("node", "enroll", "--hub", self.hub.url, "--code", code, "--data-dir", str(data_dir))
        return str(data_dir)

    def start_node(self, name, *, hub_url=None, peers=(), port=None, data_dir=None, extra=()):
        data_dir = data_dir or str(self.tmp / name.replace(" ", "_"))
        port = port or free_port()
        args = ["node", "run", "--data-dir", data_dir, "--port", str(port),
                "--hub", hub_url or self.hub.url, "--sync-interval", "0.3", "--max-backoff", "1.5",
                "--no-discovery"]
        for peer in peers:
            args += ["--peer", peer]
        args += list(extra)
        node = Service(args, port, self.tmp / f"{name}.log").wait_ready("/status")
        node.data_dir = data_dir
        self.nodes[name] = node
        return node

    def scan(self, node, code):
        return requests.post(f"{node.url}/api/scan", json={"code": code}, timeout=10).json()

    # --- what the replicas hold ---------------------------------------------------------

    def events(self, db_path) -> set:
        return set(read_db(db_path, "SELECT origin, seq, payload_hash FROM event"))

    def node_events(self, node):
        return self.events(os.path.join(node.data_dir, "node.sqlite3"))

    def hub_events(self):
        conference = read_db(self.hub_dir / "hub.sqlite3", "SELECT id FROM conference")[0][0]
        return door_copies(str(self.hub_dir / "hub.sqlite3"), conference)

    def converged(self) -> bool:
        hub = self.hub_events()
        return all(self.node_events(n) == hub for n in self.nodes.values())

    def check_ins(self, node):
        return set(read_db(os.path.join(node.data_dir, "node.sqlite3"),
                           "SELECT scan_nonce, seat_id, undone FROM rm_check_in"))

    def status(self, node):
        return requests.get(f"{node.url}/status", timeout=5).json()

    def stop(self):
        for node in self.nodes.values():
            node.stop()
        self.hub.stop()


def json_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]
