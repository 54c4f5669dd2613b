"""The hub trusts no node: a push holds only door facts of the pusher's own node, epoch and
conference, each body exactly its schema and each stamp near the hub's time; anything else is
refused with a stable code and nothing of the batch is stored (docs/sync-protocol.md,
"What a node may push")."""
import base64

import pytest

from hub.venue import nodes
from hub.venue.origins import DisallowedEvent, OriginGuard
from shared_domain import edge_facts, payments
from shared_domain.catalog import ALL_EVENTS
from shared_domain.checkin import TicketScanned
from event_store.ids import format_hlc, parse_hlc
from event_store.registry import UnknownEvent
from sync_protocol.server import MAX_BODY_BYTES
from tests.support.door_venue import (door_facts, enroll_node, envelopes, hub_with_conference,
                                      log_state, push)

HOUR_MS = 3_600_000


@pytest.fixture
def venue(tmp_path):
    api = hub_with_conference(tmp_path)
    api.creds = enroll_node(api)
    yield api
    api.hub.close()


def refused(r, status, code):
    assert (r.status_code, r.get_json()["error"]["code"]) == (status, code), r.get_json()
    return r.get_json()["error"]


def scan(creds, n=0):
    return TicketScanned(f"nonce-{n}", "digest", "", creds["node_id"], "2026-12-08T09:00:00",
                         "refused", "malformed")


# --- what the node really records is accepted ----------------------------------------------

def test_every_fact_a_node_records_is_accepted(venue):
    facts = door_facts(venue.creds)
    assert {type(f).__name__ for f in facts} == set(edge_facts.NODE_FACTS)
    r = push(venue, venue.creds, envelopes(venue.creds, facts))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["acked_through"] == {venue.creds["origin"]: len(facts)}


def test_the_allowlist_names_only_known_events():
    assert set(edge_facts.NODE_FACTS) <= {cls.__name__ for cls in ALL_EVENTS}


# --- the allowlist ----------------------------------------------------------------------------

HUB_ONLY = sorted({cls.__name__ for cls in ALL_EVENTS} - set(edge_facts.NODE_FACTS))


@pytest.mark.parametrize("event_type", HUB_ONLY + ["TestFactObserved"])
def test_a_type_that_is_not_a_door_fact_is_refused_and_nothing_of_the_batch_stored(
        venue, event_type):
    before = log_state(venue)
    [good] = envelopes(venue.creds, [scan(venue.creds)])
    [bad] = envelopes(venue.creds, [UnknownEvent(event_type, 1, {"order_id": "o"})], start=2)
    error = refused(push(venue, venue.creds, [good, bad]), 403, "event_type_not_allowed")
    assert (error["index"], error["type"]) == (1, event_type)
    assert log_state(venue) == before


def test_a_node_cannot_pay_an_order(venue):
    order_id = venue.order(venue.slug, {venue.seat_types["General admission"]: 1})
    venue.pump()
    paid = payments.PaymentCompleted("pay-1", order_id, venue.conference.id, 19900, "card")
    refused(push(venue, venue.creds, envelopes(venue.creds, [paid])), 403,
            "event_type_not_allowed")
    venue.pump()
    assert _order_status(venue, order_id) != "confirmed"


def test_a_hub_origin_is_never_taken_from_a_node(venue):
    [event] = envelopes(venue.creds, [scan(venue.creds)])
    hub_origin = f"hub/{venue.conference.id}"
    error = refused(push(venue, venue.creds, [{**event, "origin": hub_origin}]), 403,
                    "origin_not_allowed")
    assert error["index"] == 0


# --- a node's facts are about itself --------------------------------------------------------

def _facts_with(creds, field, value):
    """Each fact carrying `field`, with that field set to `value`."""
    out = []
    for envelope in envelopes(creds, door_facts(creds)):
        if field in envelope["data"]:
            out.append({**envelope, "seq": 1, "version": 1,
                        "data": {**envelope["data"], field: value}})
    return out


@pytest.mark.parametrize("field, value", [
    ("node_id", "another-node"), ("from_node_id", "another-node"),
    ("conference_id", "another-conference"), ("epoch", 7), ("from_epoch", 7)])
def test_a_fact_about_another_node_epoch_or_conference_is_refused(venue, field, value):
    before = log_state(venue)
    candidates = _facts_with(venue.creds, field, value)
    assert candidates
    for envelope in candidates:
        error = refused(push(venue, venue.creds, [envelope]), 403, "fact_not_owned")
        assert error["field"] == f"data.{field}"
    assert log_state(venue) == before


def test_a_cancellation_of_an_earlier_epoch_of_the_same_node_is_its_own(venue):
    nodes.new_epoch(venue.hub, venue.hub.models.Node.get_by_id(venue.creds["node_id"]))
    creds = {**venue.creds, "epoch": 2, "origin": f"{venue.creds['node_id']}:2"}
    cancel = [f for f in door_facts(venue.creds) if type(f).__name__ == "OnSiteSaleCancelled"]
    assert cancel[0].epoch == 1
    assert push(venue, creds, envelopes(creds, cancel)).status_code == 200


def test_a_fact_outside_the_nodes_edge_stream_is_refused(venue):
    [event] = envelopes(venue.creds, [scan(venue.creds)])
    error = refused(push(venue, venue.creds, [{**event, "stream": "order-123"}]), 403,
                    "fact_not_owned")
    assert error["field"] == "stream"


def test_an_epoch_the_hub_never_gave_is_refused(venue):
    origin = f"{venue.creds['node_id']}:5"
    creds = {**venue.creds, "epoch": 5, "origin": origin}
    refused(push(venue, creds, envelopes(creds, [scan(creds)])), 403, "origin_not_allowed")


def test_a_revoked_nodes_facts_relayed_by_a_peer_are_refused(venue):
    peer = enroll_node(venue, "Door B")
    revoked = venue.creds
    nodes.revoke(venue.hub, venue.hub.models.Node.get_by_id(revoked["node_id"]))
    before = log_state(venue)
    relayed = envelopes(revoked, [scan(revoked)])
    error = refused(push(venue, peer, relayed), 403, "origin_revoked")
    assert error["index"] == 0 and log_state(venue) == before
    assert push(venue, peer, envelopes(peer, [scan(peer)])).status_code == 200


# --- hlc stamps near the hub's time -------------------------------------------------------

@pytest.mark.parametrize("offset_hours", [-24, 24, 47, 24 * 211, -24 * 399])
def test_a_node_whose_clock_is_wrong_by_days_or_months_still_pushes(venue, offset_hours):
    stamp = _stamp(offset_hours)
    r = push(venue, venue.creds, envelopes(venue.creds, [scan(venue.creds)], hlc=stamp))
    assert r.status_code == 200, r.get_json()


@pytest.mark.parametrize("offset_hours", [24 * 401, 24 * 365 * 10, -24 * 401])
def test_a_stamp_far_from_the_hubs_time_is_refused(venue, offset_hours):
    before = log_state(venue)
    r = push(venue, venue.creds,
             envelopes(venue.creds, [scan(venue.creds)], hlc=_stamp(offset_hours)))
    assert refused(r, 400, "malformed_event")["field"] == "hlc"
    assert log_state(venue) == before


def test_a_stamp_ahead_does_not_move_the_hubs_clock(venue):
    ahead = format_hlc(parse_hlc(_stamp(24 * 300))[0], 99_999)
    r = push(venue, venue.creds, envelopes(venue.creds, [scan(venue.creds)], hlc=ahead))
    assert r.status_code == 200
    ms, counter = parse_hlc(venue.hub.store.hlc.now())
    assert ms < parse_hlc(_stamp(1))[0] and counter < 99_999


def _stamp(offset_hours: float) -> str:
    from tests.support.door_facts import now_hlc
    ms, _ = parse_hlc(now_hlc())
    return format_hlc(ms + int(offset_hours * HOUR_MS), 0)


# --- readers never act on what an origin may not carry ----------------------------------

def test_a_payment_under_a_node_origin_in_the_log_does_not_confirm_the_order(venue):
    order_id = venue.order(venue.slug, {venue.seat_types["General admission"]: 1})
    venue.pump()
    paid = payments.PaymentCompleted("pay-1", order_id, venue.conference.id, 19900, "card")
    venue.hub.store.append(payments.stream_id("pay-1"), None, [paid],
                           origin=venue.creds["origin"], conference=venue.conference.id)
    try:
        venue.pump()
    except DisallowedEvent:
        pass  # without dead letters the pump stops here; with them the event is set aside
    assert _order_status(venue, order_id) != "confirmed"


def test_the_guard_names_the_event_it_refuses(venue):
    paid = payments.PaymentCompleted("pay-2", "o", venue.conference.id, 1, "card")
    [stored] = venue.hub.store.append("payment-pay-2", None, [paid],
                                      origin=venue.creds["origin"],
                                      conference=venue.conference.id)
    seen = []
    guard = OriginGuard(type("Reader", (), {"name": "r", "apply": lambda s, e: seen.append(e)})())
    with pytest.raises(DisallowedEvent) as error:
        guard.apply(stored)
    assert stored.id in str(error.value) and "PaymentCompleted" in str(error.value)
    assert seen == [] and guard.name == "r"


def _order_status(api, order_id):
    V = api.hub.models.OrderView
    row = V.get_or_none(V.order_id == order_id)
    return row.status if row else None


# --- keys -----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", [
    "not a key", "A" * 42, base64.urlsafe_b64encode(b"\x01" * 31).decode(),
    base64.urlsafe_b64encode(b"\x01" * 33).decode(), base64.b64encode(b"\xfb" * 32).decode(),
    12345, ["k"]])
def test_a_malformed_node_key_is_refused_and_the_code_still_works(venue, key):
    _, code = nodes.create_node(venue.hub, venue.conference, "Door K")
    r = venue.http.post("/sync/v1/enroll", json={"protocol": 1, "code": code, "public_key": key})
    assert refused(r, 400, "invalid_public_key")["field"] == "public_key"
    good = venue.http.post("/sync/v1/enroll", json={"protocol": 1, "code": code})
    assert good.status_code == 200


def test_an_unpadded_node_key_is_stored_padded_for_every_door(venue):
    from onsite_node.credentials import new_signing_key
    _, public = new_signing_key()
    creds = enroll_node(venue, "Door U", public_key=public.rstrip("="))
    node = venue.hub.models.Node.get_by_id(creds["node_id"])
    assert node.public_key == public
    assert base64.urlsafe_b64decode(node.public_key)


def test_the_ticket_keys_sent_to_nodes_are_well_formed(venue):
    K = venue.hub.models.ConferenceKey
    K.create(key_id="broken", conference_id=venue.conference.id, private_key="x",
             public_key="not-a-key", created_at="2026-01-01T00:00:00")
    keys = nodes.ticket_public_keys(venue.hub, venue.conference.id)
    assert "broken" not in keys and keys
    assert all(len(base64.urlsafe_b64decode(k)) == 32 for k in keys.values())


# --- body size ------------------------------------------------------------------------------

def test_a_plain_push_larger_than_the_apis_limit_is_accepted(venue):
    assert venue.hub.config.max_body_bytes < 2_000_000 < MAX_BODY_BYTES
    r = push(venue, venue.creds, envelopes(venue.creds, [scan(venue.creds)]),
             extra=b" " * 2_000_000)
    assert r.status_code == 200, r.get_json()


def test_a_plain_push_over_the_documented_size_is_413(venue):
    before = log_state(venue)
    r = push(venue, venue.creds, envelopes(venue.creds, [scan(venue.creds)]),
             extra=b" " * (MAX_BODY_BYTES + 1))
    assert refused(r, 413, "body_too_large")["max_bytes"] == MAX_BODY_BYTES
    assert log_state(venue) == before


def test_the_protocol_document_states_the_size_the_code_takes():
    from pathlib import Path
    doc = (Path(__file__).parents[2] / "docs" / "sync-protocol.md").read_text()
    assert f"{MAX_BODY_BYTES // (1024 * 1024)} MiB ({MAX_BODY_BYTES} bytes)" in doc
