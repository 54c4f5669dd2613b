"""The registrant's side: parse requests into commands, hand them to the bus, read the views."""
from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections import namedtuple

from shared_domain import orders, payments, seat_assignments
from shared_domain.people import PersonalInfo
from shared_domain.seats import SeatQuantity
from event_store.database import is_postgres
from event_store.ids import uuid7
from event_store.readers import catch_up
from event_store.statements import prepared
from hub.orders import order_access
from hub.platform.errors import Refused
from shared_domain.errors import DomainError
from hub.orders.order_progress import NOT_PROJECTED, version_tag
from hub.orders.registrant_fields import (attendee_field_errors, registrant_field_errors,
                                   require_valid_person)
from hub.orders.ticket_documents import TicketDocument, ticket_document
from hub.orders.tickets import TicketIssuer
from hub.promotions import order_codes

# Registrants buy at most this many of one seat type in one order (the picker's cap).
MAX_SEATS_PER_TYPE = 20
PAYMENT_METHODS = ("card", "invoice")
log = logging.getLogger(__name__)


def published_conference(hub, slug: str):
    C = hub.models.Conference
    conference = C.get_or_none((C.slug == slug) & (C.is_published == True))  # noqa: E712
    if conference is None:
        raise DomainError("conference_not_found", f"No published conference '{slug}'.")
    return conference


def parse_seats(hub, conference_id: str, raw) -> tuple[SeatQuantity, ...]:
    """Seats asked for: known seat types of this conference, whole quantities 0..20, at least one."""
    if not isinstance(raw, list) or not raw:
        raise Refused("invalid_fields", "Say which seats you want.",
                      {"seats": "a list of {seat_type, quantity}"})
    S = hub.models.SeatType
    known = {row.id for row in S.select(S.id).where(S.conference == conference_id)}
    seats = {}
    for item in raw:
        seat_type = item.get("seat_type") if isinstance(item, dict) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if seat_type not in known:
            raise DomainError("unknown_seat_type", f"Unknown seat type {seat_type!r}.")
        if type(quantity) is not int or not 0 <= quantity <= MAX_SEATS_PER_TYPE:
            raise Refused("invalid_quantity",
                          f"Quantity must be a whole number from 0 to {MAX_SEATS_PER_TYPE}.",
                          {"quantity": f"0 to {MAX_SEATS_PER_TYPE}"})
        if seat_type in seats:
            raise DomainError("invalid_fields", "Each seat type may appear once.")
        seats[seat_type] = quantity
    if not any(seats.values()):
        raise DomainError("empty_order", "Choose at least one seat.")
    return tuple(SeatQuantity(t, q) for t, q in seats.items() if q)


def place_order(hub, slug: str, raw_seats, *, token: str | None = None) -> str:
    """Place an order; with `token`, the token that will open it is stored with it."""
    conference = published_conference(hub, slug)
    seats = parse_seats(hub, conference.id, raw_seats)
    order_id = uuid7()
    hub.bus.handle(orders.RegisterToConference(order_id, conference.id, seats),
                   correlation=order_id, and_then=None if token is None else
                   lambda: order_access.store_token(hub, order_id, token))
    hub.settle()    # seats reserved in the request when they can be: no pump hop to wait for
    return order_id


def update_order(hub, order_id: str, raw_seats) -> None:
    order = order_state(hub, order_id)
    seats = parse_seats(hub, order.conference_id, raw_seats)
    hub.bus.handle(orders.RegisterToConference(order_id, order.conference_id, seats),
                   correlation=order_id)
    hub.settle()


def order_state(hub, order_id: str) -> orders.OrderState:
    """The order's write model: the source of truth for what may happen next."""
    state = orders.fold(e.message for e in hub.store.load(orders.stream_id(order_id)))
    if state is None:
        raise DomainError("order_not_found", "There is no such order.")
    return state


def require_order(hub, order_id: str) -> None:
    """404 unless the order exists: placed here (it has a stream) or sold at a door (a view row)."""
    O = hub.models.OrderView
    if O.get_or_none(O.order_id == order_id) is None:
        order_state(hub, order_id)


def assign_registrant(hub, order_id: str, body: dict) -> None:
    # No load of the order first: callers hold its proof of access, and its handler refuses
    # one that does not exist (404).
    require_valid_person(registrant_field_errors(body))
    hub.bus.handle(orders.AssignRegistrantDetails(
        order_id, _text(body, "first_name"), _text(body, "last_name"), _text(body, "email")),
        correlation=order_id)
    # The pump's round in the request feeds the read models with the rest (the worker then
    # has nothing left of it); the catch-up after is two reads when that did it all.
    hub.settle()
    hub.refresh_read_models()


def start_payment(hub, order_id: str, method: str) -> dict:
    """Only reserved seats are paid for, by a named registrant, before the reservation ends."""
    if method not in PAYMENT_METHODS:
        raise DomainError("invalid_payment_method", f"Pay by one of {', '.join(PAYMENT_METHODS)}.")
    order = order_state(hub, order_id)
    _require_payable(hub, order)
    if order.total_cents == 0:
        hub.bus.handle(orders.ConfirmOrder(order_id), correlation=order_id)
        hub.settle()
        return {"order_id": order_id, "status": "confirmed"}
    # Random, not time-ordered: the payment id is what opens the processor's page and buttons.
    payment_id = str(uuid.uuid4())
    if method == "invoice":
        reference = f"INV-{payment_id[-8:].upper()}"
        hub.bus.handle(payments.PayByInvoice(payment_id, order_id, order.conference_id,
                                             order.total_cents, reference), correlation=order_id)
        return {"order_id": order_id, "payment_id": payment_id, "method": method,
                "invoice_reference": reference}
    hub.bus.handle(payments.InitiateThirdPartyProcessorPayment(
        payment_id, order_id, order.conference_id, _payment_description(hub, order),
        order.total_cents), correlation=order_id)
    return {"order_id": order_id, "payment_id": payment_id, "method": method,
            "total_cents": order.total_cents}


def _payment_description(hub, order: orders.OrderState) -> str:
    """What the processor shows: never the access code (with the email it opens the order)."""
    conference = hub.models.Conference.get_or_none(hub.models.Conference.id == order.conference_id)
    return f"Registration for {conference.name}" if conference else "Conference registration"


def _require_payable(hub, order: orders.OrderState) -> None:
    if order.status == orders.CANCELLED:
        raise DomainError("order_cancelled", "This order was cancelled.")
    if order.status == "confirmed":
        raise DomainError("order_confirmed", "This order is already confirmed.")
    if order.status == "expired" or (order.reservation_expiration is not None
                                     and order.reservation_expiration <= hub.clock()):
        raise DomainError("order_expired", "The reservation has expired; please start again.")
    if order.status != "reserved":
        raise DomainError("reservation_pending",
                          "Your seats are still being reserved; try again in a moment.")
    if not any(s.quantity for s in order.reserved_seats):
        raise DomainError("nothing_reserved", "None of the requested seats could be reserved.")
    if not order.registrant_email:
        raise DomainError("registrant_missing", "Tell us who the registrant is first.")


def complete_payment(hub, payment_id: str, *, accepted: bool) -> None:
    payment_state(hub, payment_id)   # a stranger's made-up id writes nothing (no refusal row)
    command = (payments.CompleteThirdPartyProcessorPayment(payment_id) if accepted
               else payments.CancelThirdPartyProcessorPayment(payment_id))
    hub.bus.handle(command)
    hub.settle()    # the order confirmed (or released) before the registrant is sent back


def payment_state(hub, payment_id: str) -> payments.PaymentState:
    state = payments.fold(e.message for e in hub.store.load(payments.stream_id(payment_id)))
    if state is None:
        raise DomainError("payment_not_found", "There is no such payment.")
    return state


def payment_json(hub, payment_id: str) -> dict:
    p = payment_state(hub, payment_id)
    return {"payment_id": p.payment_id, "order_id": p.order_id, "status": p.status,
            "method": p.method, "description": p.description, "total_cents": p.total_cents}


def find_order(hub, email, access_code, *, client: str = "") -> str:
    """Registrants find their order again by their email and the order's access code."""
    errors = {field: "Give it as text." for field, value in
              (("email", email), ("access_code", access_code)) if not isinstance(value, str)}
    if errors:
        raise Refused("invalid_fields", "Give the email and the access code.", errors)
    order_id = order_access.code_opens(hub, email, access_code, client=client)
    if order_id is None:
        raise DomainError("order_not_found", "No order matches that email and access code.")
    return order_id


ORDER_COLUMNS = ("order_id", "conference_id", "status", "access_code", "total_cents",
                 "is_free_of_charge", "payment_status", "registrant_first_name",
                 "registrant_last_name", "registrant_email", "reservation_expiration", "version")
OrderRow = namedtuple("OrderRow", ORDER_COLUMNS)


ITEM_COLUMNS = ("seat_type", "requested", "reserved")
LINE_COLUMNS = ("seat_type", "name", "quantity", "unit_price_cents", "line_total_cents")
CODE_COLUMNS = ("code", "seat_type", "amount_cents")


def _order_read(hub) -> str:
    """order_json's one read, written once per database: the order's row with its items and
    lines as JSON arrays (three statements before; the order page and the API's long-poll
    read it several times per order). Each array holds the row id first, to sort by."""
    O, I, L = (m._meta.table_name for m in (hub.models.OrderView, hub.models.OrderItemView,
                                           hub.models.OrderLineView))

    C = order_codes.code_table(hub)

    def build(sql):
        def rows_of(table, columns, first=("id",)):
            fields = ", ".join(sql.q(c) for c in (*first, *columns))
            where = f"FROM {sql.q(table)} WHERE {sql.q('order_id')} = o.{sql.q('order_id')}"
            if is_postgres(hub.db):
                return f"(SELECT json_agg(json_build_array({fields}))::text {where})"
            return f"(SELECT json_group_array(json_array({fields})) {where})"
        return (f"SELECT {', '.join('o.' + sql.q(c) for c in ORDER_COLUMNS)}, "
                f"{rows_of(I, ITEM_COLUMNS)}, {rows_of(L, LINE_COLUMNS)}, "
                f"{rows_of(C, CODE_COLUMNS, first=('position', 'id'))} "
                f"FROM {sql.q(O)} AS o WHERE o.{sql.q('order_id')} = {sql.p}")
    return prepared(hub.db, "order_json", build)


def _json_rows(text: str | None, columns: tuple[str, ...], keys: int = 1) -> list[dict]:
    """Rows of a JSON array sorted by their first `keys` values, which are left out."""
    return [dict(zip(columns, values[keys:])) for values in sorted(json.loads(text or "[]"))]


def order_json(hub, order_id: str) -> dict:
    """The draft and priced order as the registrant sees it (read model)."""
    found = hub.db.execute_sql(_order_read(hub), (order_id,)).fetchone()
    if found is None:
        order = order_state(hub, order_id)  # placed, not yet projected
        return {"order_id": order_id, "conference_id": order.conference_id,
                "status": "pending_reservation", "items": [], "lines": [], "total_cents": 0,
                "version": version_tag(*NOT_PROJECTED)}
    row = OrderRow(*found[:len(ORDER_COLUMNS)])
    items_json, lines_json, codes_json = found[len(ORDER_COLUMNS):]
    body = {"order_id": row.order_id, "conference_id": row.conference_id, "status": row.status,
            "access_code": row.access_code, "items": _json_rows(items_json, ITEM_COLUMNS),
            "lines": _json_rows(lines_json, LINE_COLUMNS),
            "total_cents": row.total_cents, "is_free_of_charge": bool(row.is_free_of_charge),
            "payment_status": row.payment_status,
            "registrant": {"first_name": row.registrant_first_name,
                           "last_name": row.registrant_last_name,
                           "email": row.registrant_email},
            "reservation_expiration": row.reservation_expiration,
            "version": version_tag(row.status, row.payment_status, row.version)}
    _with_discounts(body, order_codes.codes_of(
        tuple(r.values()) for r in _json_rows(codes_json, CODE_COLUMNS, keys=2)))
    if row.status == "partially_reserved":
        body["message"] = "Could not reserve all the requested seats."
    if row.reservation_expiration and row.status not in ("confirmed", "expired", "cancelled"):
        left = dt.datetime.fromisoformat(row.reservation_expiration) - hub.clock()
        body["seconds_left"] = max(0, int(left.total_seconds()))
    return body


def _with_discounts(body: dict, codes: list[dict]) -> None:
    """The order's promotional codes, and what they take off each line (docs/promotions.md)."""
    cut = order_codes.cut_per_line(codes)
    for line in body["lines"]:
        line["discount_cents"] = cut.get(line["seat_type"], 0)
    body["promotional_codes"] = codes
    body["discount_cents"] = sum(cut.values())


def seats_json(hub, order_id: str) -> list[dict]:
    require_order(hub, order_id)
    S, T, K = hub.models.SeatAssignmentView, hub.models.SeatType, hub.models.TicketView
    names = {}
    rows = list(S.select().where(S.order_id == order_id).order_by(S.position))
    codes = {t.position: t.code for t in K.select().where(K.order_id == order_id)}
    if rows:
        names = {t.id: t.name for t in T.select().where(T.conference == rows[0].conference_id)}
    return [{"position": r.position, "seat_type": r.seat_type,
             "seat_type_name": names.get(r.seat_type, ""),
             "ticket_code": codes.get(r.position) if r.email else None,
             "attendee": {"first_name": r.first_name, "last_name": r.last_name,
                          "email": r.email, "company": r.company} if r.email else None}
            for r in rows]


def seat_ticket(hub, order_id: str, position: int) -> TicketDocument:
    """The seat's live ticket, to download as a PDF or a PNG (hub/orders/ticket_documents.py)."""
    require_order(hub, order_id)
    document = ticket_document(hub, order_id, position)
    if document is None:
        raise DomainError("ticket_not_found",
                          "This seat has no ticket yet: assign an attendee to it first.")
    return document


def assign_seat(hub, order_id: str, position: int, body: dict, *, by: str = "") -> None:
    """`by`: "" for the registrant, else who on the organiser's side (hub/orders/order_management.py)."""
    require_order(hub, order_id)
    require_valid_person(attendee_field_errors(body))
    attendee = PersonalInfo(_text(body, "first_name"), _text(body, "last_name"),
                            _text(body, "email"), _text(body, "company"))
    hub.bus.handle(seat_assignments.AssignSeat(order_id, position, attendee, by),
                   correlation=order_id)
    _issue_tickets_now(hub)


def unassign_seat(hub, order_id: str, position: int, *, by: str = "") -> None:
    require_order(hub, order_id)
    hub.bus.handle(seat_assignments.UnassignSeat(order_id, position, by), correlation=order_id)
    _issue_tickets_now(hub)


def _issue_tickets_now(hub) -> None:
    """Let the ticket issuer read the change now, so the answer carries the new code (the
    pump would issue it a moment later). Its stored position makes racing the pump safe."""
    issuer = next(r for r in hub.readers if r.name == TicketIssuer.name)
    try:
        catch_up(hub.store, issuer)
    except Exception:   # the pump issues it and sets aside what fails; the change stands
        log.exception("tickets not issued inline; the pump issues them")
    hub.refresh_read_models()


def _text(body: dict, field: str) -> str:
    """A field already checked by _person_field_errors: text, or absent."""
    return (body.get(field) or "").strip()
