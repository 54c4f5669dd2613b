"""The sync protocol's HTTP client (requests): signed, gzip, with the receiver's clock offset."""
from __future__ import annotations

import gzip
import json
import time
from urllib.parse import urlencode

import requests

from sync_protocol.signing import signed_headers
from sync_protocol.wire import PROTOCOL_VERSION, ProtocolError

GZIP_ABOVE_BYTES = 1024


class Unreachable(Exception):
    """The other side could not be reached or failed (5xx): try again later. `reached`: it
    was there, and failed or was too slow to answer; not when no connection could be made or
    it was lost (the link or the other side is down)."""

    def __init__(self, message: str, *, reached: bool = False):
        super().__init__(message)
        self.reached = reached


class SyncClient:
    """Calls one other replica (the hub or a peer) as one signer."""

    def __init__(self, base_url: str, key_id: str, secret: str, *,
                 session: requests.Session | None = None, timeout: float = 15.0,
                 clock_offset: float = 0.0):
        self.base_url = base_url.rstrip("/")
        self.key_id, self.secret = key_id, secret
        self.session = session or requests.Session()
        self.timeout = timeout
        # The other side's time minus ours: nodes have no real-time clock, so requests
        # are stamped with the receiver's time as we best know it.
        self.clock_offset = clock_offset

    def measure_clock(self) -> float:
        """Ask the other side's time (unsigned) and keep the offset; return it in seconds."""
        before = time.time()
        reply = self._send("GET", "/sync/v1/time", b"", {})
        after = time.time()
        self.clock_offset = reply["server_time"] - (before + after) / 2
        return self.clock_offset

    def call(self, method: str, path: str, body: dict | None = None,
             params: dict | None = None) -> dict:
        """One signed call; a refusal raises ProtocolError, a failure to reach raises Unreachable."""
        if params:
            path = f"{path}?{urlencode(params)}"
        raw = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if len(raw) > GZIP_ABOVE_BYTES:
            raw = gzip.compress(raw, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        headers.update(signed_headers(self.key_id, self.secret, method, path, raw,
                                      time.time() + self.clock_offset))
        return self._send(method, path, raw, headers)

    def _send(self, method: str, path: str, raw: bytes, headers: dict) -> dict:
        try:
            response = self.session.request(method, self.base_url + path, data=raw or None,
                                            headers=headers, timeout=self.timeout)
        except requests.RequestException as e:
            # A read timeout reached it (too slow); a connection refused, reset or timed out did not.
            raise Unreachable(f"{self.base_url}: {e.__class__.__name__}",
                              reached=not isinstance(e, requests.ConnectionError)) from e
        if response.status_code >= 500:
            raise Unreachable(f"{self.base_url}{path}: HTTP {response.status_code}",
                              reached=True)
        try:
            reply = response.json()
        except ValueError:
            raise Unreachable(f"{self.base_url}{path}: not a JSON reply", reached=True) from None
        if response.status_code >= 400:
            error = reply.get("error", {}) if isinstance(reply, dict) else {}
            extra = {k: v for k, v in error.items() if k not in ("code", "message")}
            raise ProtocolError(response.status_code, error.get("code", "error"),
                                error.get("message", ""), **extra)
        return reply

    # --- the calls ---------------------------------------------------------------

    def push(self, events: list[dict]) -> dict:
        return self.call("POST", "/sync/v1/push", {"protocol": PROTOCOL_VERSION, "events": events})

    def pull_by_vector(self, vector: dict[str, int], limit: int) -> dict:
        return self.call("POST", "/sync/v1/pull",
                         {"protocol": PROTOCOL_VERSION, "vector": vector, "limit": limit})

    def feed(self, after: int, limit: int) -> dict:
        return self.call("GET", "/sync/v1/feed", params={"after": after, "limit": limit,
                                                         "protocol": PROTOCOL_VERSION})
