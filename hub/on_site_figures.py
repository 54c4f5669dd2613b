"""What the admin console shows of on-site sales and allocations (issue 6 fills these in).

The console calls only these two functions, so on-site sales can change without touching
the admin pages: None or empty means "nothing to show yet" and is shown as "—" or 0.
"""
from __future__ import annotations


def allocation_summary(hub, node) -> list[dict] | None:
    """Per seat type of the node's epoch: {"name", "allocated", "sold", "left"}; None: none."""
    return None


def on_site_seats(hub, conference_id: str) -> dict[str, dict]:
    """Per seat type id: {"sold": seats sold on site, "allocated": seats held by nodes now}."""
    return {}
