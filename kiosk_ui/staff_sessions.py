"""The server side of staff sessions at the desk: the cookie holds a random token only, and
the node keeps when the session started, was last seen and ended. Locking the desk ends
it for every copy of the cookie; so does idling past the timeout.

`MemoryStaffSessions` serves the kiosk pages on their own (tests with a fake node); the node
gives its own store, a table in its database (onsite_node/staff_sessions.py), so a
restart keeps the desk open.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Protocol

MAX_SESSIONS = 1000     # a door has a few screens; memory stays bounded whoever calls


class StaffSessions(Protocol):
    def start(self, name: str, now: float) -> str: ...

    def name_of(self, token: str, now: float, idle_s: float) -> str | None: ...

    def end(self, token: str, now: float) -> None: ...


@dataclass
class _Held:
    name: str
    created: float
    seen: float
    ended: float | None = None


class MemoryStaffSessions:
    """Staff sessions kept in this process."""

    def __init__(self):
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def start(self, name: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            if len(self._held) >= MAX_SESSIONS:
                oldest = min(self._held, key=lambda t: self._held[t].seen)
                del self._held[oldest]
            self._held[token] = _Held(name, now, now)
        return token

    def name_of(self, token: str, now: float, idle_s: float) -> str | None:
        """The staff member of this open session, counting this request as activity."""
        with self._lock:
            held = self._held.get(token) if isinstance(token, str) else None
            if held is None or held.ended is not None:
                return None
            if now - held.seen > idle_s:
                held.ended = now
                return None
            held.seen = now
            return held.name

    def end(self, token: str, now: float) -> None:
        with self._lock:
            held = self._held.get(token) if isinstance(token, str) else None
            if held is not None and held.ended is None:
                held.ended = now


def for_app(app) -> StaffSessions:
    """The node's store if it gave one, else one kept in memory for this app."""
    return app.extensions.setdefault("staff_sessions", MemoryStaffSessions())
