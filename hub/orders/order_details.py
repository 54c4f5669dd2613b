"""One order as the organiser's side sees it: lines, payments, seats with their attendees,
tickets and check-ins, where it was sold, its cancellation, what may be done to it now, and
who did what (read models and, for the history, the order's events in the log)."""
from __future__ import annotations

from hub.conferences.management_queries import money, seat_type_names
from hub.orders.order_management import order_of
from shared_domain import checkin, orders, payments, seat_assignments

# The order's events worth a line in its history, and how to say them.
HISTORY = {
    "OrderPlaced": lambda m: "Order placed online",
    "OnSiteOrderRecorded": lambda m: f"Sold on site, paid by {m.payment_method}",
    "OrderRegistrantAssigned": lambda m: f"Registrant named: {m.first_name} {m.last_name}",
    "OrderConfirmed": lambda m: "Order confirmed",
    "OrderExpired": lambda m: "Reservation expired",
    "PaymentCompleted": lambda m: f"Paid {_dollars(m.total_cents)} by {m.method}",
    "PaymentRefunded": lambda m: f"Refunded {_dollars(m.total_cents)} ({_words(m.reason)})",
    "UnusedPaymentRefunded": lambda m: f"Payment not taken, returned ({_words(m.reason)})",
    "SeatAssigned": lambda m: f"Seat {m.position + 1} assigned to {m.attendee.email}",
    "SeatAssignmentUpdated": lambda m: f"Seat {m.position + 1}: attendee details corrected",
    "SeatUnassigned": lambda m: f"Seat {m.position + 1} unassigned",
    "TicketIssued": lambda m: f"Ticket issued for seat {m.position + 1}",
    "TicketRevoked": lambda m: f"Ticket of seat {_seat_number(m.seat_id)} revoked "
                               f"({_words(m.reason)})",
    "OrderCancelled": lambda m: f"Order cancelled by the {m.role}"
                                + (f": “{m.reason}”" if m.reason else ""),
    "OrderMailsResendRequested": lambda m: "Mails asked for again",
}


def order_detail(hub, conference, order_id: str) -> dict:
    """The order of this conference with everything about it (404 for another's order)."""
    row = order_of(hub, conference, order_id)
    names = seat_type_names(hub, conference.id)
    paid = _payments(hub, order_id)
    seats = _seats(hub, order_id, names)
    cancelled = row.status == "cancelled"
    return {
        "order_id": row.order_id, "status": row.status, "placed_at": row.placed_at,
        "registrant": {"first_name": row.registrant_first_name,
                       "last_name": row.registrant_last_name, "email": row.registrant_email},
        "total": money(row.total_cents), "total_cents": row.total_cents,
        "is_free_of_charge": bool(row.is_free_of_charge), "payment_status": row.payment_status,
        "channel": "on_site" if row.sold_on_site_by else "online",
        "sold_on_site_by": row.sold_on_site_by,
        "lines": _lines(hub, order_id), "items": _items(hub, order_id, names),
        "payments": paid, "seats": seats,
        "cancellation": {"by": row.cancelled_by, "role": row.cancelled_role,
                         "reason": row.cancellation_reason, "at": row.cancelled_at}
        if cancelled else None,
        "actions": _actions(row, seats),
        "history": history(hub, conference.id, order_id, [p["payment_id"] for p in paid]),
    }


def _actions(row, seats: list[dict]) -> dict:
    """What may be asked of the order now (the services still decide, this only offers)."""
    open_ = row.status not in ("cancelled", "expired")
    return {"cancel": open_ and not row.sold_on_site_by,
            "mark_paid": row.status in ("reserved", "partially_reserved", "expired")
            and row.payment_status != "paid" and row.total_cents > 0
            and bool(row.registrant_email),
            "change_attendees": row.status == "confirmed" and bool(seats),
            "resend_mails": bool(row.registrant_email)}


def _lines(hub, order_id: str) -> list[dict]:
    L = hub.models.OrderLineView
    return [{"seat_type": line.seat_type, "name": line.name, "quantity": line.quantity,
             "unit_price_cents": line.unit_price_cents,
             "line_total_cents": line.line_total_cents}
            for line in L.select().where(L.order_id == order_id).order_by(L.id)]


def _items(hub, order_id: str, names: dict) -> list[dict]:
    I = hub.models.OrderItemView
    return [{"seat_type": i.seat_type, "name": names.get(i.seat_type, ""),
             "requested": i.requested, "reserved": i.reserved}
            for i in I.select().where(I.order_id == order_id).order_by(I.id)]


def _payments(hub, order_id: str) -> list[dict]:
    P = hub.read_models.payments
    return [{"payment_id": p.payment_id, "status": p.status, "method": p.method,
             "total": money(p.total_cents), "total_cents": p.total_cents,
             "description": p.description, "recorded_by": p.recorded_by,
             "refund_reason": p.refund_reason, "updated_at": p.updated_at}
            for p in P.select().where(P.order_id == order_id).order_by(P.updated_at)]


def _seats(hub, order_id: str, names: dict) -> list[dict]:
    S, K = hub.models.SeatAssignmentView, hub.models.TicketView
    R, V = hub.models.CheckInRecord, hub.models.RevokedTicket
    rows = list(S.select().where(S.order_id == order_id).order_by(S.position))
    seat_ids = [checkin.seat_id(order_id, r.position) for r in rows]
    live = {t.seat_id: t for t in K.select().where(K.order_id == order_id)}
    revoked: dict[str, list[str]] = {}
    check_ins: dict[str, list[dict]] = {}
    if seat_ids:
        for v in V.select().where(V.seat_id.in_(seat_ids)):
            revoked.setdefault(v.seat_id, []).append(v.reason)
        records = list(R.select().where(R.seat_id.in_(seat_ids)).order_by(R.scanned_at))
        doors = _door_names(hub, {r.node_id for r in records})
        for r in records:
            check_ins.setdefault(r.seat_id, []).append({
                "at": r.scanned_at, "door": doors.get(r.node_id, r.node_id),
                "attendee_name": r.attendee_name, "undone": bool(r.undone)})
    seats = []
    for r, seat_id in zip(rows, seat_ids):
        ticket = live.get(seat_id)
        seats.append({
            "position": r.position, "seat_id": seat_id, "seat_type": r.seat_type,
            "seat_type_name": names.get(r.seat_type, ""),
            "attendee": {"first_name": r.first_name, "last_name": r.last_name,
                         "email": r.email, "company": r.company} if r.email else None,
            "ticket": {"status": "valid", "attendee_name": ticket.attendee_name,
                       "code_digest": ticket.code_digest} if ticket else
                      {"status": "revoked" if seat_id in revoked else "none"},
            "revoked_tickets": revoked.get(seat_id, []),
            "check_ins": check_ins.get(seat_id, [])})
    return seats


def _door_names(hub, node_ids: set[str]) -> dict[str, str]:
    N = hub.models.Node
    return {n.id: n.name for n in N.select(N.id, N.name).where(N.id.in_(list(node_ids)))} \
        if node_ids else {}


def history(hub, conference_id: str, order_id: str, payment_ids: list[str]) -> list[dict]:
    """Who did what to the order, oldest first: its events in the log that say something
    to a person (`by` is "" where the registrant or a door did it)."""
    E = hub.store.models.EventRecord
    streams = [orders.stream_id(order_id), seat_assignments.stream_id(order_id),
               checkin.tickets_stream(order_id), *map(payments.stream_id, payment_ids)]
    query = (E.select().where((E.conference == conference_id) & E.stream.in_(streams)
                              & E.type.in_(list(HISTORY)))
             .order_by(E.position))
    return [{"at": e.occurred_at, "what": HISTORY[e.type](e.message),
             "by": getattr(e.message, "by", "") or ""}
            for e in hub.store.events(query)]


def _dollars(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def _words(code: str) -> str:
    return code.replace("_", " ")


def _seat_number(seat_id: str) -> str:
    position = seat_id.rpartition(":")[2]
    return str(int(position) + 1) if position.isdigit() else position
