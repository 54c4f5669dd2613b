"""What the admin console shows of on-site sales and allocations.

The console calls only these two functions, so on-site sales can change without touching
the admin pages: None or empty means "nothing to show yet" and is shown as "—" or 0.
"""
from __future__ import annotations

from hub.venue import allocations


def allocation_summary(hub, node) -> list[dict] | None:
    """Per seat type of the node's epoch: {"name", "allocated", "sold", "left"}; None: none."""
    return allocations.allocation_summary(hub, node) or None


def on_site_seats(hub, conference_id: str) -> dict[str, dict]:
    """Per seat type id: {"sold": seats sold on site, "allocated": seats held by nodes now}."""
    L = hub.models.NodeLedger
    seats: dict[str, dict] = {}
    for row in L.select().where(L.conference_id == conference_id):
        held = allocations.holding_of(row)     # one ledger rule, the node's own
        figures = seats.setdefault(row.seat_type, {"sold": 0, "allocated": 0})
        figures["sold"] += held.sold
        figures["allocated"] += held.left
    return seats
