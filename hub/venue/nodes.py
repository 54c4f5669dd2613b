"""On-site nodes as the hub knows them: creation, enrollment, epochs, revocation, keys."""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import logging
import os
from typing import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.platform.errors import Refused
from shared_domain import allocations, edge_facts
from shared_domain.conferences import ACCESS_CODE_ALPHABET
from shared_domain.errors import DomainError
from shared_domain.kept_from_doors import KEPT_BACK, for_doors
from sync_protocol import origin_signatures, wire
from event_store.ids import uuid7
from event_store.store import canonical_json
from sync_protocol.server import Caller
from sync_protocol.signing import new_secret
from sync_protocol.validation import InvalidField, ed25519_public_key, padded_base64
from sync_protocol.wire import ProtocolError

log = logging.getLogger(__name__)
ENROLLMENT_VALIDITY = dt.timedelta(hours=24)
ENROLLMENT_CODE_LENGTH = 12    # 60 bits from a 32-symbol alphabet: not guessable in 24 h


def origin_of(node_id: str, epoch: int) -> str:
    return edge_facts.door_origin(node_id, epoch)


def node_of_origin(origin: str) -> str:
    return origin.rsplit(":", 1)[0]


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_node(hub, conference, name: str) -> tuple:
    """Create a node for a conference and its one-time enrollment code (valid 24 h)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise Refused("invalid_fields", "Give the node a name (up to 100 characters).",
                      {"name": "1 to 100 characters"})
    now = hub.clock()
    with hub.db.atomic():
        node = hub.models.Node.create(id=uuid7(), conference_id=conference.id, name=name,
                                      created_at=now.isoformat())
        code = _new_code(hub, node, now)
        ensure_conference_keys(hub, conference.id)
        name_door(hub, node)
    return node, code


def name_door(hub, node) -> None:
    """Tell every replica of the conference the node's name (refusals and logs name doors)."""
    hub.publish(allocations.nodes_stream(node.conference_id),
                [allocations.DoorNamed(node.conference_id, node.id, node.name)],
                conference=node.conference_id)


def _new_code(hub, node, now) -> str:
    raw = os.urandom(ENROLLMENT_CODE_LENGTH)
    code = "".join(ACCESS_CODE_ALPHABET[b % 32] for b in raw)
    hub.models.EnrollmentCode.create(code_hash=_hash(code), node_id=node.id,
                                     expires_at=(now + ENROLLMENT_VALIDITY).isoformat())
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def new_enrollment_code(hub, node) -> str:
    """Another one-time code for the same node (a re-imaged device enrolls into a new epoch)."""
    with hub.db.atomic():
        return _new_code(hub, node, hub.clock())


def enroll(hub, code: str, node_public_key, software_version: str) -> dict:
    """Exchange a one-time code for the node's credentials; a used or expired code is refused,
    and so is a public key that is not Ed25519 (before the code is used up)."""
    node_public_key = node_key(node_public_key)
    E, N = hub.models.EnrollmentCode, hub.models.Node
    now = hub.clock()
    with hub.db.atomic():
        row = E.get_or_none(E.code_hash == _hash(code or ""))
        if row is None or row.used_at is not None:
            raise ProtocolError(403, "enrollment_refused", "This enrollment code is unknown or already used.")
        if dt.datetime.fromisoformat(row.expires_at) <= now:
            raise ProtocolError(403, "enrollment_expired", "This enrollment code has expired; ask the hub admin for a new one.")
        node = N.get_by_id(row.node_id)
        if node.revoked_at:
            raise ProtocolError(403, "node_revoked", "This node was revoked.", wipe=True)
        E.update(used_at=now.isoformat()).where(E.code_hash == row.code_hash).execute()
        node.secret, node.epoch = new_secret(), node.epoch + 1
        node.public_key, node.software_version = node_public_key, software_version[:40]
        node.enrolled_at = node.last_contact = now.isoformat()
        node.save()
        from hub.venue.allocations import register_node_key
        register_node_key(hub, node)
        name_door(hub, node)       # again: a node created before doors were named by sync
    return credentials(hub, node)


def node_key(text) -> str:
    """The node's own public key as every replica reads it (padded base64url), or "" for a
    node that signs no provisional tickets; anything else is 400 invalid_public_key."""
    if text is None or text == "":
        return ""
    try:
        return padded_base64(ed25519_public_key(text))
    except InvalidField as bad:
        raise ProtocolError(400, "invalid_public_key",
                            f"The node's public key {bad.message} (an Ed25519 key, 32 raw "
                            "bytes in base64url).", field="public_key") from None


def credentials(hub, node) -> dict:
    """What a node stores after enrolling: who it is, its secret, and the conference's keys."""
    conference = hub.models.Conference.get_by_id(node.conference_id)
    return {"node_id": node.id, "name": node.name, "secret": node.secret, "epoch": node.epoch,
            "hub_id": hub.hub_id,
            "origin": origin_of(node.id, node.epoch),
            "conference": {"id": conference.id, "slug": conference.slug, "name": conference.name},
            "ticket_public_keys": ticket_public_keys(hub, conference.id),
            "venue_key": venue_key(hub, conference.id),
            "event_public_key": event_public_key(hub, conference.id),
            "hub_time": hub.clock().timestamp()}


def new_epoch(hub, node) -> dict:
    """Start a new epoch (a new origin) for a node whose data was restored from an older copy."""
    from hub.venue.allocations import register_node_key
    with hub.db.atomic():
        node.epoch += 1
        node.save()
        register_node_key(hub, node)
    return credentials(hub, node)


def revoke(hub, node) -> None:
    hub.models.Node.update(revoked_at=hub.clock().isoformat()).where(
        hub.models.Node.id == node.id).execute()


def caller_for(hub, key_id: str) -> Caller:
    """The signer of a sync request: an enrolled, unrevoked node, allowed its conference's origins."""
    node = hub.models.Node.get_or_none(hub.models.Node.id == key_id)
    if node is None or not node.secret:
        raise ProtocolError(401, "unknown_node", "This node is not enrolled here.")
    if node.revoked_at:
        raise ProtocolError(403, "node_revoked",
                            "This node was revoked; it must wipe its personal data.", wipe=True)
    N = hub.models.Node
    peers = {row.id for row in N.select(N.id).where(N.conference_id == node.conference_id)}
    from hub.venue.origins import door_admission
    return Caller(key_id=node.id, secret=node.secret, conference=node.conference_id,
                  name=node.name, may_send=lambda origin: node_of_origin(origin) in peers,
                  admit=door_admission(hub, node.conference_id, node.id))


def ensure_conference_keys(hub, conference_id: str) -> None:
    """Give a conference a ticket-signing key and a venue key, once."""
    K, V = hub.models.ConferenceKey, hub.models.VenueKey
    if not K.select().where(K.conference_id == conference_id).exists():
        add_ticket_key(hub, conference_id)
    V.insert(conference_id=conference_id, secret=new_secret()).on_conflict_ignore().execute()


def add_ticket_key(hub, conference_id: str):
    """A new Ed25519 key for the conference's tickets (rotation: old keys stay listed)."""
    private, public = _new_key_pair()
    ed25519_public_key(public)   # what every node will decode, checked once here
    raw_public = base64.urlsafe_b64decode(public)
    return hub.models.ConferenceKey.create(
        key_id=base64.urlsafe_b64encode(hashlib.sha256(raw_public).digest()[:6]).decode(),
        conference_id=conference_id, private_key=private, public_key=public,
        created_at=hub.clock().isoformat())


def ticket_public_keys(hub, conference_id: str) -> dict[str, str]:
    """The conference's ticket keys as nodes read them; a malformed row is left out (logged)."""
    K = hub.models.ConferenceKey
    keys = {}
    for k in K.select().where((K.conference_id == conference_id) & K.retired_at.is_null()):
        try:
            keys[k.key_id] = padded_base64(ed25519_public_key(k.public_key))
        except InvalidField as bad:
            log.error("ticket key %s of conference %s not sent to nodes: %s", k.key_id,
                      conference_id, bad)
    return keys


def event_signer(hub, conference_id: str) -> Callable[[str], str]:
    """sign(digest) with the conference's event key (made on first use)."""
    return _signer(_event_key(hub, conference_id)[0].private_key)


def _event_key(hub, conference_id: str) -> tuple:
    """The conference's event key row, made on first use; and whether it was there already."""
    E = hub.models.EventKey
    row = E.get_or_none(E.conference_id == conference_id)
    if row is not None:
        return row, True
    private, public = _new_key_pair()
    E.insert(conference_id=conference_id, private_key=private,
             public_key=public).on_conflict_ignore().execute()
    return E.get_by_id(conference_id), False


@functools.lru_cache(maxsize=256)
def _signer(private_key: str) -> Callable[[str], str]:
    return origin_signatures.signer(private_key)


def event_public_key(hub, conference_id: str) -> str:
    return _event_key(hub, conference_id)[0].public_key


class EventSigners:
    """The hub's events signed once, as they are appended (`Hub.publish`), over the copy a door
    receives (docs/sync-protocol.md sections 10 and 11): the feed sends the stored signature.
    Signing each event again for every page sent was half the feed's time. A conference's key
    is kept in memory once read from the database, not when made here: the transaction that
    made it may still roll back."""

    def __init__(self, hub):
        self.hub = hub
        self._known: dict[str, tuple[Callable[[str], str], str]] = {}

    def _key(self, conference_id: str) -> tuple[Callable[[str], str], str]:
        known = self._known.get(conference_id)
        if known is None:
            row, existed = _event_key(self.hub, conference_id)
            known = _signer(row.private_key), row.public_key
            if existed:
                self._known[conference_id] = known
        return known

    def sign_row(self, conference_id: str) -> Callable[[dict], str]:
        """For EventStore.append: a row as the store writes it -> its door copy's signature."""
        return functools.partial(door_signature, self._key(conference_id)[0])

    def public_key(self, conference_id: str) -> str:
        return self._key(conference_id)[1]

    def sign(self, conference_id: str) -> Callable[[str], str]:
        return self._key(conference_id)[0]


def door_signature(sign: Callable[[str], str], row: dict) -> str:
    """The hub's signature of an event as doors receive it; `row` as the store writes it
    (`data` its JSON text, `payload_hash` its hash). An event with nothing kept back reaches
    doors as stored, so its payload hash is what is signed."""
    if row["type"] not in KEPT_BACK:
        return sign(row["payload_hash"])
    return sign(origin_signatures.envelope_digest(
        for_doors({**row, "data": json.loads(row["data"])})))


def signed_for_doors(hub, conference_id: str, envelopes: list[dict]) -> list[dict]:
    """The events as a door receives them (kept-back fields blank). The hub's carry the
    signature made when they were appended; one stored before that is signed now, over the
    door's copy, and the signature kept. A door's events keep the signature of the door that
    made them."""
    sign, made = None, {}
    out = []
    for envelope in envelopes:
        envelope = for_doors(envelope)
        if not envelope.get("sig") and envelope["origin"].startswith("hub/"):
            sign = sign or hub.event_signers.sign(conference_id)
            envelope = origin_signatures.signed(envelope, sign)
            made[envelope["position"]] = envelope["sig"]
        out.append(envelope)
    hub.store.keep_signatures(made)
    return out


def door_feed(hub, conference_id: str, rows: list[tuple]) -> list[str]:
    """A feed page as doors receive it, each envelope's JSON text (sync_protocol.wire.row_text):
    the body as stored, or with its kept-back fields blank; an unsigned event of the hub is
    signed now and the signature kept, as in `signed_for_doors`."""
    sign, made = None, {}
    out = []
    for row in rows:
        origin, type_, signature = row[wire.ROW_ORIGIN], row[wire.ROW_TYPE], row[wire.ROW_SIG]
        unsigned = not signature and origin.startswith("hub/")
        if type_ not in KEPT_BACK and not unsigned:
            out.append(wire.row_text(row))
            continue
        envelope = for_doors(wire.row_envelope(row))
        if unsigned:
            sign = sign or hub.event_signers.sign(conference_id)
            signature = made[row[wire.ROW_POSITION]] = sign(
                origin_signatures.envelope_digest(envelope))
        out.append(wire.row_text(row, data=canonical_json(envelope["data"]), sig=signature))
    hub.store.keep_signatures(made)
    return out


def register_origin_key(hub, node) -> None:
    """Remember the key of the node's current epoch (its relayed events are checked with it)."""
    if node.public_key:
        O = hub.models.OriginKey
        origin = origin_of(node.id, node.epoch)
        (O.insert(origin=origin, node_id=node.id, public_key=node.public_key)
         .on_conflict(conflict_target=[O.origin], update={O.public_key: node.public_key})
         .execute())


def origin_public_keys(hub, conference_id: str) -> dict[str, bytes]:
    """Every node origin's public key this conference's doors used (older epochs too)."""
    N, O = hub.models.Node, hub.models.OriginKey
    keys = {}
    for node in N.select().where(N.conference_id == conference_id):
        if node.public_key and node.epoch:
            # a node enrolled before keys were kept per epoch: its current key
            keys[origin_of(node.id, node.epoch)] = node.public_key
    for row in O.select().join(N, on=(O.node_id == N.id)).where(N.conference_id == conference_id):
        keys[row.origin] = row.public_key
    out = {}
    for origin, text in keys.items():
        try:
            out[origin] = ed25519_public_key(text)
        except InvalidField:
            log.error("key of origin %s is not an Ed25519 key: its relayed events are refused",
                      origin)
    return out


def _new_key_pair() -> tuple[str, str]:
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(serialization.Encoding.Raw,
                                        serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw)
    return _b64(raw_private), _b64(raw_public)


def venue_key(hub, conference_id: str) -> str:
    """The peers' shared HMAC secret (signing.new_secret: 43 base64url characters)."""
    row = hub.models.VenueKey.get_or_none(hub.models.VenueKey.conference_id == conference_id)
    return row.secret if row else ""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


# --- secret rotation (hub admin) ---------------------------------------------------

def rotate_secret(hub, node, *, retire_now: bool = False) -> str:
    """A new one-time code for the node, voiding any unused one; enrolling with it gives the
    node a new secret and epoch. With retire_now the current secret stops working at once."""
    if node.revoked_at:
        raise DomainError("node_revoked", "A revoked node cannot be given a new secret.")
    E, N = hub.models.EnrollmentCode, hub.models.Node
    now = hub.clock()
    with hub.db.atomic():
        E.update(expires_at=now.isoformat()).where(
            (E.node_id == node.id) & E.used_at.is_null()).execute()
        if retire_now:
            N.update(secret="").where(N.id == node.id).execute()
        return _new_code(hub, node, now)
