"""Each event carries its origin's signature: the hub takes another door's fact only signed by
that door, doors take the hub's events from a peer only signed by the hub, and a stolen
credential (a node's secret, or the venue key every door shares) forges nothing under
another origin."""
import base64
import json
import time

import pytest

from hub.venue import nodes
from hub.venue.allocations import allocate
from onsite_node import credentials as creds_file
from onsite_node.server import create_node_app
from onsite_node.sync import PeerSync
from shared_domain.checkin import TicketScanned
from sync_protocol import origin_signatures
from sync_protocol.signing import signed_headers
from tests.support.door_venue import (enroll_node, envelopes, hub_with_conference, log_state,
                                      push)
from tests.support.servers import ThreadedServer
from tests.support.venue import node_service


@pytest.fixture
def venue(tmp_path):
    api = hub_with_conference(tmp_path)
    server = ThreadedServer(api.app)
    api.url = server.url
    yield api
    server.stop()
    api.hub.close()


def install(api, creds, data_dir):
    data_dir.mkdir()
    creds_file.save(str(data_dir), {**creds, "hub_url": api.url})
    return node_service(data_dir)


def scan(creds, n=0):
    return TicketScanned(f"nonce-{n}", "digest", "", creds["node_id"], "2026-12-08T09:00:00",
                         "refused", "malformed", "kiosk")


def key(text: str) -> bytes:
    return base64.urlsafe_b64decode(text)


def peer_push(node, events):
    """A push signed with the venue key: anyone holding a door's copy of it can send this."""
    body = json.dumps({"protocol": 1, "events": events}).encode()
    headers = signed_headers("peer:someone", node.credentials["venue_key"], "POST",
                             "/sync/v1/push", body, time.time())
    return create_node_app(node).test_client().post(
        "/sync/v1/push", data=body, headers={**headers, "Content-Type": "application/json"})


def error_code(response):
    return response.status_code, response.get_json()["error"]["code"]


def test_the_hub_takes_another_doors_fact_only_with_that_doors_signature(venue):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    before = log_state(venue)
    # B's secret was stolen: B cannot pass a fact off as A's, signed or not
    unsigned = envelopes(a, [scan(a)], signed=False)
    assert error_code(push(venue, b, unsigned)) == (403, "unsigned_event")
    forged = envelopes({**a, "node_private_key": b["node_private_key"]}, [scan(a)])
    assert error_code(push(venue, b, forged)) == (403, "bad_event_signature")
    genuine = envelopes(a, [scan(a)])
    tampered = [{**genuine[0], "data": {**genuine[0]["data"], "result": "admitted"}}]
    assert error_code(push(venue, b, tampered)) == (403, "bad_event_signature")
    assert log_state(venue) == before
    # relayed as A signed it: taken, and the signature kept for the doors that relay it on
    assert push(venue, b, genuine).status_code == 200
    E = venue.hub.store.models.EventRecord
    assert E.get((E.origin == a["origin"]) & (E.seq == 1)).signature == genuine[0]["sig"]
    # a door's own facts are vouched for by its request signature
    own = envelopes(b, [scan(b)], signed=False)
    assert push(venue, b, own).status_code == 200


def test_doors_receive_the_hubs_events_signed_and_other_doors_facts_as_their_doors_signed(
        venue, tmp_path):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    assert a["event_public_key"] == b["event_public_key"]
    order = venue.order(venue.slug, {next(iter(venue.seat_types.values())): 2})
    venue.registrant(order)            # personal details the doors get blank
    node_a, node_b = install(venue, a, tmp_path / "a"), install(venue, b, tmp_path / "b")
    node_a.replica.record([scan(a)])
    node_a.sync_hub()
    node_b.sync_hub()
    held = node_b.replica.store.read_all(0, 10_000, decode=False)
    hub_events = [e for e in held if e.origin.startswith("hub/")]
    types = {e.type for e in hub_events}
    assert {"OrderPlaced", "OrderRegistrantAssigned", "NodeKeyRegistered"} <= types
    from sync_protocol.wire import to_wire
    for event in hub_events:
        assert origin_signatures.verifies(to_wire(event), key(a["event_public_key"])), event.type
    [a_scan] = [e for e in held if e.origin == a["origin"]]
    assert origin_signatures.verifies(to_wire(a_scan), key(a["node_public_key"]))
    assert not origin_signatures.verifies(to_wire(a_scan), key(b["node_public_key"]))
    node_a.close()
    node_b.close()


def test_a_door_takes_the_hubs_events_from_a_peer_only_as_the_hub_signed_them(venue, tmp_path):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    node_a, node_b = install(venue, a, tmp_path / "a"), install(venue, b, tmp_path / "b")
    node_b.sync_hub()
    hub_origin = f"hub/{venue.conference.id}"
    held = node_b.replica.store.version_vector()[hub_origin]
    # the hub grants A seats; only A hears of it, then the venue's internet goes
    allocate(venue.hub, venue.hub.models.Node.get_by_id(a["node_id"]), next(iter(venue.seat_types.values())), 5)
    node_a.replica.record([scan(a)])
    node_a.sync_hub()
    assert node_a.replica.store.version_vector()[hub_origin] > held
    # a holder of the venue key makes up a hub event that would grant B the whole stock
    last = [e for e in node_b.replica.store.read_all(0, 10_000, decode=False)
            if e.origin == hub_origin][-1]
    from sync_protocol.wire import to_wire
    made_up = {**{k: v for k, v in to_wire(last).items() if k not in ("position", "sig")},
               "id": "00000000-0000-7000-8000-0000000000ff", "seq": held + 1,
               "version": last.version + 1000}
    assert error_code(peer_push(node_b, [made_up])) == (403, "unsigned_event")
    sign_as_a = origin_signatures.signer(a["node_private_key"])
    assert error_code(peer_push(node_b, [origin_signatures.signed(made_up, sign_as_a)])) == (
        403, "bad_event_signature")
    assert node_b.replica.store.version_vector()[hub_origin] == held
    # what the hub really sent A, B takes from A: the hub's grant and A's scan
    server_a = ThreadedServer(create_node_app(node_a))
    report = PeerSync(node_b.replica, node_b.peer_client(server_a.url)).cycle()
    assert not report.notes
    vector_b = node_b.replica.store.version_vector()
    assert vector_b[hub_origin] == node_a.replica.store.version_vector()[hub_origin]
    assert vector_b[a["origin"]] == 1
    server_a.stop()
    node_a.close()
    node_b.close()


def test_a_peer_push_skips_an_origin_the_peer_cannot_check_and_delivers_the_rest(
        venue, tmp_path):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    node_a, node_b = install(venue, a, tmp_path / "a"), install(venue, b, tmp_path / "b")
    node_b.sync_hub()                       # B knows A's key, not C's: C enrolls later
    c = enroll_node(venue, "Door C")
    node_a.sync_hub()                       # A learns C's key
    from sync_protocol.ingest import ingest
    ingest(node_a.replica.store, envelopes(c, [scan(c)]), source="peer C")
    node_a.replica.record([scan(a, 1), scan(a, 2)])
    server_b = ThreadedServer(create_node_app(node_b))
    report = PeerSync(node_a.replica, node_a.peer_client(server_b.url)).cycle()
    assert any(c["origin"] in note and "unknown_origin_key" in note for note in report.notes)
    vector_b = node_b.replica.store.version_vector()
    assert vector_b[a["origin"]] == 2 and c["origin"] not in vector_b
    # once B hears of C's key from the hub, C's fact comes through from A
    node_b.sync_hub()
    report = PeerSync(node_a.replica, node_a.peer_client(server_b.url)).cycle()
    assert node_b.replica.store.version_vector()[c["origin"]] == 1
    server_b.stop()
    node_a.close()
    node_b.close()


def test_a_re_enrolled_doors_earlier_facts_still_pass_as_theirs(venue):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    first_epoch = envelopes(a, [scan(a)])
    # A is re-imaged: a new key, a new epoch
    node = venue.hub.models.Node.get_by_id(a["node_id"])
    code = nodes.new_enrollment_code(venue.hub, node)
    private, public = creds_file.new_signing_key()
    r = venue.http.post("/sync/v1/enroll", json={"protocol": 1, "code": code,
                                                 "public_key": public})
    assert r.status_code == 200 and r.get_json()["epoch"] == 2
    # B relays what A signed in its first epoch: still A's
    assert push(venue, b, first_epoch).status_code == 200
    # and what is signed with A's new key passes only for the new epoch
    new_a = {**r.get_json(), "node_private_key": private}
    assert push(venue, b, envelopes(new_a, [scan(new_a)])).status_code == 200
    wrong_epoch = envelopes({**a, "node_private_key": private}, [scan(a, 1)], start=2)
    assert error_code(push(venue, b, wrong_epoch)) == (403, "bad_event_signature")
