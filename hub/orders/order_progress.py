"""An order's progress without polling: a client says what it has (a status or a version),
and the hub answers once the order's read model differs, or when the wait is up.

The pump that moves an order on may run in another process, so the wait cannot count on
being told: it re-reads one row of the read model, napping 20 ms at first and up to 200 ms,
holding no transaction between reads (and, on PostgreSQL, no connection while it naps the
longest). When the read model changes the order in this process it rings the order's bell,
and the wait looks again at once."""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from event_store.database import is_postgres

# What GET /api/orders/<id>?wait= accepts; a hub may be configured to wait less.
WAIT_MAX_SECONDS = 25
FIRST_NAP_SECONDS, LAST_NAP_SECONDS = 0.02, 0.2
RUNG_NAP_SECONDS = 0.02    # after this process's read model rang: its round commits soon
STATUSES = ("pending_reservation", "partially_reserved", "reserved", "expired", "confirmed",
            "cancelled")
# A version as order_json gives it: "<read model version>-<status>-<payment status>".
_VERSION = re.compile(r"\d{1,12}-[a-z_]{1,30}-[a-z_]{1,20}", re.ASCII)
# The answer of an order placed but not projected yet (registration.order_json says the same).
NOT_PROJECTED = ("pending_reservation", "", 0)


@dataclass(frozen=True)
class Progress:
    """What a waiting client compares: the status and a version that moves with every change."""
    status: str
    payment_status: str
    version: str

    def matches(self, since: str) -> bool:
        """Whether the client that has `since` (a status or a version) has this state."""
        return since in (self.status, self.version)


def version_tag(status: str, payment_status: str, version: int) -> str:
    """The order's version as clients see it: the read model's stream version alone misses
    payments (they live on their own streams), so the statuses are part of it."""
    return f"{version}-{status}-{payment_status or 'none'}"


def read_progress(hub, order_id: str) -> Progress:
    """One SELECT of three columns; an order not yet projected is pending its reservation."""
    O = hub.models.OrderView
    # list(): read the cursor to its end, so SQLite's read transaction ends here.
    rows = list(O.select(O.status, O.payment_status, O.version)
                .where(O.order_id == order_id).tuples())
    status, payment_status, version = rows[0] if rows else NOT_PROJECTED
    return Progress(status, payment_status, version_tag(status, payment_status, version))


def is_since(text: str) -> bool:
    """Whether a client's `since` is something the hub answers: a status or a version."""
    return text in STATUSES or _VERSION.fullmatch(text) is not None


def wait_until(hub, order_id: str, done: Callable[[Progress], bool], seconds: float,
               read: Callable = read_progress):
    """Re-read the order until done(progress) or the time is up; return what was read last.
    `read(hub, order_id)` reads the progress (the order's row unless told: its tickets'
    progress is hub/orders/tickets_progress.py)."""
    deadline = time.monotonic() + seconds
    nap = FIRST_NAP_SECONDS
    with BELLS.listening(order_id) as bell:
        while True:
            progress = read(hub, order_id)
            left = deadline - time.monotonic()
            if done(progress) or left <= 0:
                return progress
            if nap >= LAST_NAP_SECONDS:   # a long wait: not worth a connection held meanwhile
                _release_connection(hub.db)
            if _nap(min(nap, left), bell):
                # Rung by this process's read model: its change commits with the round
                # that rang, so look now and again shortly.
                bell.clear()
                nap = RUNG_NAP_SECONDS
            else:
                nap = min(nap * 2, LAST_NAP_SECONDS)


def _nap(seconds: float, bell: threading.Event) -> bool:
    """The one place a wait sleeps: until the time is up or the bell rings (whether it
    rang). Tests put a pump round here instead."""
    return bell.wait(seconds)


class Bells:
    """The waits of this process by order id. The read model rings an order's bell when it
    changes the order, so a wait here looks again at once rather than at the end of its
    nap; a pump in another process rings none, and the naps alone still find the change."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: dict[str, set[threading.Event]] = {}

    @contextmanager
    def listening(self, order_id: str) -> Iterator[threading.Event]:
        bell = threading.Event()
        with self._lock:
            self._waiting.setdefault(order_id, set()).add(bell)
        try:
            yield bell
        finally:
            with self._lock:
                bells = self._waiting.get(order_id, set())
                bells.discard(bell)
                if not bells:
                    self._waiting.pop(order_id, None)

    def ring(self, order_id: str) -> None:
        if order_id not in self._waiting:    # the pump's usual case: nobody waits
            return
        with self._lock:
            bells = tuple(self._waiting.get(order_id, ()))
        for bell in bells:
            bell.set()


BELLS = Bells()


def _release_connection(db) -> None:
    """Between reads a wait holds no transaction ever (reads run in autocommit). Once it
    naps at the longest, on PostgreSQL it holds no connection either (each is a server
    process; a pooled URL makes taking one back cheap). A SQLite connection is a file
    handle in this process: reopening it would only add its pragmas to every read."""
    if is_postgres(db) and not db.in_transaction():
        db.close()


class WaitGate:
    """At most `limit` requests of one process wait at once; the others answer at once.

    A waiting request holds one of the server's threads, so the gate keeps threads free
    for everything else; a client refused a wait sees the order unchanged and asks again."""

    def __init__(self, limit: int):
        self._slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yield whether this request may wait; the slot is given back when it is done."""
        held = self._slots is not None and self._slots.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                self._slots.release()
