"""A hub and nodes as real processes on loopback; faults, kill -9 and a hub outage injected.

Afterwards every replica holds the same events (by origin, seq and payload hash), none
lost, none twice, and the nodes' check-in views agree."""
import os
import signal

import pytest

from tests.support.e2e_venue import Venue, read_db
from tests.support.faulty_proxy import FaultyProxy, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def venue(tmp_path):
    venue = Venue(tmp_path)
    venue.seed(orders=3)
    yield venue
    venue.stop()


def garbage_scans(venue, node, prefix, count):
    """Refused scans are facts too: each one is an event the hub must end up with."""
    for n in range(count):
        assert not venue.scan(node, f"{prefix}-{n}")["admitted"]


def test_a_lossy_duplicating_network_loses_nothing_and_counts_nothing_twice(venue):
    proxies = {name: FaultyProxy(venue.hub.url, seed=i, drop_request=0.2, drop_reply=0.2,
                                 duplicate=0.2) for i, name in enumerate(["A", "B"])}
    for name in proxies:
        venue.enroll(name)
        venue.start_node(name, hub_url=proxies[name].url)
    a, b = venue.nodes["A"], venue.nodes["B"]
    codes = venue.tickets()
    guest_a, guest_b = sorted(codes)[:2]
    assert venue.scan(a, codes[guest_a])["admitted"]
    assert venue.scan(b, codes[guest_b])["admitted"]
    garbage_scans(venue, a, "A", 40)
    garbage_scans(venue, b, "B", 40)
    # Let the faulty network carry traffic for a while, then heal it.
    wait_until(lambda: sum(p.counts["drop_reply"] for p in proxies.values()) >= 3, timeout=30)
    for proxy in proxies.values():
        proxy.heal()
    assert wait_until(venue.converged, timeout=60)
    faults = {k: sum(p.counts[k] for p in proxies.values())
              for k in ("drop_request", "drop_reply", "duplicate")}
    assert all(faults.values()), faults  # every kind of fault really happened
    hub = venue.hub_events()
    assert len({(o, s) for o, s, _ in hub}) == len(hub)
    for node in (a, b):
        origin = venue.status(node)["origin"]
        seqs = sorted(s for o, s, _ in hub if o == origin)
        # 40 refused scans, one admitted scan and its check-in, its badge print
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 42
    assert venue.check_ins(a) == venue.check_ins(b) and len(venue.check_ins(a)) == 2
    for proxy in proxies.values():
        proxy.stop()


def test_kill_9_of_node_and_hub_mid_sync_loses_nothing(venue):
    venue.enroll("A")
    a = venue.start_node("A")
    wait_until(lambda: venue.status(a)["last_sync"], timeout=20)
    a.stop()
    # Many facts while the node is down... recorded by a node process started without the hub
    a = venue.start_node("A", hub_url="http://127.0.0.1:9")  # nothing listens on port 9
    garbage_scans(venue, a, "offline", 1200)
    a.stop()
    a = venue.start_node("A")
    origin = venue.status(a)["origin"]

    def pushed():
        rows = read_db(venue.hub_dir / "hub.sqlite3",
                       "SELECT COUNT(*) FROM event WHERE origin = ?", (origin,))
        return rows[0][0]

    wait_until(lambda: pushed() > 0, timeout=30, interval=0.01)
    os.kill(a.proc.pid, signal.SIGKILL)   # the node dies in the middle of pushing
    a.proc.wait()
    a.log.close()
    venue.restart_hub(kill=True)          # and so does the hub
    a = venue.start_node("A")
    assert wait_until(venue.converged, timeout=60)
    assert wait_until(lambda: pushed() == 1200, timeout=10)
    assert wait_until(lambda: venue.status(a)["events_waiting"] == 0, timeout=20)


def test_with_the_hub_down_doors_gossip_and_the_hub_catches_up_later(venue):
    proxy = FaultyProxy(venue.hub.url)
    venue.enroll("A")
    venue.enroll("B")
    from tests.support.processes import free_port
    port_a, port_b = free_port(), free_port()
    a = venue.start_node("A", hub_url=proxy.url, port=port_a, peers=[f"http://127.0.0.1:{port_b}"])
    b = venue.start_node("B", hub_url=proxy.url, port=port_b, peers=[f"http://127.0.0.1:{port_a}"])
    assert wait_until(venue.converged, timeout=30)
    proxy.down = True                      # the venue's internet is cut
    code = venue.tickets()[sorted(venue.tickets())[0]]
    assert venue.scan(a, code)["admitted"]
    # Within seconds the other door refuses the same ticket, with no hub.
    assert wait_until(lambda: len(venue.check_ins(b)) == 1, timeout=15)
    refused = venue.scan(b, code)
    assert refused["reason"] == "already_checked_in"
    garbage_scans(venue, b, "B", 10)
    assert wait_until(lambda: not venue.status(a)["connected"], timeout=10)
    proxy.heal()
    assert wait_until(venue.converged, timeout=60)
    proxy.stop()
