"""On-site sales with real processes: allocations, a hand-over with the hub down, no oversell."""
import pytest
import requests

from tests.support.e2e_venue import Venue, contoso, read_db
from tests.support.faulty_proxy import FaultyProxy, wait_until
from tests.support.processes import free_port

pytestmark = pytest.mark.slow
STAFF = {"X-Staff-Pin": "2468", "X-Staff-Name": "Pat Planner"}
BUYER = {"first_name": "Walk", "last_name": "In", "email": "walk.in@example.org"}


def offer(node):
    r = requests.get(f"{node.url}/api/sales/offer", headers=STAFF, timeout=5)
    return {s["name"]: s for s in r.json()["seat_types"]}


def sell(node, seat_type, quantity):
    return requests.post(f"{node.url}/api/sales", headers=STAFF, timeout=10, json={
        "buyer": BUYER, "seats": {seat_type: quantity}, "payment_method": "cash"})


def test_doors_sell_from_allocations_and_hand_seats_over_with_the_hub_down(tmp_path):
    venue = Venue(tmp_path)
    try:
        venue.seed(orders=1)
        proxy = FaultyProxy(venue.hub.url)
        ports = {"A": free_port(), "B": free_port()}
        for name in ports:
            venue.enroll(name)
        for name, other in (("A", "B"), ("B", "A")):
            venue.start_node(name, hub_url=proxy.url, port=ports[name],
                             peers=[f"http://127.0.0.1:{ports[other]}"],
                             extra=["--staff-pin", "2468"])
        a, b = venue.nodes["A"], venue.nodes["B"]
        contoso("hub", "allocate", "--data-dir", str(venue.hub_dir), "--conference", "cqrs2026",
                "--node", "A", "--seat-type", "General admission", "--quantity", "3")
        assert wait_until(lambda: offer(a).get("General admission", {}).get("left") == 3, 30)
        seat_type = offer(a)["General admission"]["seat_type"]
        assert sell(a, seat_type, 2).status_code == 201

        proxy.down = True                                 # the venue's internet is cut
        node_b = venue.status(b)["node_id"]
        r = requests.post(f"{a.url}/api/allocation/hand-over", headers=STAFF, timeout=10,
                          json={"to_node_id": node_b, "seat_type": seat_type, "quantity": 1})
        assert r.status_code == 200
        assert wait_until(lambda: offer(b).get("General admission", {}).get("left") == 1, 20)
        assert sell(b, seat_type, 1).status_code == 201
        refused = sell(b, seat_type, 1)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "allocation_exhausted"
        assert "Only 0 seats of General admission left" in refused.json()["error"]["message"]

        proxy.heal()
        assert wait_until(venue.converged, timeout=60)
        hub_db = venue.hub_dir / "hub.sqlite3"
        assert wait_until(lambda: read_db(hub_db, "SELECT COUNT(*) FROM rm_order "
                                                  "WHERE sold_on_site_by != ''")[0][0] == 2, 20)
        sold = read_db(hub_db, "SELECT SUM(sold) FROM node_ledger")[0][0]
        assert sold == 3
        assert read_db(hub_db, "SELECT COUNT(*) FROM conflict")[0][0] == 0
        proxy.stop()
    finally:
        venue.stop()
