"""Settling sync conflicts (DESIGN.md section 6): a hub admin's resolution is itself an event.

A conflict is detected on the hub with an automatic outcome. An admin then accepts that
outcome, chooses the other side, refunds, or marks it reviewed with a comment. The
resolution is a hub event (origin `hub/<conference>`), so it syncs back to every node of
the conference like any other fact.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared_domain.errors import DomainError

ACCEPT, OTHER_SIDE, REFUND, REVIEWED = "accept", "other_side", "refund", "reviewed"
RESOLUTION_LABELS = {
    ACCEPT: "Accept the automatic outcome",
    OTHER_SIDE: "Choose the other side",
    REFUND: "Refund",
    REVIEWED: "Mark reviewed",
}
INFO, REVIEW = "info", "review"
OPEN, RESOLVED = "open", "resolved"

# Which resolutions make sense for each kind; a kind not listed may be accepted or reviewed.
RESOLUTIONS_BY_KIND = {
    "double_check_in": (ACCEPT, OTHER_SIDE, REVIEWED),
    "checkin_reassigned_seat": (ACCEPT, OTHER_SIDE, REFUND, REVIEWED),
    "checkin_cancelled_order": (ACCEPT, REFUND, REVIEWED),
    "sale_beyond_allocation": (ACCEPT, REVIEWED),
    "payment_reference_reused": (ACCEPT, REVIEWED),
    "sale_discount_refused": (ACCEPT, REVIEWED),
}
DEFAULT_RESOLUTIONS = (ACCEPT, REVIEWED)
MAX_COMMENT = 2000


@dataclass(frozen=True)
class ConflictResolved:
    """A hub admin settled a conflict; `chosen` names the event that stands, if one was picked."""
    conflict_id: str
    kind: str
    resolution: str       # accept | other_side | refund | reviewed
    comment: str
    by: str               # the admin's email
    resolved_at: str      # the hub's clock
    chosen: str = ""      # the event id of the side chosen to stand, for other_side


CONFLICT_EVENTS = (ConflictResolved,)


def stream_id(conference_id: str) -> str:
    return f"conflicts-{conference_id}"


def resolutions_for(kind: str) -> tuple[str, ...]:
    """The resolutions an admin may choose for a conflict of this kind."""
    return RESOLUTIONS_BY_KIND.get(kind, DEFAULT_RESOLUTIONS)


def decide_resolution(*, conflict_id: str, kind: str, status: str, resolution: str,
                      comment: str, by: str, now: str, other_side: str = "") -> ConflictResolved:
    """Resolve an open conflict once, as its kind allows; 'reviewed' needs a comment."""
    comment = (comment or "").strip()
    if status != OPEN:
        raise DomainError("already_resolved", "This conflict has already been resolved.")
    if resolution not in resolutions_for(kind):
        allowed = ", ".join(resolutions_for(kind))
        raise DomainError("resolution_not_allowed",
                          f"A {kind} conflict can be resolved with: {allowed}.")
    if resolution == REVIEWED and not comment:
        raise DomainError("comment_required", "Say what was reviewed in a comment.")
    if len(comment) > MAX_COMMENT:
        raise DomainError("comment_too_long", f"A comment has at most {MAX_COMMENT} characters.")
    chosen = other_side if resolution == OTHER_SIDE else ""
    return ConflictResolved(conflict_id, kind, resolution, comment, by, now, chosen)


def check_bulk(severity: str, kind: str) -> None:
    """Only info-level conflicts may be resolved in bulk; a review needs a look at each one."""
    if severity != INFO:
        raise DomainError("not_info_kind",
                          f"{kind} conflicts need a review each; only info-level kinds are "
                          "resolved in bulk.")
