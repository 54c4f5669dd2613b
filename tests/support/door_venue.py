"""A hub in this process (Flask test client) with enrolled nodes, and the door facts each
kind of node action records, built by the node's own domain functions."""
import hashlib
import json
import time

from hub.venue import nodes
from onsite_node import credentials as creds_file
from shared_domain import allocations, checkin, sales
from shared_domain.people import PersonalInfo
from shared_domain.pricing import SeatTypePrice
from sync_protocol.signing import signed_headers
from event_store.store import utc_now
from tests.support.hub_api import HubClient, make_app

AT = "2026-12-08T09:00:00+00:00"


def hub_with_conference(tmp_path, clock=utc_now, **config):
    api = HubClient(make_app(tmp_path, clock, **config))
    slug, ids, auth = api.create_conference()
    api.slug, api.seat_types, api.auth = slug, ids, auth
    api.conference = api.hub.models.Conference.get(api.hub.models.Conference.slug == slug)
    return api


def enroll_node(api, name="Door A", public_key=None) -> dict:
    """Enroll a node over the API; return its credentials with its private key."""
    _, code = nodes.create_node(api.hub, api.conference, name)
    private, public = creds_file.new_signing_key()
    r = api.http.post("/sync/v1/enroll", json={"protocol": 1, "code": code,
                                                "public_key": public_key or public})
    assert r.status_code == 200, r.get_json()
    return {**r.get_json(), "node_private_key": private, "node_public_key": public}


def push(api, creds, events, *, extra: bytes = b""):
    """A signed, plain (not gzip) push of `events` as the node of `creds`."""
    body = json.dumps({"protocol": 1, "events": events}).encode() + extra
    headers = signed_headers(creds["node_id"], creds["secret"], "POST", "/sync/v1/push", body,
                             time.time())
    return api.http.post("/sync/v1/push", data=body,
                         headers={**headers, "Content-Type": "application/json"})


def log_state(api) -> tuple:
    """What a refused push must leave as it was: the log and the version vector."""
    E = api.hub.store.models.EventRecord
    return (api.hub.store.count(), api.hub.store.version_vector(),
            [r.payload_hash for r in E.select(E.payload_hash).order_by(E.position)])


def door_facts(creds) -> list:
    """One fact of every type a node records, as the node's own functions build them."""
    node_id, epoch, conference = creds["node_id"], creds["epoch"], creds["conference"]["id"]
    seat = checkin.SeatAtDoor("order-1:0", True, None, False)
    admitted = checkin.ScanDecision(True, "admitted", "Welcome", "Ada Lovelace", "order-1:0")
    scan = checkin.scan_events(admitted, seat, code="CT1-CODE", node_id=node_id, scanned_at=AT,
                               scan_nonce="nonce-1", by="kiosk")
    seat_in = checkin.SeatAtDoor("order-1:0", True, scan[1], False)
    undo = checkin.undo_check_in(seat_in, node_id=node_id, at=AT, by="Grace", nonce="undo-1")
    printed = checkin.BadgePrinted("order-1:0", node_id, AT, "job-1", False, "kiosk")
    holdings = {"ga": allocations.Holding(granted=10)}
    lines = sales.price_sale({"ga": 2}, {"ga": SeatTypePrice("ga", "General", 19900)})
    buyer = PersonalInfo("Ada", "Lovelace", "ada@example.org", "Analytical Engines")
    sale = sales.OnSiteSaleMade(
        "sale-1", conference, node_id, epoch, buyer, "", lines,
        sum(line.line_total_cents for line in lines), "card_terminal", "T-42", AT, "Grace",
        (sales.SoldSeat("sale-1:0", 0, "ga", "CT1-PROVISIONAL"),), ("peer:1@3",))
    cancel = sales.cancel_sale(sale, False, at=AT, by="Grace", refund_method="cash")
    handed = allocations.hand_over(holdings, handoff_id="h-1", conference_id=conference,
                                   node_id=node_id, epoch=epoch, to_node_id="another-node",
                                   to_epoch=1, seat_type="ga", quantity=3, at=AT, by="Grace")
    returned = allocations.give_back(holdings, return_id="r-1", conference_id=conference,
                                     node_id=node_id, epoch=epoch, seat_type="ga", quantity=2,
                                     at=AT, by="hub request")
    top_up = allocations.AllocationTopUpRequested("t-1", conference, node_id, epoch, "ga", 5, AT)
    return [*scan, *undo, printed, sale, *cancel, *handed, *returned, top_up]


def envelopes(creds, messages, start: int = 1, hlc: str | None = None,
              signed: bool = True) -> list[dict]:
    """The wire envelopes of `messages` as the node's seq `start`, `start + 1`, ..., signed
    with the node's key as the node signs its facts (unless `signed` is False)."""
    from hub.bootstrap import message_registry
    from sync_protocol import origin_signatures
    from tests.support.door_facts import now_hlc
    registry, origin = message_registry(), creds["origin"]
    sign = (origin_signatures.signer(creds["node_private_key"])
            if signed and creds.get("node_private_key") else None)
    out = []
    for seq, message in enumerate(messages, start):
        type_, schema, body = registry.encode(message)
        out.append({"id": _event_id(origin, seq), "origin": origin, "seq": seq,
                    "stream": f"edge-{origin}", "version": seq, "type": type_,
                    "schema": schema, "conference": creds["conference"]["id"], "data": body,
                    "occurred_at": AT, "hlc": hlc or now_hlc()})
        if sign is not None:
            out[-1] = origin_signatures.signed(out[-1], sign)
    return out


def _event_id(origin: str, seq: int) -> str:
    """A fixed id per (origin, seq), as a node's uuid7 would be unique per event."""
    digest = hashlib.sha256(f"{origin}#{seq}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-7{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"
