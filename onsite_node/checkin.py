"""The door: decide a scan locally (no network needed), record it, look attendees up."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from onsite_node.replica import Replica
from shared_domain import checkin
from shared_domain.errors import DomainError
from shared_domain.tickets import read_ticket
from sync_protocol.ids import uuid7
from sync_protocol.validation import InvalidField, ed25519_public_key

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 1000   # a real code is ~200 characters; anything longer is not a ticket


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
        """Every key a ticket may be signed with; a malformed one is skipped (and logged), so
        one bad key never fails a scan of a code signed with another."""
        creds = self.replica.credentials
        keys = dict(creds.get("ticket_public_keys", {}))
        K = self.replica.models.NodeKeyView
        keys.update({k.key_id: k.public_key for k in K.select()})   # provisional codes of doors
        if creds.get("node_public_key"):
            keys[f"node:{creds['node_id']}"] = creds["node_public_key"]
        return dict(_readable(keys))

    def scan(self, code: str, *, by: str = "kiosk") -> ScanOutcome:
        """Decide and record one scan in one transaction: two scans at once admit once."""
        code = (code or "").strip()[:MAX_CODE_LENGTH]
        nonce, now = uuid7(), self.replica.clock().isoformat()
        try:
            ticket = read_ticket(code, self.public_keys())
        except DomainError as refused:
            decision = checkin.refusal(refused.code)
            self.replica.record(checkin.scan_events(
                decision, checkin.SeatAtDoor("", None, None, False), code=code,
                node_id=self.node_id, scanned_at=now, scan_nonce=nonce, by=by))
            return ScanOutcome(False, decision.reason, decision.message, scan_nonce=nonce)
        with self.replica.db.atomic():
            seat = self.seat_at_door(ticket.seat_id, checkin.code_digest(code))
            decision = checkin.decide_scan(ticket, seat, conference_id=self.replica.conference_id,
                                           policy=self.policy)
            self.replica.record(checkin.scan_events(decision, seat, code=code,
                                                    node_id=self.node_id, scanned_at=now,
                                                    scan_nonce=nonce, by=by))
        earlier = decision.earlier
        return ScanOutcome(decision.admitted, decision.reason, decision.message,
                           decision.attendee_name, decision.seat_id,
                           earlier.scanned_at if earlier else "",
                           self.door_name(earlier.node_id) if earlier else "", nonce)

    def seat_at_door(self, seat_id: str, digest: str = "") -> checkin.SeatAtDoor:
        m = self.replica.models
        order_id = seat_id.rsplit(":", 1)[0]
        order = m.OrderView.get_or_none(m.OrderView.order_id == order_id)
        confirmed = None if order is None else order.status == "confirmed"
        return checkin.SeatAtDoor(seat_id, confirmed, self.last_check_in(seat_id),
                                  bool(digest) and m.RevokedCode.get_or_none(
                                      m.RevokedCode.code_digest == digest) is not None)

    def last_check_in(self, seat_id: str) -> checkin.AttendeeCheckedIn | None:
        C = self.replica.models.CheckInView
        row = (C.select().where((C.seat_id == seat_id) & (C.undone == False))  # noqa: E712
               .order_by(C.position.desc()).first())
        if row is None:
            return None
        return checkin.AttendeeCheckedIn(row.seat_id, row.node_id, row.scanned_at,
                                         row.scan_nonce, row.attendee_name, row.code_digest,
                                         row.previous, row.method, row.by)

    def door_name(self, node_id: str) -> str:
        return "this door" if node_id == self.node_id else f"door {node_id[-6:]}"

    # --- the staff desk --------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[dict]:
        """Attendees whose name, email or company matches (never by order access code)."""
        A = self.replica.models.AttendeeView
        like = f"%{text.strip()}%"
        rows = (A.select()
                .where((A.email != "") & (
                    (A.first_name ** like) | (A.last_name ** like) | (A.email ** like)
                    | (A.company ** like)))
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


def _readable(keys: dict):
    """(key id, raw bytes) of each well-formed Ed25519 key."""
    for key_id, text in keys.items():
        try:
            yield key_id, ed25519_public_key(text)
        except InvalidField as bad:
            log.warning("ticket key %r skipped: %s", key_id, bad)
