"""What the admin console shows of on-site sales and allocations.

The console calls only these two functions, so on-site sales can change without touching
the admin pages: None or empty means "nothing to show yet" and is shown as "—" or 0.
"""
from __future__ import annotations

import peewee

from hub import allocations


def allocation_summary(hub, node) -> list[dict] | None:
    """Per seat type of the node's epoch: {"name", "allocated", "sold", "left"}; None: none."""
    return allocations.allocation_summary(hub, node) or None


def on_site_seats(hub, conference_id: str) -> dict[str, dict]:
    """Per seat type id: {"sold": seats sold on site, "allocated": seats held by nodes now}."""
    L = hub.models.NodeLedger
    rows = (L.select(L.seat_type, peewee.fn.SUM(L.sold).alias("sold"),
                     peewee.fn.SUM(L.granted + L.handed_in - L.handed_out - L.returned
                                   - L.sold).alias("held"))
            .where(L.conference_id == conference_id).group_by(L.seat_type))
    return {row.seat_type: {"sold": int(row.sold or 0), "allocated": int(row.held or 0)}
            for row in rows}
