"""Zeroconf on loopback: nodes find the hub without configuration, and find each other."""
import json

import pytest

from tests.support.e2e_venue import Venue
from tests.support.faulty_proxy import wait_until
from tests.support.processes import Service, free_port

pytestmark = pytest.mark.slow


def start_discovering_node(venue, name):
    port = free_port()
    node = Service(["node", "run", "--data-dir", str(venue.tmp / name), "--port", str(port),
                    "--sync-interval", "0.3", "--max-backoff", "1",
                    "--zeroconf-interface", "127.0.0.1"], port,
                   venue.tmp / f"{name}.log").wait_ready("/status.json")
    node.data_dir = str(venue.tmp / name)
    venue.nodes[name] = node
    return node


def test_nodes_find_the_hub_and_their_peers_on_the_lan(tmp_path):
    venue = Venue(tmp_path)
    try:
        venue.seed(orders=1)
        for name in ("A", "B"):
            data_dir = venue.enroll(name)
            path = f"{data_dir}/node.json"
            creds = json.load(open(path))
            creds["hub_url"] = "http://127.0.0.1:9"      # what it enrolled with is gone
            json.dump(creds, open(path, "w"))
        a = start_discovering_node(venue, "A")
        b = start_discovering_node(venue, "B")
        assert wait_until(lambda: venue.status(a)["hub_url"] == venue.hub.url, timeout=30)
        assert wait_until(lambda: venue.status(a)["connected"], timeout=30)
        assert wait_until(lambda: b.url in venue.status(a)["peers"], timeout=30)
        assert wait_until(lambda: a.url in venue.status(b)["peers"], timeout=30)
        assert wait_until(venue.converged, timeout=60)
    finally:
        venue.stop()
