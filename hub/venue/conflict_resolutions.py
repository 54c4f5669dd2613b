"""A hub admin settles a conflict: a `ConflictResolved` hub event (it syncs to the nodes), the
real effect where the resolution changes something, and the `conflict` row, in one transaction."""
from __future__ import annotations

import json

from hub.venue import conflict_queries
from hub.orders.tickets import STREAM_PREFIX as TICKETS, current_tickets
from shared_domain import checkin, conflicts
from shared_domain.errors import DomainError
from event_store.ids import uuid7

# The revocation reason of a ticket voided by a refund on review. The check-in rules raise no
# new conflict for it: the admin has just looked at this seat.
REFUND_ON_REVIEW = "refunded_on_review"


def resolve(hub, conflict_id: str, resolution: str, comment: str, by: str) -> dict:
    """Resolve one open conflict; return the stored resolution."""
    with hub.db.atomic():
        conflict = conflict_queries.conflict_by_id(hub, conflict_id)
        if conflict is None:
            raise DomainError("conflict_not_found", "There is no conflict with this id.")
        sides = json.loads(conflict.sides)
        other = sides[1].get("event_id", "") if len(sides) > 1 else ""
        now = hub.clock().isoformat()
        resolved = conflicts.decide_resolution(
            conflict_id=conflict.id, kind=conflict.kind, status=conflict.status,
            resolution=resolution, comment=comment, by=by, now=now, other_side=other)
        return _record(hub, conflict, resolved, sides)


def bulk_resolve(hub, conference_id: str, kind: str, comment: str, by: str) -> int:
    """Accept every open conflict of one info-level kind as detected; return how many."""
    open_ones = conflict_queries.find_conflicts(hub, conference_id=conference_id, kind=kind,
                                                status=conflicts.OPEN)
    for severity in {c.severity for c in open_ones} or {severity_of(kind)}:
        conflicts.check_bulk(severity, kind)
    done = 0
    for conflict in open_ones:
        try:
            resolve(hub, conflict.id, conflicts.ACCEPT, comment, by)
            done += 1
        except DomainError as refusal:
            if refusal.code != "already_resolved":  # resolved meanwhile by another admin
                raise
    return done


# Kinds recorded as info (DESIGN.md section 6), for a bulk request when none is open.
INFO_KINDS = {"double_check_in", "badge_for_unassigned_seat"}


def severity_of(kind: str) -> str:
    return conflicts.INFO if kind in INFO_KINDS else conflicts.REVIEW


def _record(hub, conflict, resolved: conflicts.ConflictResolved, sides: list) -> dict:
    conference = conflict.conference_id
    [stored] = hub.publish(conflicts.stream_id(conference), [resolved], conference=conference,
                           correlation=conflict.id)
    for stream, events in _effects(hub, conflict, resolved, sides):
        version = hub.store.stream_version(stream) if stream.startswith(TICKETS) else None
        hub.publish(stream, events, conference=conference, expected_version=version,
                    causation=stored.id, correlation=conflict.id)
    outcome = {"resolution": resolved.resolution, "comment": resolved.comment,
               "by": resolved.by, "event_id": stored.id, "chosen": resolved.chosen}
    C = hub.models.Conflict
    C.update(status=conflicts.RESOLVED, resolved_at=resolved.resolved_at,
             resolution=json.dumps(outcome)).where(C.id == conflict.id).execute()
    return {**outcome, "conflict_id": conflict.id, "resolved_at": resolved.resolved_at}


def _effects(hub, conflict, resolved: conflicts.ConflictResolved, sides: list) -> list:
    """The domain events a resolution causes besides itself, as (stream, events) pairs."""
    if resolved.resolution == conflicts.REFUND:
        return _void_current_ticket(hub, conflict.subject)
    if resolved.resolution == conflicts.OTHER_SIDE and conflict.kind == "checkin_reassigned_seat":
        return _take_back_check_in(hub, conflict, sides[0], resolved.by)
    return []  # accept, reviewed, and the entry chosen among two scans: the event says it all


def _void_current_ticket(hub, seat_id: str) -> list:
    """Refund: the seat's live ticket, if any, is revoked, so doors refuse it from now on."""
    order_id = seat_id.rsplit(":", 1)[0]
    live = current_tickets(hub, order_id).get(seat_id)
    if live is None:
        return []
    return [(TICKETS + order_id,
             [checkin.TicketRevoked(order_id, seat_id, live.code_digest, REFUND_ON_REVIEW)])]


def _take_back_check_in(hub, conflict, entry: dict, by: str) -> list:
    """The seat's new holder is the one to admit: the old holder's check-in no longer counts."""
    R = hub.models.CheckInRecord
    record = R.get_or_none(R.scan_nonce == entry.get("scan_nonce", ""))
    if record is None or record.undone:
        return []
    undo = checkin.CheckInUndone(record.seat_id, record.scan_nonce, "hub",
                                 hub.clock().isoformat(), by, uuid7())
    return [(conflicts.stream_id(conflict.conference_id), [undo])]
