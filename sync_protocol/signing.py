"""Request signing: HMAC-SHA256 over method, path, timestamp, nonce and the body's hash."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from sync_protocol.wire import ProtocolError

HEADER_KEY_ID = "X-Contoso-Key-Id"       # the node id (or "peer:<node id>" for the venue key)
HEADER_TIMESTAMP = "X-Contoso-Timestamp"  # seconds since the epoch, by the hub's clock as the node knows it
HEADER_NONCE = "X-Contoso-Nonce"
HEADER_SIGNATURE = "X-Contoso-Signature"
MAX_SKEW_SECONDS = 300


def new_secret() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """The bytes that are signed: one field per line, the body as its SHA-256."""
    return "\n".join([method.upper(), path, timestamp, nonce,
                      hashlib.sha256(body).hexdigest()]).encode()


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), canonical_request(method, path, timestamp, nonce, body),
                   hashlib.sha256)
    return mac.hexdigest()


def signed_headers(key_id: str, secret: str, method: str, path: str, body: bytes,
                   now_seconds: float) -> dict[str, str]:
    """Headers for one request; `now_seconds` is the sender's best idea of the receiver's time."""
    timestamp = str(int(now_seconds))
    nonce = base64.urlsafe_b64encode(os.urandom(18)).decode()
    return {HEADER_KEY_ID: key_id, HEADER_TIMESTAMP: timestamp, HEADER_NONCE: nonce,
            HEADER_SIGNATURE: sign(secret, method, path, timestamp, nonce, body)}


@dataclass(frozen=True)
class SignedRequest:
    key_id: str
    timestamp: int
    nonce: str
    signature: str


def read_headers(headers) -> SignedRequest:
    """The signature headers of a request, or 401 unsigned."""
    try:
        return SignedRequest(headers[HEADER_KEY_ID], int(headers[HEADER_TIMESTAMP]),
                             headers[HEADER_NONCE][:64], headers[HEADER_SIGNATURE])
    except (KeyError, ValueError):
        raise ProtocolError(401, "unsigned", "The request must be signed.") from None


def verify(request: SignedRequest, secret: str, method: str, path: str, body: bytes,
           now_seconds: float) -> None:
    """Refuse a bad signature (401 bad_signature) or a stale timestamp (401 stale_timestamp)."""
    expected = sign(secret, method, path, str(request.timestamp), request.nonce, body)
    if not hmac.compare_digest(expected, request.signature):
        raise ProtocolError(401, "bad_signature", "The request signature does not match.")
    if abs(now_seconds - request.timestamp) > MAX_SKEW_SECONDS:
        raise ProtocolError(401, "stale_timestamp",
                            "The request's timestamp is too far from this side's clock; "
                            "sync the clock offset and retry.", server_time=now_seconds)
