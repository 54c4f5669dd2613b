"""The hub's rules for check-ins from the venue (DESIGN.md section 6): facts stand, forks and
check-ins of revoked tickets become conflicts, recorded once whatever the order of arrival."""
from __future__ import annotations

import datetime as dt
import json

from shared_domain import checkin, conflict_rules
from event_store.store import StoredEvent

conflict_id = conflict_rules.conflict_id
INSERT_ROWS = 70    # 13 columns a row: under the 999 parameters of the oldest SQLite builds


def record_conflict(hub, kind, severity, conference_id, subject, event_ids, sides, outcome,
                    node_ids) -> None:
    """Store a conflict with both sides; detecting it again records nothing more."""
    hub.models.Conflict.insert(conflict_row(
        hub, kind, severity, conference_id, subject, event_ids, sides, outcome, node_ids,
    )).on_conflict_ignore().execute()


def conflict_row(hub, kind, severity, conference_id, subject, event_ids, sides, outcome,
                 node_ids) -> dict:
    """A conflict's row as `record_conflict` stores it (for readers that insert many)."""
    return dict(id=conflict_id(kind, event_ids), kind=kind, severity=severity,
                conference_id=conference_id, subject=subject[:100],
                nodes=",".join(sorted(set(node_ids))), sides=json.dumps(sides),
                automatic_outcome=outcome, detected_at=hub.clock().isoformat())


class CheckInRules:
    """A reader of the log applying the check-in conflict rules."""

    name = "checkin_rules"
    handles = (checkin.AttendeeCheckedIn, checkin.CheckInUndone, checkin.TicketRevoked)

    def __init__(self, hub):
        self.hub = hub
        self.m = hub.models

    def apply_many(self, events: list[StoredEvent]) -> None:
        """A slice of the log at once: each run of check-ins is judged set-based (a few
        statements per run, not per check-in); anything else one event at a time, in order."""
        run: list[StoredEvent] = []
        for event in events:
            if isinstance(event.message, checkin.AttendeeCheckedIn):
                run.append(event)
                continue
            self._checked_in_all(run)
            run = []
            self.apply(event)
        self._checked_in_all(run)

    def _checked_in_all(self, run: list[StoredEvent]) -> None:
        """Record the run's new check-ins, then look for forks and revoked tickets among
        everything held for their seats (the run's own check-ins included)."""
        if not run:
            return
        R, V = self.m.CheckInRecord, self.m.RevokedTicket
        seen = {r.scan_nonce for r in R.select(R.scan_nonce)
                .where(R.scan_nonce.in_([e.message.scan_nonce for e in run]))}
        fresh = []
        for event in run:
            if event.message.scan_nonce not in seen:   # one scan uploaded twice is one
                seen.add(event.message.scan_nonce)
                fresh.append(event)
        if not fresh:
            return
        now = self.hub.clock().isoformat()
        rows = [self._row(event, now) for event in fresh]
        for start in range(0, len(rows), INSERT_ROWS):
            R.insert_many(rows[start:start + INSERT_ROWS]).execute()
        held: dict[str, list] = {}
        for record in R.select().where(R.seat_id.in_(list({e.message.seat_id for e in fresh}))):
            held.setdefault(record.seat_id, []).append(record)
        revoked = {v.code_digest: v for v in V.select().where(
            V.code_digest.in_([e.message.code_digest for e in fresh if e.message.code_digest]))}
        for event in fresh:
            m = event.message
            [record] = [r for r in held[m.seat_id] if r.scan_nonce == m.scan_nonce]
            for other in held[m.seat_id]:
                if conflict_rules.is_fork(m.seat_id, m.previous, m.scan_nonce, other.seat_id,
                                          other.previous, other.scan_nonce, other.undone):
                    self._double_check_in(record, other)
            if m.code_digest in revoked:
                self._checked_in_revoked(record, revoked[m.code_digest])

    def _row(self, event: StoredEvent, received_at: str) -> dict:
        m = event.message
        return dict(scan_nonce=m.scan_nonce, event_id=event.id, conference_id=event.conference,
                    seat_id=m.seat_id, node_id=m.node_id, origin=event.origin,
                    scanned_at=m.scanned_at, hlc=event.hlc, previous=m.previous,
                    code_digest=m.code_digest, attendee_name=m.attendee_name, undone=False,
                    received_at=received_at)

    def apply(self, event: StoredEvent) -> None:
        m = event.message
        if isinstance(m, checkin.AttendeeCheckedIn):
            self._checked_in(m, event)
        elif isinstance(m, checkin.CheckInUndone):
            R = self.m.CheckInRecord
            R.update(undone=True).where(R.scan_nonce == m.scan_nonce).execute()
        elif isinstance(m, checkin.TicketRevoked):
            self._revoked(m, event)

    def _checked_in(self, m: checkin.AttendeeCheckedIn, event: StoredEvent) -> None:
        R = self.m.CheckInRecord
        if R.get_or_none(R.scan_nonce == m.scan_nonce) is not None:
            return  # the same scan uploaded twice is one check-in
        record = R.create(scan_nonce=m.scan_nonce, event_id=event.id,
                          conference_id=event.conference, seat_id=m.seat_id, node_id=m.node_id,
                          origin=event.origin, scanned_at=m.scanned_at, hlc=event.hlc,
                          previous=m.previous, code_digest=m.code_digest,
                          attendee_name=m.attendee_name, received_at=self.hub.clock().isoformat())
        # A fork: another door admitted the seat knowing the same last check-in. A check-in
        # taken back (staff undo, an admin's resolution) no longer holds the seat.
        for other in R.select().where((R.seat_id == m.seat_id) & (R.previous == m.previous)):
            if conflict_rules.is_fork(m.seat_id, m.previous, m.scan_nonce, other.seat_id,
                                      other.previous, other.scan_nonce, other.undone):
                self._double_check_in(record, other)
        revoked = self.m.RevokedTicket.get_or_none(self.m.RevokedTicket.code_digest == m.code_digest)
        if m.code_digest and revoked is not None:
            self._checked_in_revoked(record, revoked)

    def _revoked(self, m: checkin.TicketRevoked, event: StoredEvent) -> None:
        V = self.m.RevokedTicket
        V.insert(code_digest=m.code_digest, seat_id=m.seat_id, reason=m.reason,
                 event_id=event.id).on_conflict_ignore().execute()
        R = self.m.CheckInRecord
        for record in R.select().where(R.code_digest == m.code_digest):
            self._checked_in_revoked(record, V.get_by_id(m.code_digest))

    def _double_check_in(self, a, b) -> None:
        first, second = sorted([a, b], key=lambda r: (self._corrected_time(r), r.event_id))
        outcome = (f"The entry is {first.attendee_name} at {self._door(first)} "
                   f"({self._corrected_time(first):%H:%M:%S} hub time); the scan at "
                   f"{self._door(second)} counts as a duplicate. Possibly a shared ticket.")
        self._record("double_check_in", "info", a.conference_id, a.seat_id,
                     [first.event_id, second.event_id], [self._side(first), self._side(second)],
                     outcome, {first.node_id, second.node_id})

    def _checked_in_revoked(self, record, revoked) -> None:
        kind = conflict_rules.revoked_check_in_kind(revoked.reason)
        if kind is None:
            return  # a corrected name: the same person, nothing to review
        what = ("the seat was reassigned" if kind == "checkin_reassigned_seat"
                else "the order was cancelled or refunded")
        outcome = (f"The entry stands under the name on the ticket ({record.attendee_name}); "
                   f"{what} meanwhile. Review: who was admitted, charge or refund.")
        self._record(kind, "review", record.conference_id, record.seat_id,
                     [record.event_id, revoked.event_id],
                     [self._side(record), {"revocation": revoked.reason,
                                           "event_id": revoked.event_id}],
                     outcome, {record.node_id})

    def _record(self, kind, severity, conference_id, subject, event_ids, sides, outcome, node_ids):
        record_conflict(self.hub, kind, severity, conference_id, subject, event_ids, sides,
                        outcome, node_ids)

    def _corrected_time(self, record) -> dt.datetime:
        """The node's clock moved by the offset it reported: hub time."""
        node = self.m.Node.get_or_none(self.m.Node.id == record.node_id)
        offset = (node.clock_offset or 0.0) if node else 0.0
        return dt.datetime.fromisoformat(record.scanned_at) + dt.timedelta(seconds=offset)

    def _door(self, record) -> str:
        node = self.m.Node.get_or_none(self.m.Node.id == record.node_id)
        return node.name if node else record.node_id

    def _side(self, record) -> dict:
        return {"event_id": record.event_id, "node_id": record.node_id, "door": self._door(record),
                "attendee_name": record.attendee_name, "scanned_at": record.scanned_at,
                "corrected_at": self._corrected_time(record).isoformat(),
                "received_at": record.received_at, "scan_nonce": record.scan_nonce}
