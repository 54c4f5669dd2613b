"""The hub signs each of its events once, as it appends it, over the copy a door receives; the
feed and the vector pull send that stored signature as it is. An event stored before (no
signature) still reaches doors signed: it is signed when first sent, and the signature kept.
The feed's `remaining` is 0 exactly when the conference's feed holds nothing more."""
import base64

import pytest

from shared_domain.kept_from_doors import for_doors
from sync_protocol import origin_signatures
from sync_protocol.client import SyncClient
from sync_protocol.wire import to_wire
from tests.support.door_venue import enroll_node, hub_with_conference
from tests.support.servers import ThreadedServer


@pytest.fixture(params=["sqlite", "postgres"])
def venue(request, tmp_path):
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_cluster").new_database()
        api = hub_with_conference(tmp_path, db_url=url)
    else:
        api = hub_with_conference(tmp_path)
    order = api.order(api.slug, {next(iter(api.seat_types.values())): 2})
    api.registrant(order)              # personal details the doors get blank
    api.pump()
    server = ThreadedServer(api.app)
    api.url = server.url
    yield api
    server.stop()
    api.hub.close()


def client(api, creds) -> SyncClient:
    return SyncClient(api.url, creds["node_id"], creds["secret"])


def hub_events(api):
    """The hub's own events as its log holds them."""
    held = api.hub.store.read_all(0, 10_000, api.conference.id, decode=False)
    return [e for e in held if e.origin.startswith("hub/")]


def event_key(creds) -> bytes:
    return base64.urlsafe_b64decode(creds["event_public_key"])


def test_the_hubs_events_are_signed_as_appended_over_the_copy_doors_receive(venue):
    creds = enroll_node(venue)
    events = hub_events(venue)
    assert {"OrderPlaced", "OrderRegistrantAssigned", "NodeKeyRegistered"} <= {e.type for e in events}
    for event in events:
        assert event.signature, event.type
        assert origin_signatures.verifies(for_doors(to_wire(event)), event_key(creds)), event.type
    # what is signed is the door's copy: the access code is not covered, nor sent
    [placed] = [to_wire(e) for e in events if e.type == "OrderPlaced"]
    assert placed["data"]["access_code"]
    assert not origin_signatures.verifies(placed, event_key(creds))


@pytest.mark.parametrize("call", ["feed", "pull"])
def test_doors_get_the_stored_signature_unchanged(venue, call):
    creds = enroll_node(venue)
    sent = _hub_events(client(venue, creds), call)
    stored = {(e.origin, e.seq): e.signature for e in hub_events(venue)}
    assert len(sent) == len(stored)
    assert {(e["origin"], e["seq"]): e["sig"] for e in sent} == stored


@pytest.mark.parametrize("call", ["feed", "pull"])
def test_an_event_stored_unsigned_is_sent_signed_and_the_signature_kept(venue, call):
    creds = enroll_node(venue)
    E = venue.hub.store.models.EventRecord
    E.update(signature=None).where(E.origin.startswith("hub/")).execute()   # an older log
    sent = _hub_events(client(venue, creds), call)
    assert sent and all(origin_signatures.verifies(e, event_key(creds)) for e in sent)
    placed = [e for e in sent if e["type"] == "OrderPlaced"]
    assert placed and {e["data"]["access_code"] for e in placed} == {""}
    kept = {(e.origin, e.seq): e.signature for e in hub_events(venue)}
    assert kept == {(e["origin"], e["seq"]): e["sig"] for e in sent}
    # sent again: the same signatures, now read as stored
    assert _hub_events(client(venue, creds), call) == sent


def _hub_events(sync: SyncClient, call: str) -> list[dict]:
    if call == "feed":
        events = sync.feed(0, 1000)["events"]
    else:
        events = sync.pull_by_vector({}, 1000)["events"]
    return [e for e in events if e["origin"].startswith("hub/")]


def test_remaining_is_zero_exactly_when_the_conferences_feed_holds_no_more(venue):
    creds = enroll_node(venue)
    sync = client(venue, creds)
    total = venue.hub.store.count(venue.conference.id)
    first = sync.feed(0, 1)
    assert first["remaining"] >= total - 1 > 0
    end = sync.feed(0, 1000)
    assert len(end["events"]) == total and end["remaining"] == 0
    # another conference's events after ours: still nothing more for this one
    venue.create_conference(slug="other26")
    last = sync.feed(end["next_after"], 1000)
    assert last["events"] == [] and last["remaining"] == 0


def test_a_first_sync_shows_its_progress_up_to_every_event_pulled(venue, tmp_path):
    from tests.support.venue import node_service
    from onsite_node import credentials as creds_file
    creds = enroll_node(venue)
    data_dir = tmp_path / "door"
    data_dir.mkdir()
    creds_file.save(str(data_dir), {**creds, "hub_url": venue.url})
    node = node_service(data_dir)
    seen = []
    node._show_progress = lambda done, total: seen.append((done, total))
    # small pages, so that the progress is shown before the end
    from onsite_node.sync import HubSync
    report = HubSync(node.replica, node.hub_client(), batch=2,
                     progress=node._show_progress).cycle()
    assert len(seen) > 2 and all(done <= total for done, total in seen)
    assert seen[-1] == (report.pulled, report.pulled)
    assert seen[0][1] == report.pulled     # the total is known from the first page
    node.close()
