"""An order's progress without polling: a client says what it has (a status or a version),
and the hub answers once the order's read model differs, or when the wait is up.

The pump that moves an order on may run in another process, so the wait cannot count on
being told: it re-reads one row of the read model, napping 20 ms at first and up to 200 ms,
holding no transaction between reads (and, on PostgreSQL, no connection while it naps the
longest)."""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from hub.errors import ApiError
from sync_protocol.database import is_postgres

# What GET /api/orders/<id>?wait= accepts; a hub may be configured to wait less.
WAIT_MAX_SECONDS = 25
FIRST_NAP_SECONDS, LAST_NAP_SECONDS = 0.02, 0.2
STATUSES = ("pending_reservation", "partially_reserved", "reserved", "expired", "confirmed",
            "cancelled")
# A version as order_json gives it: "<read model version>-<status>-<payment status>".
_VERSION = re.compile(r"\d{1,12}-[a-z_]{1,30}-[a-z_]{1,20}", re.ASCII)
_WHOLE_SECONDS = re.compile(r"\d{1,2}", re.ASCII)
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


@dataclass(frozen=True)
class WaitRequest:
    """A validated ?wait=&since=: no wait (seconds 0) answers at once."""
    seconds: int = 0
    since: str = ""


def parse_wait(args: Mapping[str, str]) -> WaitRequest:
    """wait: whole seconds 0..25; since: a status or a version, required with a wait."""
    wait, since = args.get("wait"), args.get("since")
    if wait is None and since is None:
        return WaitRequest()
    errors = {}
    seconds = int(wait) if wait is not None and _WHOLE_SECONDS.fullmatch(wait) else -1
    if wait is not None and not 0 <= seconds <= WAIT_MAX_SECONDS:
        errors["wait"] = f"A whole number of seconds from 0 to {WAIT_MAX_SECONDS}."
    if since is not None and since not in STATUSES and not _VERSION.fullmatch(since):
        errors["since"] = "An order status or the order's version, as last answered."
    if wait is not None and since is None:
        errors["since"] = "Say what you have: the status or the version last answered."
    if errors:
        raise ApiError(400, "invalid_fields", "Give wait and since as documented.", errors)
    return WaitRequest(max(seconds, 0), since or "")


def wait_until(hub, order_id: str, done: Callable[[Progress], bool], seconds: float) -> Progress:
    """Re-read the order until done(progress) or the time is up; return what was read last."""
    deadline = time.monotonic() + seconds
    nap = FIRST_NAP_SECONDS
    while True:
        progress = read_progress(hub, order_id)
        left = deadline - time.monotonic()
        if done(progress) or left <= 0:
            return progress
        if nap >= LAST_NAP_SECONDS:   # a long wait: not worth a connection held meanwhile
            _release_connection(hub.db)
        _nap(min(nap, left))
        nap = min(nap * 2, LAST_NAP_SECONDS)


def _nap(seconds: float) -> None:
    """The one place a wait sleeps (tests put a pump round here instead)."""
    time.sleep(seconds)


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
