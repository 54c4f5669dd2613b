"""The hub's side of sync protocol v1 (/sync/v1/...): see docs/sync-protocol.md."""
from __future__ import annotations

import datetime as dt
import gzip

import peewee
from flask import Blueprint, Response, jsonify, request

from hub.venue import nodes
from hub.http.context import current_hub, wake_worker
from sync_protocol import server
from sync_protocol.blueprint import serve_sync_calls
from sync_protocol.wire import (DEFAULT_BATCH, MAX_BATCH, PROTOCOL_VERSION, ROW_ORIGIN,
                                ROW_POSITION, ProtocolError, check_version, page_text)

bp = serve_sync_calls(Blueprint("sync_v1", __name__, url_prefix="/sync/v1"))
GZIP_REPLY_ABOVE = 2048
# A pushed stamp moves the hub's clock at most this far past its wall clock.
HLC_OBSERVE_AHEAD_MS = 1000
# A feed request records the node's contact at most this often (a first sync asks for a
# page many times a second; pushes report the node's status every time).
CONTACT_EVERY = dt.timedelta(seconds=1)


@bp.get("/time")
def time_now():
    """Unsigned: the hub's clock, so a node without a real-time clock can sign requests."""
    return jsonify(protocol=PROTOCOL_VERSION, server_time=current_hub().clock().timestamp())


@bp.post("/enroll")
def enroll():
    body = server.parse_json(_raw_body())
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        raise ProtocolError(400, "malformed_request", "Send {'code': '<enrollment code>'}.")
    check_version(body)
    creds = nodes.enroll(current_hub(), body["code"], body.get("public_key"),
                         str(body.get("software_version", "")))
    return jsonify(protocol=PROTOCOL_VERSION, **creds)


@bp.post("/push")
def push():
    hub, (caller, nonce) = current_hub(), _verified()
    node = hub.models.Node.get_by_id(caller.key_id)
    body = server.parse_json(_raw_body())
    # The nonce, the batch and the node's contact: one write transaction.
    reply = server.push(hub.store, body, caller, nonce=nonce,
                        also=lambda: _record_contact(node, body),
                        hlc_ceiling_ms=int(hub.clock().timestamp() * 1000) + HLC_OBSERVE_AHEAD_MS)
    wake_worker()  # the hub's readers validate edge facts and project them
    return _reply(reply)


@bp.post("/pull")
def pull_by_vector():
    hub, (caller, nonce) = current_hub(), _verified()
    server.remember_nonce(hub.store, nonce)
    node = hub.models.Node.get_by_id(caller.key_id)
    reply = server.pull_by_vector(hub.store, server.parse_json(_raw_body()), caller)
    return _reply({**reply,
                   "events": nodes.signed_for_doors(hub, node.conference_id, reply["events"]),
                   "event_public_key": hub.event_signers.public_key(node.conference_id)})


@bp.get("/feed")
def feed():
    """The conference's events after a position of the hub's commit-ordered feed."""
    hub, node = current_hub(), _authenticated()
    if request.args.get("protocol", str(PROTOCOL_VERSION)) != str(PROTOCOL_VERSION):
        check_version({"protocol": request.args.get("protocol")})
    after = _int_arg("after", 0, 0, 2**62)
    limit = _int_arg("limit", DEFAULT_BATCH, 1, MAX_BATCH)
    rows = hub.store.feed_rows(after, limit, node.conference_id)
    last = rows[-1][ROW_POSITION] if rows else after
    # The node made the events of its own origin: they are not sent back, and next_after
    # moves past them all the same (a page may hold none and still advance).
    own = nodes.origin_of(node.id, node.epoch)
    rows = [row for row in rows if row[ROW_ORIGIN] != own]
    if _contact_due(node):
        _record_contact(node, {})
    return _reply_text(page_text(
        nodes.door_feed(hub, node.conference_id, rows), protocol=PROTOCOL_VERSION,
        event_public_key=hub.event_signers.public_key(node.conference_id),
        next_after=last, remaining=_remaining(node.conference_id, last),
        server_time=hub.clock().timestamp()))


def _remaining(conference_id: str, last: int) -> int:
    """How many positions of the conference's feed lie after `last`: 0 exactly when its feed
    holds nothing more, and on a hub of one conference the events still to come. Counting
    the events instead read every later row of the log for every page."""
    E = current_hub().store.models.EventRecord
    end = E.select(peewee.fn.MAX(E.position)).where(E.conference == conference_id).scalar()
    return max(0, (end or 0) - last)


@bp.get("/vector")
def vector():
    hub, node = current_hub(), _authenticated()
    return _reply({"protocol": PROTOCOL_VERSION,
                   "vector": hub.store.version_vector(node.conference_id)})


@bp.post("/epoch")
def new_epoch():
    """A node that found its data restored from an older copy asks for a new epoch."""
    node = _authenticated()
    return _reply({"protocol": PROTOCOL_VERSION, **nodes.new_epoch(current_hub(), node)})


# --- helpers ----------------------------------------------------------------------

def _raw_body() -> bytes:
    return server.read_body(request.get_data(cache=True), request.headers.get("Content-Encoding"))


def _authenticated():
    """The node that signed the request, its nonce remembered."""
    hub, (caller, nonce) = current_hub(), _verified()
    server.remember_nonce(hub.store, nonce)
    return hub.models.Node.get_by_id(caller.key_id)


def _verified() -> tuple:
    """(Caller, Nonce) of a signed request whose nonce the handler remembers."""
    hub = current_hub()
    return server.verified(request.headers, request.method, request.full_path.rstrip("?"),
                           request.get_data(cache=True), hub.clock().timestamp(),
                           lambda key_id: nodes.caller_for(hub, key_id))


def _record_contact(node, body) -> None:
    hub = current_hub()
    status = body.get("status") if isinstance(body, dict) else None
    fields = {"last_contact": hub.clock().isoformat(), "protocol_version": PROTOCOL_VERSION}
    if isinstance(status, dict):
        if type(status.get("events_waiting")) is int:
            fields["events_waiting"] = status["events_waiting"]
        if isinstance(status.get("oldest_unsynced"), (str, type(None))):
            fields["oldest_unsynced"] = status.get("oldest_unsynced")
        if isinstance(status.get("clock_offset"), (int, float)):
            fields["clock_offset"] = float(status["clock_offset"])
        if isinstance(status.get("software_version"), str):
            fields["software_version"] = status["software_version"][:40]
    hub.models.Node.update(**fields).where(hub.models.Node.id == node.id).execute()


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ProtocolError(400, "malformed_request", f"'{name}' must be {low}..{high}.")
    return value


def _contact_due(node) -> bool:
    if not node.last_contact:
        return True
    since = current_hub().clock() - dt.datetime.fromisoformat(node.last_contact)
    return not dt.timedelta(0) <= since < CONTACT_EVERY


def _reply(body: dict) -> Response:
    return _gzipped(jsonify(body))


def _reply_text(text: str) -> Response:
    return _gzipped(Response(text.encode(), mimetype="application/json"))


def _gzipped(response: Response) -> Response:
    if len(response.data) > GZIP_REPLY_ABOVE and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.data = gzip.compress(response.data, compresslevel=5)
        response.headers["Content-Encoding"] = "gzip"
    return response
