"""Doors named by the names the admin gave them: each replica learns its conference's doors
by sync, and says "at Main entrance" in refusals, histories, the hand-over list and logs."""
import logging

import pytest

from tests.support.kiosk_node import csrf_token, node_client, tickets
from tests.support.venue import enroll, node_service

JSON = {"Accept": "application/json"}


@pytest.fixture
def doors(hub, tmp_path):
    enroll(hub, tmp_path / "main", "Main entrance")
    enroll(hub, tmp_path / "bar", "Cocktail bar")
    main = node_service(tmp_path / "main", printer={"kind": "dummy"})
    bar = node_service(tmp_path / "bar", printer={"kind": "dummy"})
    main.sync_hub()
    bar.sync_hub()
    yield main, bar
    main.close()
    bar.close()


def test_a_ticket_used_at_another_door_is_refused_naming_that_door(hub, doors):
    main, bar = doors
    code = tickets(hub)["Att0 Endee"]
    assert main.front_desk.scan(code)["admitted"]
    main.sync_hub()
    hub.pump()
    bar.sync_hub()
    kiosk = node_client(bar)
    kiosk.token = csrf_token(kiosk)
    screen = kiosk.post("/kiosk/scan", data={"code": code, "csrf_token": kiosk.token},
                        headers=JSON).get_json()
    assert screen["tone"] == "refused"
    assert screen["lines"][0].endswith("at Main entrance.") and "door " not in screen["lines"][0]
    seat = bar.front_desk.search("att0")[0]["seat_id"]
    history = bar.front_desk.history(seat)
    assert [c["door"] for c in history["check_ins"]] == ["Main entrance"]
    assert [s["door"] for s in history["scans"]] == ["Main entrance", "this door"]


def test_every_door_learns_the_names_of_the_others(doors):
    main, bar = doors
    assert [d["name"] for d in main.front_desk.doors()] == ["Cocktail bar"]
    assert [d["name"] for d in bar.front_desk.doors()] == ["Main entrance"]
    assert bar.replica.door_name(main.node_id) == "Main entrance"
    assert bar.replica.door_name(bar.node_id) == "Cocktail bar"


def test_a_door_not_yet_named_on_this_replica_shows_the_end_of_its_id(doors):
    _, bar = doors
    assert bar.replica.door_name("0190f1e2-2222-7c4d-8e5f-0a1b2c5b20f3") == "door 5b20f3"


def test_the_log_names_an_unreachable_peer_by_its_door_name(doors, caplog):
    main, bar = doors
    bar.peers = {main.node_id: "http://127.0.0.1:9"}
    with caplog.at_level(logging.INFO, logger="onsite_node.service"):
        assert bar.sync_peers() == 0
    assert "peer Main entrance" in caplog.text


def test_a_rebuilt_projection_names_its_doors_again(doors):
    main, bar = doors
    conn = bar.replica.db.connection()
    with bar.replica.db.atomic():
        bar.replica.views.reset()
        conn.execute("DELETE FROM reader_position WHERE name = ?", (bar.replica.views.name,))
    assert bar.replica.door_name(main.node_id).startswith("door ")
    bar.replica.project()
    assert bar.replica.door_name(main.node_id) == "Main entrance"
