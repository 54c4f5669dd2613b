"""One limit on guessing the staff PIN at this door, shared by every way in (the PIN page
and the node's JSON API with X-Staff-Pin), kept for the life of the node process.

- Per client address: five wrong PINs within a minute lock that address for a minute;
  each further lockout while it keeps failing doubles the wait, up to 15 minutes.
- For the whole door: thirty wrong PINs within a minute (many addresses) make the
  addresses that have not opened the desk today wait until the minute has passed. Staff
  at a screen that signed in today are never stopped by others' failures.

A refused try tests nothing and is not counted. Times are seconds on the kiosk's clock.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

MAX_FAILURES = 5              # per address within WINDOW_S ...
WINDOW_S = 60.0               # ... lock it for LOCK_S, doubled per further lockout
LOCK_S = 60.0
MAX_LOCK_S = 15 * 60.0
DOOR_CEILING = 30             # all addresses together within WINDOW_S
KNOWN_S = 12 * 3600.0         # an address that opened the desk is known this long
MAX_ADDRESSES = 4096          # memory stays bounded whoever calls


@dataclass
class _Address:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    lockouts: int = 0
    opened_at: float | None = None
    last_seen: float = 0.0


class PinGuard:
    """Say how long an address must wait before its next PIN try; record what tries show."""

    def __init__(self):
        self._addresses: dict[str, _Address] = {}
        self._door_failures: list[float] = []
        self._lock = threading.Lock()

    def seconds_to_wait(self, address: str, now: float) -> int:
        """0 if this address may try a PIN now, else whole seconds until it may."""
        with self._lock:
            held = self._addresses.get(address)
            wait = held.locked_until - now if held else 0.0
            self._door_failures = [t for t in self._door_failures if now - t < WINDOW_S]
            known = held is not None and held.opened_at is not None \
                and now - held.opened_at < KNOWN_S
            if not known and len(self._door_failures) >= DOOR_CEILING:
                oldest_counted = self._door_failures[-DOOR_CEILING]
                wait = max(wait, oldest_counted + WINDOW_S - now)
            return math.ceil(wait) if wait > 0 else 0

    def failed(self, address: str, now: float) -> None:
        with self._lock:
            held = self._entry(address, now)
            if now - held.locked_until > MAX_LOCK_S:
                held.lockouts = 0          # quiet for long: start again from a minute
            held.failures = [t for t in held.failures if now - t < WINDOW_S] + [now]
            # Only the newest DOOR_CEILING can decide a wait.
            self._door_failures = [*self._door_failures[-(DOOR_CEILING - 1):], now]
            if len(held.failures) >= MAX_FAILURES:
                held.locked_until = now + min(LOCK_S * 2 ** held.lockouts, MAX_LOCK_S)
                held.lockouts += 1
                held.failures = []

    def succeeded(self, address: str, now: float) -> None:
        with self._lock:
            held = self._entry(address, now)
            held.failures, held.lockouts, held.opened_at = [], 0, now

    def _entry(self, address: str, now: float) -> _Address:
        held = self._addresses.get(address)
        if held is None:
            if len(self._addresses) >= MAX_ADDRESSES:
                self._forget_quiet(now)
            held = self._addresses[address] = _Address()
        held.last_seen = now
        return held

    def _forget_quiet(self, now: float) -> None:
        """Drop addresses that are neither locked nor known, then the longest unseen."""
        for address, held in list(self._addresses.items()):
            if held.locked_until < now and (held.opened_at is None
                                            or now - held.opened_at >= KNOWN_S):
                del self._addresses[address]
        if len(self._addresses) >= MAX_ADDRESSES:
            oldest = min(self._addresses, key=lambda a: self._addresses[a].last_seen)
            del self._addresses[oldest]


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def for_app(app) -> PinGuard:
    """The door's one guard: the node's app makes it, the kiosk pages and the API share it."""
    return app.extensions.setdefault("staff_pin_guard", PinGuard())
