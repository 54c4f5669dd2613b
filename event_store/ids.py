"""Time-ordered identifiers (UUIDv7, RFC 9562) and a hybrid logical clock."""
from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = [0, 0]  # last millisecond and the 12-bit counter used within it


def uuid7(ms: int | None = None) -> str:
    """Return a UUIDv7 string; ids made in one process sort in creation order."""
    with _lock:
        ms = int(time.time() * 1000) if ms is None else ms
        if ms <= _last[0]:
            ms, counter = _last[0], _last[1] + 1
            if counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                ms, counter = ms + 1, 0
        else:
            counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last[0], _last[1] = ms, counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand
    return str(uuid.UUID(int=value))


class HybridClock:
    """Hybrid logical clock: wall-clock milliseconds plus a counter, never going back.

    Stamps are strings "<13-digit ms>-<5-digit counter>" that sort as they order,
    so nodes with a wrong wall clock still produce stamps after what they have seen.
    """

    def __init__(self, wall_ms=lambda: int(time.time() * 1000)):
        self._wall_ms = wall_ms
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            return format_hlc(self._ms, self._counter)

    def observe(self, stamp: str) -> None:
        """Move past a stamp seen from another replica."""
        ms, counter = parse_hlc(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter


def format_hlc(ms: int, counter: int) -> str:
    return f"{ms:013d}-{counter:05d}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    ms, _, counter = stamp.partition("-")
    return int(ms), int(counter or 0)
