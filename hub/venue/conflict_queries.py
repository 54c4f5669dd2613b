"""The conflict inbox: plain SELECTs over the `conflict` table, and each conflict's two sides
described the same way (who, what, where, when by the node's clock and corrected, when it
reached the hub)."""
from __future__ import annotations

import json

import peewee

from shared_domain import checkin, conflicts

KIND_LABELS = {
    "double_check_in": "Same ticket checked in at two doors",
    "checkin_reassigned_seat": "Check-in of a seat reassigned meanwhile",
    "checkin_cancelled_order": "Check-in of a cancelled or refunded order",
    "sale_beyond_allocation": "On-site sale beyond the node's allocation",
    "payment_reference_reused": "Same payment or receipt number used twice",
    "sale_discount_refused": "Door sale with a discount the hub does not grant",
}
REVOCATION_WORDS = {"reassigned": "the seat was reassigned", "renamed": "the name was corrected",
                    "refunded": "the order was refunded",
                    "order_cancelled": "the order was cancelled"}
STATUSES = (conflicts.OPEN, conflicts.RESOLVED)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def find_conflicts(hub, *, conference_id: str = "", kind: str = "", node_id: str = "",
                   status: str = "") -> list:
    """Conflicts matching every filter given, newest first."""
    C = hub.models.Conflict
    query = C.select()
    if conference_id:
        query = query.where(C.conference_id == conference_id)
    if kind:
        query = query.where(C.kind == kind)
    if node_id:
        query = query.where(C.nodes.contains(node_id))
    if status:
        query = query.where(C.status == status)
    return list(query.order_by(C.detected_at.desc(), C.id))


def conflict_by_id(hub, conflict_id: str):
    return hub.models.Conflict.get_or_none(hub.models.Conflict.id == conflict_id)


def kinds_seen(hub) -> list[str]:
    C = hub.models.Conflict
    return sorted({row.kind for row in C.select(C.kind).distinct()} | set(KIND_LABELS))


def open_by_kind(hub, conference_id: str, severity: str = "") -> dict[str, int]:
    """Open conflicts of a conference (of one severity, if given), counted per kind."""
    C = hub.models.Conflict
    where = (C.conference_id == conference_id) & (C.status == conflicts.OPEN)
    if severity:
        where &= C.severity == severity
    rows = C.select(C.kind, peewee.fn.COUNT(C.id).alias("n")).where(where).group_by(C.kind)
    return {row.kind: row.n for row in rows}


def conflict_summary(conflict, conference_slugs: dict[str, str]) -> dict:
    """A conflict as a row of the inbox (and of the API's list)."""
    return {"id": conflict.id, "kind": conflict.kind, "kind_label": kind_label(conflict.kind),
            "severity": conflict.severity, "status": conflict.status,
            "conference_id": conflict.conference_id,
            "conference": conference_slugs.get(conflict.conference_id, ""),
            "subject": conflict.subject, "nodes": [n for n in conflict.nodes.split(",") if n],
            "detected_at": conflict.detected_at, "resolved_at": conflict.resolved_at,
            "automatic_outcome": conflict.automatic_outcome}


def conflict_detail(hub, conflict, conference_slugs: dict[str, str]) -> dict:
    """A conflict with both sides described, its resolution and the resolutions it allows."""
    return {**conflict_summary(conflict, conference_slugs), "about": about(hub, conflict),
            "sides": [describe_side(hub, side) for side in json.loads(conflict.sides)],
            "resolution": json.loads(conflict.resolution) if conflict.resolution else None,
            "resolutions": list(conflicts.resolutions_for(conflict.kind))}


def about(hub, conflict) -> dict:
    """Whom a conflict concerns and the order(s) involved, in words, never a raw seat id."""
    sides = json.loads(conflict.sides)
    if conflict.kind == "payment_reference_reused":
        order_ids = list(dict.fromkeys(s["sale_id"] for s in sides if s.get("sale_id")))
        return {"attendee": "", "seat_type": "", "reference": conflict.subject,
                "orders": [_order_ref(hub, o) for o in order_ids]}
    order_id, _, position = conflict.subject.rpartition(":")
    if not (order_id and position.isdigit()):       # an on-site sale: its order has its id
        order = _order_ref(hub, conflict.subject)
        return {"attendee": order["registrant"], "seat_type": "", "reference": "",
                "orders": [order]}
    A = hub.models.SeatAssignmentView
    seat = A.get_or_none((A.order_id == order_id) & (A.position == int(position)))
    named = next((s["attendee_name"] for s in sides if s.get("attendee_name")), "")
    holder = f"{seat.first_name} {seat.last_name}".strip() if seat else ""
    return {"attendee": holder or named, "seat_type": _seat_type_name(hub, seat),
            "reference": "", "orders": [_order_ref(hub, order_id)]}


def order_ids_of(hub, conflict) -> list[str]:
    return [o["order_id"] for o in about(hub, conflict)["orders"]]


def _order_ref(hub, order_id: str) -> dict:
    O = hub.models.OrderView
    order = O.get_or_none(O.order_id == order_id)
    registrant = (f"{order.registrant_first_name} {order.registrant_last_name}".strip()
                  if order else "")
    return {"order_id": order_id, "registrant": registrant,
            "status": order.status if order else "", "sold_on_site_by":
            order.sold_on_site_by if order else ""}


def _seat_type_name(hub, seat) -> str:
    if seat is None:
        return ""
    T = hub.models.SeatType
    seat_type = T.get_or_none(T.id == seat.seat_type)
    return seat_type.name if seat_type else ""


def order_page(hub, order_id: str) -> dict | None:
    """One order as the admin sees it from a conflict: status, registrant, seats and holders."""
    O, A, L = hub.models.OrderView, hub.models.SeatAssignmentView, hub.models.OrderLineView
    order = O.get_or_none(O.order_id == order_id)
    if order is None:
        return None
    names = {t.id: t.name for t in hub.models.SeatType.select()
             .where(hub.models.SeatType.conference == order.conference_id)}
    R = hub.models.CheckInRecord
    checked_in = {r.seat_id for r in R.select(R.seat_id).where(
        R.seat_id.startswith(f"{order_id}:") & (R.undone == False))}  # noqa: E712
    seats = [{"position": a.position, "seat_type": names.get(a.seat_type, a.seat_type),
              "holder": f"{a.first_name} {a.last_name}".strip(), "email": a.email,
              "checked_in": f"{order_id}:{a.position}" in checked_in}
             for a in A.select().where(A.order_id == order_id).order_by(A.position)]
    return {"order_id": order.order_id, "status": order.status, "placed_at": order.placed_at,
            "registrant": f"{order.registrant_first_name} {order.registrant_last_name}".strip(),
            "registrant_email": order.registrant_email, "total_cents": order.total_cents,
            "sold_on_site_by": order.sold_on_site_by, "seats": seats,
            "lines": [{"name": line.name, "quantity": line.quantity,
                       "line_total_cents": line.line_total_cents}
                      for line in L.select().where(L.order_id == order_id)]}


def describe_side(hub, side: dict) -> dict:
    """One side as recorded, with who/what/where/when spelled out."""
    if "revocation" in side:
        return _revocation_side(hub, side)
    return {**side, "who": side.get("attendee_name", ""), "what": "Checked in",
            "where": side.get("door") or side.get("node_id", ""),
            "node_time": side.get("scanned_at"), "corrected_time": side.get("corrected_at"),
            "reached_hub": side.get("received_at")}


def _revocation_side(hub, side: dict) -> dict:
    """The hub's side: its ticket revocation, read back from the log (immutable)."""
    reason = side.get("revocation", "")
    E = hub.store.models.EventRecord
    row = E.get_or_none(E.id == side.get("event_id", ""))
    when, who = (row.occurred_at if row else None), ""
    if row is not None:
        later = hub.store.load(row.stream, row.version - 1)
        revoked = later[0].message if later else None
        who = next((e.message.attendee_name for e in later[1:]
                    if isinstance(e.message, checkin.TicketIssued)
                    and e.message.seat_id == getattr(revoked, "seat_id", "")), "")
    what = f"Ticket revoked: {REVOCATION_WORDS.get(reason, reason)}"
    if who:
        what += f" (now {who})"
    return {**side, "who": who or "—", "what": what, "where": "Hub", "node_time": None,
            "corrected_time": when, "reached_hub": when}


def conference_slugs(hub) -> dict[str, str]:
    C = hub.models.Conference
    return {c.id: c.slug for c in C.select(C.id, C.slug)}
