"""The proofs in wait-list links: an HMAC of the entry's or offer's id with the hub's
secret, so a link opens only what it was mailed for (an id is not a secret)."""
from __future__ import annotations

import hashlib
import hmac


def _secret(hub) -> bytes:
    from hub.bootstrap import stored_secret     # bootstrap imports the mails, which use this
    return (hub.config.secret_key or stored_secret(hub.config.data_dir)).encode()


def proof(hub, kind: str, identifier: str) -> str:
    """The proof of a wait-list entry ("entry") or offer ("offer")."""
    digest = hmac.new(_secret(hub), f"waitlist-{kind}:{identifier}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def holds(hub, kind: str, identifier: str, given: object) -> bool:
    """Whether `given` is the proof of this entry or offer (any text: never an error)."""
    return isinstance(given, str) and hmac.compare_digest(
        proof(hub, kind, identifier).encode(), given.encode("utf-8", "replace"))
