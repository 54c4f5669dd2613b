"""Sync protocol v1 between a hub served over real HTTP and node replicas in this process."""
import json
import os
import shutil
import stat
import time

import pytest
import requests

import contoso
from hub.venue import nodes
from onsite_node import credentials as creds_file
from sync_protocol.client import SyncClient
from sync_protocol.signing import HEADER_NONCE, signed_headers
from sync_protocol.wire import ProtocolError
from tests.support.door_facts import scan_envelope, scans
from tests.support.servers import ThreadedServer
from tests.support.venue import enroll, node_service


def facts(node, n, start=0):
    return scans(node.node_id, n, start)


def hub_events_from(hub, origin):
    E = hub.hub.store.models.EventRecord
    return list(E.select().where(E.origin == origin).order_by(E.seq))


# --- enrollment ---------------------------------------------------------------------

def test_enrollment_stores_credentials_readable_by_the_owner_only(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    path = creds_file.path_in(str(tmp_path / "a"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    creds = json.load(open(path))
    assert creds["epoch"] == 1 and creds["origin"] == f"{creds['node_id']}:1"
    assert creds["conference"]["slug"] == "cqrs2026"
    assert creds["ticket_public_keys"] and creds["venue_key"] and creds["secret"]


def test_an_enrollment_code_works_once(hub, tmp_path):
    code = enroll(hub, tmp_path / "a")
    assert contoso.main(["node", "enroll", "--hub", hub.url, "--code", code,
                         "--data-dir", str(tmp_path / "b")]) == 1
    assert not os.path.exists(creds_file.path_in(str(tmp_path / "b")))


def test_an_expired_enrollment_code_is_refused(hub, tmp_path, clock):
    _, code = nodes.create_node(hub.hub, hub.conference, "Door B")
    clock.offset = 25 * 3600
    r = requests.post(hub.url + "/sync/v1/enroll", json={"protocol": 1, "code": code})
    assert r.status_code == 403 and r.json()["error"]["code"] == "enrollment_expired"


# --- first sync, push, duplicates ---------------------------------------------------------

def test_first_sync_pulls_the_conference_and_projects_attendees(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    report = node.sync_hub()
    assert report.pulled == hub.hub.store.count(hub.conference.id)
    A = node.replica.models.AttendeeView
    assert {a.email for a in A.select() if a.email} == {"a0@example.org", "a1@example.org",
                                                        "a2@example.org"}
    assert node.replica.models.ConferenceView.get().slug == "cqrs2026"
    assert node.sync_hub().pulled == 0  # nothing new: nothing applied twice
    node.close()


def test_first_sync_is_resumable_after_a_failure_mid_way(hub, tmp_path, monkeypatch):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    total = hub.hub.store.count(hub.conference.id)
    calls = {"n": 0}
    real_feed = SyncClient.feed

    def failing_feed(self, after, limit):
        calls["n"] += 1
        if calls["n"] == 3:
            raise requests.ConnectionError("cable pulled")
        return real_feed(self, after, 10)

    monkeypatch.setattr(SyncClient, "feed", failing_feed)
    with pytest.raises(requests.ConnectionError):
        node.sync_hub()
    assert node.replica.store.count() == 20  # two pages of ten committed with their cursor
    monkeypatch.setattr(SyncClient, "feed", lambda self, after, limit: real_feed(self, after, 10))
    node.sync_hub()
    assert node.replica.store.count() == total
    node.close()


def test_node_facts_are_pushed_once_whatever_is_resent(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    node.sync_hub()
    stored = node.replica.record(facts(node, 1200))
    report = node.sync_hub()
    assert report.pushed == 1200
    assert [e.seq for e in hub_events_from(hub, node.replica.origin)] == list(range(1, 1201))
    client = node.hub_client()
    from sync_protocol.wire import to_wire
    again = client.push([to_wire(e) for e in stored[:300]])
    assert again["duplicates"] == 300 and again["acked_through"] == {node.replica.origin: 1200}
    assert len(hub_events_from(hub, node.replica.origin)) == 1200
    assert node.status()["events_waiting"] == 0
    node_row = hub.hub.models.Node.get_by_id(node.node_id)
    assert node_row.last_contact and node_row.clock_offset is not None
    node.close()


def test_the_feed_leaves_out_a_nodes_own_facts_and_moves_past_them(hub, tmp_path):
    enroll(hub, tmp_path / "a", "Door A")
    enroll(hub, tmp_path / "b", "Door B")
    a, b = node_service(tmp_path / "a"), node_service(tmp_path / "b")
    a.sync_hub()
    a.replica.record(facts(a, 40))
    a.sync_hub()
    b.sync_hub()
    assert b.replica.store.version_vector()[a.replica.origin] == 40   # others get them
    page = a.hub_client().feed(0, 1000)
    last = hub.hub.store.read_all(0, 10_000, conference=a.replica.conference_id)[-1].position
    assert page["events"] and all(e["origin"] != a.replica.origin for e in page["events"])
    assert page["next_after"] == last      # past its own facts, the last events of the feed
    again = a.sync_hub()
    assert again.duplicates == 0 and a.replica.get_state("hub_cursor", 0) == last
    a.close()
    b.close()


def test_a_different_payload_under_a_known_seq_is_an_integrity_conflict(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    [fact] = node.replica.record(facts(node, 1))
    node.sync_hub()
    from sync_protocol.wire import to_wire
    forged = {**to_wire(fact), "data": {**to_wire(fact)["data"], "reason": "forged"}}
    reply = node.hub_client().push([forged])
    assert reply["conflicts"] == 1 and reply["duplicates"] == 0
    [held] = hub_events_from(hub, node.replica.origin)
    assert json.loads(held.data)["reason"] == "malformed"
    [conflict] = hub.hub.store.models.IntegrityConflict.select()
    assert json.loads(conflict.offered)["data"]["reason"] == "forged"
    node.close()


# --- bad input: a 4xx with a stable code, and nothing stored ------------------------------

def _push_raw(hub, creds, body: bytes, *, headers=None, path="/sync/v1/push", timestamp=None):
    h = signed_headers(creds["node_id"], creds["secret"], "POST", path, body,
                       timestamp or time.time())
    h.update(headers or {})
    h["Content-Type"] = "application/json"
    return requests.post(hub.url + path, data=body, headers=h)


def _envelope(creds, seq, **overrides):
    return scan_envelope(creds, seq, **overrides)


@pytest.mark.parametrize("case, status, code", [
    ("malformed_json", 400, "malformed_json"),
    ("wrong_version", 400, "unsupported_protocol"),
    ("missing_field", 400, "malformed_event"),
    ("other_conference", 403, "wrong_conference"),
    ("foreign_origin", 403, "origin_not_allowed"),
    ("oversized_batch", 413, "batch_too_large"),
    ("bad_signature", 401, "bad_signature"),
    ("stale_timestamp", 401, "stale_timestamp"),
    ("unknown_node", 401, "unknown_node"),
    ("unsigned", 401, "unsigned"),
])
def test_bad_pushes_are_refused_with_a_stable_code_and_store_nothing(hub, tmp_path, case,
                                                                     status, code):
    enroll(hub, tmp_path / "a")
    creds = creds_file.load(str(tmp_path / "a"))
    before = hub.hub.store.count()
    body = {"protocol": 1, "events": [_envelope(creds, 1)]}
    headers, timestamp = {}, None
    if case == "wrong_version":
        body["protocol"] = 2
    elif case == "missing_field":
        del body["events"][0]["hlc"]
    elif case == "other_conference":
        body["events"][0]["conference"] = "another"
    elif case == "foreign_origin":
        body["events"][0]["origin"] = "hub/" + creds["conference"]["id"]
    elif case == "oversized_batch":
        body["events"] = [_envelope(creds, i) for i in range(1, 1002)]
    raw = b"{not json" if case == "malformed_json" else json.dumps(body).encode()
    if case == "bad_signature":
        headers = {"X-Contoso-Signature": "0" * 64}
    elif case == "stale_timestamp":
        timestamp = time.time() - 3600
    elif case == "unknown_node":
        creds = {**creds, "node_id": "nobody"}
    r = (requests.post(hub.url + "/sync/v1/push", data=raw) if case == "unsigned"
         else _push_raw(hub, creds, raw, headers=headers, timestamp=timestamp))
    assert (r.status_code, r.json()["error"]["code"]) == (status, code)
    assert hub.hub.store.count() == before


def test_a_replayed_request_is_refused(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    creds = creds_file.load(str(tmp_path / "a"))
    raw = json.dumps({"protocol": 1, "events": [_envelope(creds, 1)]}).encode()
    headers = signed_headers(creds["node_id"], creds["secret"], "POST", "/sync/v1/push", raw,
                             time.time())
    first = requests.post(hub.url + "/sync/v1/push", data=raw, headers=headers)
    again = requests.post(hub.url + "/sync/v1/push", data=raw, headers=headers)
    assert first.status_code == 200
    assert (again.status_code, again.json()["error"]["code"]) == (401, "replayed_nonce")


def test_a_push_commits_its_nonce_batch_and_contact_together(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    creds = creds_file.load(str(tmp_path / "a"))
    N, Nonce = hub.hub.models.Node, hub.hub.store.models.SeenNonce

    def pushed(events, status=None):
        raw = json.dumps({"protocol": 1, "events": events, "status": status or {}}).encode()
        headers = signed_headers(creds["node_id"], creds["secret"], "POST", "/sync/v1/push",
                                 raw, time.time())
        return headers[HEADER_NONCE], requests.post(hub.url + "/sync/v1/push", data=raw,
                                                         headers=headers)
    # refused as a whole: nothing of it is kept, its nonce and the node's status neither
    nonce, refused = pushed([_envelope(creds, 1, type="NoSuchFact")], {"events_waiting": 7})
    assert refused.status_code in (400, 403)
    assert not Nonce.select().where(Nonce.nonce == nonce).exists()
    assert N.get_by_id(creds["node_id"]).events_waiting != 7
    nonce, taken = pushed([_envelope(creds, 1)], {"events_waiting": 3})
    assert taken.status_code == 200 and Nonce.select().where(Nonce.nonce == nonce).exists()
    assert N.get_by_id(creds["node_id"]).events_waiting == 3
    assert len(hub_events_from(hub, creds["origin"])) == 1


def test_a_gap_stops_the_batch_and_acks_what_came_before(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    creds = creds_file.load(str(tmp_path / "a"))
    events = [_envelope(creds, 1), _envelope(creds, 2), _envelope(creds, 4), _envelope(creds, 5)]
    r = _push_raw(hub, creds, json.dumps({"protocol": 1, "events": events}).encode())
    assert r.status_code == 200
    assert r.json()["acked_through"] == {creds["origin"]: 2}
    assert r.json()["gap"] == {"origin": creds["origin"], "expected": 3, "got": 4}
    assert [e.seq for e in hub_events_from(hub, creds["origin"])] == [1, 2]


# --- revocation and epochs -------------------------------------------------------------

def test_a_revoked_node_is_refused_and_wipes_its_personal_data(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    node.sync_hub()
    nodes.revoke(hub.hub, hub.hub.models.Node.get_by_id(node.node_id))
    with pytest.raises(ProtocolError) as refused:
        node.sync_hub()
    assert refused.value.code == "node_revoked"
    assert not os.path.exists(tmp_path / "a" / "node.sqlite3")
    assert creds_file.load(str(tmp_path / "a")) .get("revoked") is True
    assert "secret" not in creds_file.load(str(tmp_path / "a"))


def test_a_node_restored_from_an_old_copy_starts_a_new_epoch(hub, tmp_path):
    enroll(hub, tmp_path / "a")
    node = node_service(tmp_path / "a")
    node.replica.record(facts(node, 5))
    node.sync_hub()
    node.close()
    shutil.copytree(tmp_path / "a", tmp_path / "backup")
    node = node_service(tmp_path / "a")
    node.replica.record(facts(node, 5, start=5))
    node.sync_hub()
    old_origin = node.replica.origin
    node.close()
    shutil.rmtree(tmp_path / "a")
    shutil.copytree(tmp_path / "backup", tmp_path / "a")  # the SD card is restored

    node = node_service(tmp_path / "a")
    report = node.sync_hub()
    assert report.new_epoch
    assert node.replica.credentials["epoch"] == 2 and node.replica.origin != old_origin
    assert node.replica.store.version_vector()[old_origin] == 10  # got its lost facts back
    node.replica.record(facts(node, 1, start=100))
    node.sync_hub()
    assert len(hub_events_from(hub, old_origin)) == 10
    assert len(hub_events_from(hub, node.replica.origin)) == 1
    assert not hub.hub.store.models.IntegrityConflict.select().exists()
    node.close()


# --- peers ----------------------------------------------------------------------------

def test_facts_travel_node_to_node_with_the_hub_down_and_reach_it_later(hub, tmp_path):
    enroll(hub, tmp_path / "a", "Door A")
    enroll(hub, tmp_path / "b", "Door B")
    a, b = node_service(tmp_path / "a"), node_service(tmp_path / "b")
    a.sync_hub()
    b.sync_hub()
    from onsite_node.server import create_node_app
    server_b = ThreadedServer(create_node_app(b))
    a.peers["b"] = server_b.url
    a.replica.record(facts(a, 30))
    assert a.sync_peers() == 1
    assert b.replica.store.version_vector().get(a.replica.origin) == 30
    # the hub never heard from A; B relays A's facts
    b.replica.record(facts(b, 2))
    b.sync_hub()
    assert len(hub_events_from(hub, a.replica.origin)) == 30
    assert len(hub_events_from(hub, b.replica.origin)) == 2
    a.sync_hub()
    assert a.status()["events_waiting"] == 0
    server_b.stop()
    a.close()
    b.close()


def test_a_peer_with_the_wrong_venue_key_is_refused(hub, tmp_path):
    enroll(hub, tmp_path / "b")
    b = node_service(tmp_path / "b")
    from onsite_node.server import create_node_app
    server_b = ThreadedServer(create_node_app(b))
    intruder = SyncClient(server_b.url, "peer:intruder", "not-the-venue-key")
    with pytest.raises(ProtocolError) as refused:
        intruder.pull_by_vector({}, 10)
    assert refused.value.code == "bad_signature"
    server_b.stop()
    b.close()
