"""The live venue dashboard's figures for one conference: plain SELECTs, time from hub.clock().

A seat is checked in when it has a check-in that was not undone; its entry is the earliest
of them by hub time (the node's clock corrected by its offset), so a ticket admitted at two
doors counts once, at the door that admitted it first.
"""
from __future__ import annotations

import datetime as dt

import peewee

from hub.venue import conflict_queries
from hub.venue import node_admin
from hub.venue.on_site_figures import on_site_seats

BUCKET = dt.timedelta(minutes=5)
SHORTEST_TIMELINE = dt.timedelta(hours=1)
LONGEST_TIMELINE = dt.timedelta(hours=8)


def dashboard_figures(hub, conference) -> dict:
    """Everything the dashboard shows, as JSON-ready values."""
    now = hub.clock()
    nodes = node_admin.conference_nodes(hub, conference.id)
    entries = seat_entries(hub, conference.id, {n.id: n.clock_offset or 0.0 for n in nodes})
    online, total = node_admin.doors_online(nodes, now)
    return {"conference": {"id": conference.id, "slug": conference.slug, "name": conference.name},
            "at": now.isoformat(), "checked_in": len(entries),
            "expected": expected_seats(hub, conference.id),
            "per_node": per_node(nodes, entries, now),
            "timeline": timeline(entries, now),
            "seat_types": seat_type_figures(hub, conference.id),
            "nodes_online": online, "nodes_total": total,
            "open_conflicts": conflict_queries.open_by_kind(hub, conference.id)}


def seat_entries(hub, conference_id: str, offsets: dict[str, float]) -> dict[str, tuple]:
    """Seat id -> (hub time, node id) of its entry: its earliest check-in still standing."""
    R = hub.models.CheckInRecord
    rows = R.select(R.seat_id, R.node_id, R.scanned_at).where(
        (R.conference_id == conference_id) & (R.undone == False))  # noqa: E712
    entries: dict[str, tuple] = {}
    for row in rows:
        at = _corrected(row.scanned_at, offsets.get(row.node_id, 0.0))
        if at is not None and (row.seat_id not in entries or at < entries[row.seat_id][0]):
            entries[row.seat_id] = (at, row.node_id)
    return entries


def expected_seats(hub, conference_id: str) -> int:
    """Assigned seats: the people expected at the doors."""
    A = hub.models.SeatAssignmentView
    return A.select().where((A.conference_id == conference_id) & (A.email != "")).count()


def per_node(nodes, entries: dict[str, tuple], now: dt.datetime) -> list[dict]:
    counts: dict[str, int] = {}
    for _, node_id in entries.values():
        counts[node_id] = counts.get(node_id, 0) + 1
    return [{"node_id": n.id, "name": n.name, "checked_in": counts.get(n.id, 0),
             "online": node_admin.is_online(n, now), "revoked": bool(n.revoked_at),
             "state": node_admin.node_state(n)}
            for n in nodes]


def timeline(entries: dict[str, tuple], now: dt.datetime) -> dict:
    """Entries per five minutes, from the first (one to eight hours back) to now."""
    end = _bucket_start(now)
    first = min((at for at, _ in entries.values()), default=end)
    start = max(min(_bucket_start(first), end - SHORTEST_TIMELINE), end - LONGEST_TIMELINE)
    counts = [0] * (int((end - start) / BUCKET) + 1)
    for at, _ in entries.values():
        index = int((_bucket_start(at) - start) / BUCKET)
        if 0 <= index < len(counts):
            counts[index] += 1
    return {"start": start.isoformat(), "bucket_minutes": int(BUCKET.total_seconds() // 60),
            "counts": counts}


def seat_type_figures(hub, conference_id: str) -> list[dict]:
    """Per seat type: capacity, sold online and on site, allocated to nodes, remaining."""
    T, V = hub.models.SeatType, hub.models.SeatTypeView
    available = {v.seat_type_id: v.available
                 for v in V.select().where(V.conference_id == conference_id)}
    online = seats_sold_online(hub, conference_id)
    on_site = on_site_seats(hub, conference_id)
    return [{"id": t.id, "name": t.name, "quantity": t.quantity,
             "sold_online": online.get(t.id, 0),
             "sold_on_site": on_site.get(t.id, {}).get("sold", 0),
             "allocated": on_site.get(t.id, {}).get("allocated", 0),
             "remaining": max(available.get(t.id, 0), 0)}
            for t in T.select().where(T.conference == conference_id).order_by(T.name)]


def seats_sold_online(hub, conference_id: str) -> dict[str, int]:
    """Seats of confirmed orders per seat type."""
    A, O = hub.models.SeatAssignmentView, hub.models.OrderView
    rows = (A.select(A.seat_type, peewee.fn.COUNT(A.id).alias("n"))
            .join(O, on=(A.order_id == O.order_id))
            .where((A.conference_id == conference_id) & (O.sold_on_site_by == ""))
            .group_by(A.seat_type))
    return {row.seat_type: row.n for row in rows}


def _bucket_start(at: dt.datetime) -> dt.datetime:
    return at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)


def _corrected(scanned_at: str, offset: float) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(scanned_at) + dt.timedelta(seconds=offset)
    except (TypeError, ValueError):
        return None
