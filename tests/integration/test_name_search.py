"""Staff search on a real node replica: names as people say them, the refused scan's
pre-filled search, and a replica projected before the search column existed."""
import sqlite3

import pytest

from tests.support.kiosk_node import csrf_token, kiosk_node, staff_desk, tickets
from tests.support.venue import node_service


def assign(hub, order_index, position, first, last, email):
    order_id = [o.order_id for o in hub.hub.models.OrderView.select()][order_index]
    r = hub.http.put(f"/api/orders/{order_id}/seats/{position}", headers=hub.owner(order_id),
                     json={"first_name": first, "last_name": last, "email": email})
    assert r.status_code < 300, r.text
    hub.pump()


@pytest.fixture
def node(hub, tmp_path):
    assign(hub, 0, 1, "Radia", "Turing", "radia@example.org")
    assign(hub, 1, 1, "Zoë", "Ørsted-Lund", "zoe@example.org")
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


@pytest.fixture
def desk(node):
    return staff_desk(node)


def names(node, typed):
    return sorted(f"{a['first_name']} {a['last_name']}" for a in node.front_desk.search(typed))


@pytest.mark.parametrize("typed", ["radia turing", "Turing R", "TURING radia", "rad"])
def test_staff_find_a_person_by_the_name_as_they_say_it(node, typed):
    assert names(node, typed) == ["Radia Turing"]


@pytest.mark.parametrize("typed", ["Zoe", "zoe orsted", "Lund Zoë", "ORSTEDLUND"])
def test_accents_case_and_hyphens_do_not_hide_anyone(node, typed):
    assert names(node, typed) == ["Zoë Ørsted-Lund"]


def test_words_that_do_not_all_match_find_nobody(node):
    assert names(node, "radia endee") == [] and names(node, "uring") == []


def test_the_refused_scans_prefilled_search_finds_the_person(desk, hub):
    code = tickets(hub)["Radia Turing"]
    desk.post("/staff/scan", data={"code": code, "csrf_token": desk.token})
    refused = desk.post("/staff/scan", data={"code": code, "csrf_token": desk.token})
    assert refused.headers["Location"] == "/staff?q=Radia+Turing"
    page = desk.get(refused.headers["Location"]).get_data(as_text=True)
    assert "already" in page.lower() and "radia@example.org" in page
    assert "Nobody matches" not in page


def test_the_desk_page_and_the_api_search_alike(desk, node):
    page = desk.get("/staff", query_string={"q": "zoe orsted"}).get_data(as_text=True)
    assert "zoe@example.org" in page and "Endee" not in page


def test_a_replica_from_before_the_search_column_is_filled_when_it_opens(hub, tmp_path):
    assign(hub, 0, 1, "Zoë", "Turing", "zt@example.org")
    node = kiosk_node(hub, tmp_path / "old")
    node.close()
    with sqlite3.connect(tmp_path / "old" / "node.sqlite3") as old:   # as an older release left it
        old.execute("ALTER TABLE rm_attendee DROP COLUMN search_text")
        old.execute("DELETE FROM sync_state WHERE key = 'attendee_search_folding'")
    node = node_service(tmp_path / "old", printer={"kind": "dummy"})
    try:
        assert names(node, "zoe turing") == ["Zoë Turing"]
        assert names(node, "att1") == ["Att1 Endee"]
    finally:
        node.close()
