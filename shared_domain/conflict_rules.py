"""The conflict rules of DESIGN.md section 6 as pure functions: the hub's readers find the
candidates in the log and its tables, these decide what is a conflict and which kind."""
from __future__ import annotations

import hashlib
from typing import Iterable

from shared_domain.allocations import Holding

# A check-in of a ticket revoked meanwhile: why it was revoked -> the conflict's kind. A
# corrected name is the same person: nothing to review.
REVOKED_CHECK_IN_KINDS = {"reassigned": "checkin_reassigned_seat",
                          "refunded": "checkin_cancelled_order",
                          "order_cancelled": "checkin_cancelled_order"}


def conflict_id(kind: str, event_ids: Iterable[str]) -> str:
    """The same kind over the same events is the same conflict, whatever the order of
    arrival: recorded once."""
    return hashlib.sha256("|".join([kind, *sorted(event_ids)]).encode()).hexdigest()


def is_fork(seat_id: str, previous: str | None, scan_nonce: str, other_seat_id: str,
            other_previous: str | None, other_nonce: str, other_undone: bool) -> bool:
    """Two doors admitted one seat knowing the same last check-in: a double check-in (a
    check-in taken back no longer holds the seat; one scan uploaded twice is one)."""
    return (seat_id == other_seat_id and previous == other_previous
            and scan_nonce != other_nonce and not other_undone)


def revoked_check_in_kind(reason: str) -> str | None:
    """The kind of conflict a check-in of a ticket revoked for `reason` is, or None."""
    return REVOKED_CHECK_IN_KINDS.get(reason)


def seats_over_allocation(held: Holding) -> int:
    """How many seats a node sold beyond what it held (0: within its allocation)."""
    return max(0, held.sold - held.limit)
