"""Framework-free handlers of the sync calls both the hub and the nodes serve."""
from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from typing import Callable

import peewee

from sync_protocol.ingest import events_missing_from, ingest
from sync_protocol.resendable import resendable
from sync_protocol.signing import MAX_SKEW_SECONDS, SignedRequest, read_headers, verify
from event_store.store import EventStore
from sync_protocol.validation import (EventSchemas, FieldRules, HlcWindow, InvalidField,
                                      check_hlc)
from sync_protocol.wire import (DEFAULT_BATCH, MAX_BATCH, PROTOCOL_VERSION, ProtocolError,
                                check_batch, check_version, to_wire)

# A request body, plain or after gunzip: a batch of 1000 large events fits
# (docs/sync-protocol.md section 5).
MAX_BODY_BYTES = 32 * 1024 * 1024
# A pushed stamp may be this far from the receiver's clock: a node whose clock jumped a
# day either way still passes; a node that was offline for a year still delivers.
# A door's wrong clock must never keep its facts from the hub: the window only refuses
# stamps from another era, and the hub's own clock observes at most a second past its wall
# clock (hub/http/sync_api.py), so a stamp far ahead cannot move it.
HLC_AHEAD_MS = 400 * 86400 * 1000
HLC_BEHIND_MS = 400 * 86400 * 1000


@dataclass(frozen=True)
class Caller:
    """Who signed a request, what they may send, and which conference they belong to."""
    key_id: str
    secret: str
    conference: str
    name: str = ""
    # Origins whose events this caller may hand over; the hub takes none of its own
    # origins from a node.
    may_send: Callable[[str], bool] = lambda origin: True
    # What else each pushed envelope must pass (index, envelope); raises ProtocolError.
    admit: Callable[[int, dict], None] = lambda index, envelope: None


HUB_EVENT_RULES = FieldRules(text_max=1_000_000)


class Admission:
    """The receiver's checks of a pushed event: first who may send it (`rule`, e.g. the door
    facts of shared_domain/edge_facts.py), then its body against its schema, then its hlc."""

    def __init__(self, schemas: EventSchemas, rule: Callable[[dict], object | None],
                 now_ms: Callable[[], int], window: HlcWindow):
        self.schemas, self.rule, self.now_ms, self.window = schemas, rule, now_ms, window

    def __call__(self, index: int, envelope: dict) -> None:
        refused = self.rule(envelope)
        if refused is not None:
            raise ProtocolError(403, refused.code, f"Event {index}: {refused.message}.",
                                index=index, type=envelope["type"], field=refused.field)
        window, rules = self.window, None
        if envelope["origin"].startswith("hub/"):
            # A hub's history may be old, and its events carry what the hub decided (negative
            # seat deltas, long descriptions): only their shape is checked, not door limits.
            window, rules = HlcWindow(window.ahead_ms, None), HUB_EVENT_RULES
        try:
            self.schemas.check(envelope["type"], envelope["schema"], envelope["data"], rules)
            check_hlc(envelope["hlc"], self.now_ms(), window)
        except InvalidField as bad:
            raise ProtocolError(400, "malformed_event",
                                f"Event {index} ({envelope['type']}): {bad.field} {bad.message}.",
                                index=index, type=envelope["type"], field=bad.field) from None


def read_body(raw: bytes, content_encoding: str | None) -> bytes:
    """The request body, gunzipped when sent gzip; bombs and bad gzip are refused."""
    if (content_encoding or "").lower() != "gzip":
        if len(raw) > MAX_BODY_BYTES:
            raise body_too_large()
        return raw
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
            body = f.read(MAX_BODY_BYTES + 1)
    except (OSError, EOFError):
        raise ProtocolError(400, "malformed_request", "The gzip body could not be read.") from None
    if len(body) > MAX_BODY_BYTES:
        raise body_too_large()
    return body


def body_too_large() -> ProtocolError:
    return ProtocolError(413, "body_too_large",
                         f"The request body is over {MAX_BODY_BYTES} bytes (after gunzip); "
                         "send smaller batches.", max_bytes=MAX_BODY_BYTES)


def parse_json(body: bytes):
    try:
        return json.loads(body) if body else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError(400, "malformed_json", "The request body is not valid JSON.") from None


@dataclass(frozen=True)
class Nonce:
    """A verified request's nonce, to be remembered (`remember_nonce`) by what acts on it."""
    signed: SignedRequest
    now_seconds: float


def authenticate(store: EventStore, headers, method: str, path: str, raw_body: bytes,
                 now_seconds: float, lookup: Callable[[str], Caller]) -> Caller:
    """Check the signature, the timestamp and the nonce; `lookup` refuses unknown or revoked keys."""
    caller, nonce = verified(headers, method, path, raw_body, now_seconds, lookup)
    remember_nonce(store, nonce)
    return caller


def verified(headers, method: str, path: str, raw_body: bytes, now_seconds: float,
             lookup: Callable[[str], Caller]) -> tuple[Caller, Nonce]:
    """Check the signature and the timestamp, not yet the nonce: the caller remembers it in
    the transaction that acts on the request (a push: with the batch), so a replay of a
    request that took effect is refused as `authenticate` refuses it."""
    signed = read_headers(headers)
    caller = lookup(signed.key_id)
    verify(signed, caller.secret, method, path, raw_body, now_seconds)
    return caller, Nonce(signed, now_seconds)


def remember_nonce(store: EventStore, nonce: Nonce) -> None:
    """A nonce is accepted once; old ones are forgotten once their timestamp is stale anyway.
    Alone, it is committed without an fsync (`resendable`): one per signed request was a
    good part of serving a feed page."""
    N, signed, now = store.models.SeenNonce, nonce.signed, int(nonce.now_seconds)
    with resendable(store.db), store.atomic():
        N.delete().where(N.seen_at < now - 2 * MAX_SKEW_SECONDS).execute()
        try:
            N.create(key_id=signed.key_id, nonce=signed.nonce, seen_at=now)
        except peewee.IntegrityError:
            raise ProtocolError(401, "replayed_nonce",
                                "This request was already received (nonce reused).") from None


def push(store: EventStore, body, caller: Caller, *, hlc_ceiling_ms: int | None = None,
         nonce: Nonce | None = None, also: Callable[[], None] | None = None) -> dict:
    """Store the caller's batch in one transaction if every event passes; reply acked_through
    per origin. With `hlc_ceiling_ms` the receiver's clock observes no stamp beyond it.

    The request's `nonce` (from `verified`) and what the receiver records `also` (the node's
    contact) go in the batch's transaction: one write, where three each waited for the
    database's write lock while the hub's readers held it."""
    check_version(body)
    envelopes = check_batch(body)
    for i, envelope in enumerate(envelopes):
        if envelope["conference"] != caller.conference:
            raise ProtocolError(403, "wrong_conference",
                                f"Event {i} belongs to another conference.", index=i)
        if not caller.may_send(envelope["origin"]):
            raise ProtocolError(403, "origin_not_allowed",
                                f"Event {i}: {caller.name or caller.key_id} may not send events "
                                f"of origin {envelope['origin']}.", index=i)
        caller.admit(i, envelope)
    with store.atomic():
        if nonce is not None:
            remember_nonce(store, nonce)
        result = ingest(store, envelopes, source=caller.key_id, hlc_ceiling_ms=hlc_ceiling_ms)
        if also is not None:
            also()
    return {"protocol": PROTOCOL_VERSION, **result.reply()}


def pull_by_vector(store: EventStore, body, caller: Caller) -> dict:
    """The events of the caller's conference its version vector lacks, in (origin, seq) order."""
    check_version(body)
    vector = body.get("vector") if isinstance(body, dict) else None
    if not isinstance(vector, dict) or not all(
            isinstance(k, str) and type(v) is int for k, v in vector.items()):
        raise ProtocolError(400, "malformed_request", "'vector' must map origins to integers.")
    limit = _limit(body.get("limit"))
    events = events_missing_from(store, vector, conference=caller.conference, limit=limit + 1)
    return {"protocol": PROTOCOL_VERSION, "events": [to_wire(e) for e in events[:limit]],
            "has_more": len(events) > limit,
            "vector": store.version_vector(caller.conference)}


def _limit(value) -> int:
    if value is None:
        return DEFAULT_BATCH
    if type(value) is not int or not 1 <= value <= MAX_BATCH:
        raise ProtocolError(400, "malformed_request", f"'limit' must be 1..{MAX_BATCH}.")
    return value
