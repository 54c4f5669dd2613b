"""The door: decide a scan locally (no network needed), record it, look attendees up."""
from __future__ import annotations

import functools
import logging
import operator
from dataclasses import asdict, dataclass

from onsite_node.name_search import query_words
from onsite_node.replica import ProjectionFailed, Replica
from shared_domain import checkin
from shared_domain.errors import DomainError
from shared_domain.tickets import read_ticket
from event_store.ids import uuid7

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 1000   # a real code is ~200 characters; anything longer is not a ticket


# The scan's lookups, prepared once (sqlite3's statement cache) rather than built by peewee.
ORDER_STATUS = "SELECT status FROM rm_order WHERE order_id = ?"
REVOKED = "SELECT 1 FROM rm_revoked_code WHERE code_digest = ?"
LAST_CHECK_IN = ('SELECT seat_id, node_id, scanned_at, scan_nonce, attendee_name, code_digest, '
                 'previous, method, "by" FROM rm_check_in WHERE seat_id = ? AND undone = 0 '
                 'ORDER BY position DESC LIMIT 1')

# What the open scan answer shows anyone at the door: no seat id (it names the order).
PUBLIC_FIELDS = ("admitted", "reason", "message", "attendee_name", "earlier_at", "earlier_door")


@dataclass(frozen=True)
class ScanOutcome:
    admitted: bool
    reason: str
    message: str
    attendee_name: str = ""
    seat_id: str = ""
    earlier_at: str = ""       # when refused as already used: when and where
    earlier_door: str = ""
    scan_nonce: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    def public_json(self) -> dict:
        """The decision as anyone at the door may see it."""
        return {name: value for name, value in asdict(self).items() if name in PUBLIC_FIELDS}


class CheckInDesk:
    """Check-in on one node, for the kiosk, the staff desk and the camera worker."""

    def __init__(self, replica: Replica, *, policy: str = checkin.SINGLE_ENTRY):
        self.replica = replica
        self.policy = policy

    @property
    def node_id(self) -> str:
        return self.replica.credentials["node_id"]

    def public_keys(self) -> dict[str, bytes]:
        """Every key a ticket may be signed with (kept in memory by the replica)."""
        return self.replica.ticket_keys()

    def scan(self, code: str, *, by: str = "kiosk") -> ScanOutcome:
        """Decide and record one scan in one transaction: two scans at once admit once.

        The transaction is short and has no savepoint: the scan's facts are projected
        inline. Should that fail (a projection's bug), the scan is rolled back and decided
        again with the facts projected as any other events, the failing one set aside.
        """
        code = (code or "").strip()[:MAX_CODE_LENGTH]
        nonce, now = uuid7(), self.replica.clock().isoformat()
        try:
            return self._scan(code, nonce, now, by, savepoints=False)
        except ProjectionFailed:
            log.exception("a scan's facts failed to project inline; recording it again")
            return self._scan(code, nonce, now, by, savepoints=True)

    def _scan(self, code: str, nonce: str, now: str, by: str, *,
              savepoints: bool) -> ScanOutcome:
        try:
            ticket = read_ticket(code, self.public_keys())
        except DomainError as refused:
            decision = checkin.refusal(refused.code)
            self.replica.record(checkin.scan_events(
                decision, checkin.SeatAtDoor("", None, None, False), code=code,
                node_id=self.node_id, scanned_at=now, scan_nonce=nonce, by=by),
                savepoints=savepoints)
            return ScanOutcome(False, decision.reason, decision.message, scan_nonce=nonce)
        with self.replica.db.atomic():
            seat = self.seat_at_door(ticket.seat_id, checkin.code_digest(code))
            decision = checkin.decide_scan(ticket, seat, conference_id=self.replica.conference_id,
                                           policy=self.policy)
            self.replica.record(checkin.scan_events(decision, seat, code=code,
                                                    node_id=self.node_id, scanned_at=now,
                                                    scan_nonce=nonce, by=by),
                                savepoints=savepoints)
        earlier = decision.earlier
        return ScanOutcome(decision.admitted, decision.reason, decision.message,
                           decision.attendee_name, decision.seat_id,
                           earlier.scanned_at if earlier else "",
                           self.door_name(earlier.node_id) if earlier else "", nonce)

    def seat_at_door(self, seat_id: str, digest: str = "") -> checkin.SeatAtDoor:
        conn = self.replica.db.connection()
        order = conn.execute(ORDER_STATUS, (seat_id.rsplit(":", 1)[0],)).fetchone()
        confirmed = None if order is None else order[0] == "confirmed"
        revoked = bool(digest) and conn.execute(REVOKED, (digest,)).fetchone() is not None
        return checkin.SeatAtDoor(seat_id, confirmed, self.last_check_in(seat_id), revoked,
                                  order_cancelled=order is not None and order[0] == "cancelled")

    def last_check_in(self, seat_id: str) -> checkin.AttendeeCheckedIn | None:
        row = self.replica.db.connection().execute(LAST_CHECK_IN, (seat_id,)).fetchone()
        return None if row is None else checkin.AttendeeCheckedIn(*row)

    def door_name(self, node_id: str) -> str:
        """"this door", or another door by the name the admin gave it (learned by sync)."""
        return "this door" if node_id == self.node_id else self.replica.door_name(node_id)

    # --- the staff desk --------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[dict]:
        """Attendees with a word of their name, email or company starting with each word
        typed, in any order, without regard to accents or case (never by order access code)."""
        A = self.replica.models.AttendeeView
        typed = query_words(text)
        if not typed:
            return []
        found = functools.reduce(operator.and_, (A.search_text.contains(f" {word}")
                                                 for word in typed))
        rows = (A.select().where((A.email != "") & found)
                .order_by(A.last_name, A.first_name).limit(limit))
        return [self.attendee(row) for row in rows]

    def attendee(self, row) -> dict:
        seat_id = checkin.seat_id(row.order_id, row.position)
        last = self.last_check_in(seat_id)
        return {"seat_id": seat_id, "first_name": row.first_name, "last_name": row.last_name,
                "email": row.email, "company": row.company, "seat_type": row.seat_type,
                "checked_in": last is not None,
                "checked_in_at": last.scanned_at if last else ""}

    def check_in_manually(self, seat_id: str, *, by: str) -> None:
        A = self.replica.models.AttendeeView
        order_id, _, position = seat_id.rpartition(":")
        row = A.get_or_none((A.order_id == order_id) & (A.position == int(position or -1)))
        if row is None or not row.email:
            raise DomainError("unknown_seat", "No attendee holds this seat.")
        with self.replica.db.atomic():
            events = checkin.manual_check_in(
                self.seat_at_door(seat_id), f"{row.first_name} {row.last_name}".strip(),
                node_id=self.node_id, at=self.replica.clock().isoformat(), nonce=uuid7(), by=by,
                policy=self.policy)
            self.replica.record(events)

    def undo(self, seat_id: str, *, by: str) -> None:
        with self.replica.db.atomic():
            self.replica.record(checkin.undo_check_in(
                self.seat_at_door(seat_id), node_id=self.node_id,
                at=self.replica.clock().isoformat(), by=by, nonce=uuid7()))

    def history(self, seat_id: str) -> dict:
        m = self.replica.models
        scans = m.ScanView.select().where(m.ScanView.seat_id == seat_id).order_by(m.ScanView.scanned_at)
        entries = m.CheckInView.select().where(m.CheckInView.seat_id == seat_id).order_by(m.CheckInView.position)
        return {"scans": [{"at": s.scanned_at, "door": self.door_name(s.node_id),
                           "result": s.result, "reason": s.reason, "by": s.by} for s in scans],
                "check_ins": [{"at": c.scanned_at, "door": self.door_name(c.node_id),
                               "method": c.method, "by": c.by, "undone": c.undone}
                              for c in entries]}
