"""A node applies the hub's rules to what peers relay and to what it records itself, skips an
origin the hub refuses so its own facts still get through, and never fails a scan because
of a malformed key it holds."""
import json
import time

import pytest

from hub.venue import nodes
from onsite_node import credentials as creds_file
from onsite_node.server import create_node_app
from shared_domain.checkin import TicketScanned
from shared_domain.errors import DomainError
from sync_protocol.ingest import ingest
from event_store.registry import UnknownEvent
from sync_protocol.signing import signed_headers
from tests.support.door_venue import enroll_node, envelopes, hub_with_conference
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
    """Save a node's credentials as `contoso node enroll` does; return its service."""
    data_dir.mkdir()
    creds_file.save(str(data_dir), {**creds, "hub_url": api.url})
    return node_service(data_dir)


def scan(creds, n=0, by="kiosk"):
    return TicketScanned(f"nonce-{n}", "digest", "", creds["node_id"], "2026-12-08T09:00:00",
                         "refused", "malformed", by)


def peer_push(node, events):
    """A signed push from a peer (the venue key) to the node's sync endpoint."""
    body = json.dumps({"protocol": 1, "events": events}).encode()
    headers = signed_headers("peer:someone", node.credentials["venue_key"], "POST",
                             "/sync/v1/push", body, time.time())
    return create_node_app(node).test_client().post(
        "/sync/v1/push", data=body, headers={**headers, "Content-Type": "application/json"})


def test_a_peer_relays_door_facts_but_nothing_else(venue, tmp_path):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    node_b = install(venue, b, tmp_path / "b")
    node_b.sync_hub()     # B learns A's key from the hub
    before = node_b.replica.store.count()
    paid = UnknownEvent("PaymentCompleted", 1, {"order_id": "o"})
    r = peer_push(node_b, envelopes(a, [scan(a), paid]))
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "event_type_not_allowed")
    forged = envelopes(a, [TicketScanned("n", "d", "", b["node_id"], "2026-12-08T09:00:00",
                                         "refused", "malformed")])
    r = peer_push(node_b, forged)
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "fact_not_owned")
    assert node_b.replica.store.count() == before
    assert peer_push(node_b, envelopes(a, [scan(a)])).status_code == 200
    assert node_b.replica.store.version_vector()[a["origin"]] == 1
    node_b.close()


def test_a_node_never_records_a_fact_the_hub_would_refuse(venue, tmp_path):
    creds = enroll_node(venue)
    node = install(venue, creds, tmp_path / "a")
    before = node.replica.store.count()
    for fact in (scan(creds, by="x" * 61), scan(creds, by="nul\x00"),
                 UnknownEvent("TestFactObserved", 1, {}),
                 TicketScanned("n", "d", "", "another-node", "now", "refused", "malformed")):
        with pytest.raises(DomainError) as refused:
            node.replica.record([fact])
        assert refused.value.code == "invalid_fact"
    assert node.replica.store.count() == before
    node.close()


def test_an_origin_the_hub_refuses_as_revoked_is_skipped_and_the_nodes_own_facts_go(
        venue, tmp_path):
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    node_b = install(venue, b, tmp_path / "b")
    ingest(node_b.replica.store, envelopes(a, [scan(a, n) for n in range(3)]), source="peer")
    nodes.revoke(venue.hub, venue.hub.models.Node.get_by_id(a["node_id"]))
    node_b.replica.record([scan(b, n) for n in range(2)])
    report = node_b.sync_hub()
    assert venue.hub.store.version_vector(venue.conference.id).get(b["origin"]) == 2
    assert a["origin"] not in venue.hub.store.version_vector(venue.conference.id)
    assert any("origin_revoked" in note for note in report.notes)
    refused = node_b.replica.get_state("refused_origins")
    assert refused[a["origin"]].startswith("origin_revoked")
    node_b.close()


def test_a_malformed_key_a_node_holds_never_fails_a_scan(venue, tmp_path):
    creds = enroll_node(venue)
    node = install(venue, creds, tmp_path / "a")
    K = node.replica.models.NodeKeyView
    K.create(key_id="node:bad", node_id="bad", public_key="AAAA", epoch=1)
    K.create(key_id="node:unpadded", node_id="u", public_key=creds["node_public_key"].rstrip("="),
             epoch=1)
    keys = node.desk.public_keys()
    assert "node:bad" not in keys and len(keys["node:unpadded"]) == 32
    assert all(len(k) == 32 for k in keys.values())
    outcome = node.desk.scan("CT1-NOTATICKET")
    assert not outcome.admitted and outcome.reason
    node.close()


def test_a_node_refuses_what_a_peer_hands_over_when_it_breaks_the_rules(venue, tmp_path):
    from onsite_node.sync import PeerSync
    a, b = enroll_node(venue, "Door A"), enroll_node(venue, "Door B")
    node_a, node_b = install(venue, a, tmp_path / "a"), install(venue, b, tmp_path / "b")
    paid = UnknownEvent("PaymentCompleted", 1, {"order_id": "o"})
    ingest(node_a.replica.store, envelopes(a, [paid]), source="written by hand")
    node_a.replica.record([scan(a, 1)])   # not relayed either: it comes after the refused one
    node_b.sync_hub()
    server_a = ThreadedServer(create_node_app(node_a))
    before = node_b.replica.store.count()
    report = PeerSync(node_b.replica, node_b.peer_client(server_a.url)).cycle()
    assert any(a["origin"] in note and "event_type_not_allowed" in note
               for note in report.notes)
    assert node_b.replica.store.count() == before
    assert a["origin"] not in node_b.replica.store.version_vector()
    server_a.stop()
    node_a.close()
    node_b.close()
