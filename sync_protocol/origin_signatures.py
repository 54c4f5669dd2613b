"""Each event signed by its origin: a door with its own Ed25519 key, the hub with its
conference's event key. A relayed event can then be told from one forged under another
origin with a stolen credential (the venue key is shared by every door; a node's secret
only proves who sends a request, not who observed what it carries). docs/sync-protocol.md
section 11."""
from __future__ import annotations

import base64
import binascii
from typing import Callable, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)

from event_store.store import canonical_json, payload_hash

# What is signed starts with this, so an event signature is never a valid ticket signature
# made with the same key (a door's key also signs its provisional tickets), nor the reverse.
CONTEXT = b"contoso-event/1\n"
SIGNATURE_CHARS = 88     # 64 bytes in padded base64url


class Refusal(NamedTuple):
    """Why a relayed event is refused (the shape of the origin rules' refusals)."""
    code: str
    message: str
    field: str = "sig"


def envelope_digest(envelope: dict) -> str:
    """The hash replicas compare for one (origin, seq): what the signature covers."""
    e = envelope
    return payload_hash(e["id"], e["origin"], e["seq"], e["stream"], e["version"], e["type"],
                        e["schema"], e["conference"], canonical_json(e["data"]),
                        e["occurred_at"], e["hlc"], e.get("causation"), e.get("correlation"))


def signer(private_key_b64: str) -> Callable[[str], str]:
    """sign(digest) -> signature, for the holder of the private key (raw 32 bytes, base64url)."""
    key = Ed25519PrivateKey.from_private_bytes(_decode(private_key_b64))

    def sign(digest: str) -> str:
        return base64.urlsafe_b64encode(key.sign(CONTEXT + digest.encode())).decode()

    return sign


def signed(envelope: dict, sign: Callable[[str], str]) -> dict:
    return {**envelope, "sig": sign(envelope_digest(envelope))}


def verifies(envelope: dict, public_key: bytes) -> bool:
    signature = envelope.get("sig")
    if not isinstance(signature, str) or len(signature) != SIGNATURE_CHARS:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            _decode(signature), CONTEXT + envelope_digest(envelope).encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def refusal(envelope: dict, public_key: bytes | None) -> Refusal | None:
    """Why a relayed envelope is not taken as its origin's (None: its signature holds)."""
    origin = envelope["origin"]
    if public_key is None:
        return Refusal("unknown_origin_key",
                       f"no key of origin {origin} is known here, so its relayed events "
                       "cannot be checked; they come through once the hub's key list does")
    if envelope.get("sig") is None:
        return Refusal("unsigned_event", f"a relayed event of origin {origin} must carry its "
                                         "origin's signature")
    if not verifies(envelope, public_key):
        return Refusal("bad_event_signature",
                       f"the signature does not match origin {origin}'s key")
    return None


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""
