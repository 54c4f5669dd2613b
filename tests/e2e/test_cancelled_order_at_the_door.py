"""A hub and a door as real processes on loopback: the organiser cancels an order through the
management API; once the door syncs it admits nothing on that order's tickets, saying why,
and the seats are on sale again at the hub."""
import pytest
import requests

from tests.support.e2e_venue import Venue, read_db
from tests.support.hub_api import CONFERENCE
from tests.support.processes import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def venue(tmp_path):
    venue = Venue(tmp_path)
    venue.seed(orders=2)
    yield venue
    venue.stop()


def hub_rows(venue, query, params=()):
    return read_db(venue.hub_dir / "hub.sqlite3", query, params)


def test_a_door_admits_nothing_on_a_cancelled_orders_tickets_once_it_syncs(venue):
    venue.enroll("A")
    door = venue.start_node("A")
    assert wait_for(lambda: venue.status(door)["last_sync"], timeout=30)
    tickets = hub_rows(venue, "SELECT order_id, attendee_name, code FROM rm_ticket")
    cancelled = tickets[0][0]
    theirs = [code for order_id, _, code in tickets if order_id == cancelled]
    others = [code for order_id, _, code in tickets if order_id != cancelled]
    assert len(theirs) == 2 and others
    [(email, code)] = hub_rows(venue, "SELECT owner_email, access_code FROM conference")
    url, slug = venue.hub.url, CONFERENCE["slug"]
    free_before = requests.get(f"{url}/api/conferences/{slug}").json()["seat_types"][0]["available"]

    r = requests.post(f"{url}/api/conferences/{slug}/orders/{cancelled}/cancel",
                      json={"reason": "Refund asked by email"}, auth=(email, code), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"

    def door_holds_it():
        db = f"{door.data_dir}/node.sqlite3"
        order = read_db(db, "SELECT status FROM rm_order WHERE order_id = ?", (cancelled,))
        revoked = read_db(db, "SELECT COUNT(*) FROM rm_revoked_code WHERE seat_id LIKE ?",
                          (f"{cancelled}:%",))
        return order == [("cancelled",)] and revoked[0][0] == 2
    assert wait_for(door_holds_it, timeout=30)

    for ticket in theirs:
        decision = venue.scan(door, ticket)
        assert (decision["admitted"], decision["reason"]) == (False, "order_cancelled")
        assert decision["message"] == ("This ticket's order was cancelled. "
                                       "Please see the staff desk.")
    assert venue.scan(door, others[0])["admitted"]

    def seats_back():
        shown = requests.get(f"{url}/api/conferences/{slug}").json()["seat_types"][0]
        return shown["available"] == free_before + 2
    assert wait_for(seats_back, timeout=20)
    detail = requests.get(f"{url}/api/conferences/{slug}/orders/{cancelled}",
                          auth=(email, code), timeout=10).json()
    assert wait_for(lambda: requests.get(f"{url}/api/conferences/{slug}/orders/{cancelled}",
                                         auth=(email, code), timeout=10)
                    .json()["payment_status"] == "refunded", timeout=20)
    assert detail["cancellation"]["by"] == f"owner:{email}"
    # The refused scans reach the hub too: each is a fact the door recorded.
    assert wait_for(lambda: hub_rows(
        venue, "SELECT COUNT(*) FROM event WHERE type = 'TicketScanned' AND data LIKE ?",
        ('%"reason":"order_cancelled"%',))[0][0] == 2, timeout=30)
