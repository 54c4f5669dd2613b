"""Read side of conference management: plain SELECTs shaped as the API's JSON."""
from __future__ import annotations

import csv
import io

import peewee

PUBLIC_FIELDS = ("id", "slug", "name", "description", "location", "tagline", "twitter_search",
                 "start_date", "end_date", "owner_name", "cancellation_deadline")
ATTENDEE_COLUMNS = ("order_id", "position", "seat_type", "seat_type_name", "first_name",
                    "last_name", "email", "company")


def money(cents: int) -> int | float:
    """Dollars as a JSON number: 199 or 199.5."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def conference_by_slug(hub, slug: str):
    """The conference with this slug (slugs are unique regardless of case), or None."""
    C = hub.models.Conference
    return C.select().where(peewee.fn.LOWER(C.slug) == slug.lower()).first()


def conference_by_id(hub, conference_id: str):
    """The conference with this id, or None."""
    return hub.models.Conference.get_or_none(hub.models.Conference.id == conference_id)


def seat_type_names(hub, conference_id: str) -> dict[str, str]:
    """Seat type id -> name for one conference (for order pages)."""
    S = hub.models.SeatType
    return {s.id: s.name for s in S.select(S.id, S.name).where(S.conference == conference_id)}


# --- public ---------------------------------------------------------------------

def published_conferences(hub) -> list[dict]:
    """Every published conference with its seat types and seats left."""
    C = hub.models.Conference
    rows = list(C.select().where(C.is_published).order_by(C.start_date, C.slug))
    on_sale = _seat_types_on_sale(hub, [c.id for c in rows])
    return [public_conference(c, on_sale.get(c.id, [])) for c in rows]


def published_conference(hub, slug: str) -> dict | None:
    """One published conference as registrants see it, or None."""
    conference = conference_by_slug(hub, slug)
    if conference is None or not conference.is_published:
        return None
    return public_conference(conference, _seat_types_on_sale(hub, [conference.id]).get(
        conference.id, []))


def public_conference(conference, seat_types: list[dict]) -> dict:
    return {**{name: getattr(conference, name) for name in PUBLIC_FIELDS},
            "is_published": conference.is_published, "seat_types": seat_types}


def _seat_types_on_sale(hub, conference_ids: list[str]) -> dict[str, list[dict]]:
    V = hub.models.SeatTypeView
    by_conference: dict[str, list[dict]] = {}
    if not conference_ids:
        return by_conference
    rows = V.select().where(V.conference_id.in_(conference_ids)).order_by(V.seat_type_id)
    for row in rows:
        by_conference.setdefault(row.conference_id, []).append({
            "id": row.seat_type_id, "name": row.name, "description": row.description,
            "price": money(row.price_cents), "price_cents": row.price_cents,
            "available": max(row.available, 0)})
    return by_conference


# --- management -----------------------------------------------------------------

def managed_conference(hub, conference) -> dict:
    """The conference as its owner sees it: owner details and every seat type."""
    return {**public_conference(conference, managed_seat_types(hub, conference)),
            "owner_email": conference.owner_email,
            "was_ever_published": conference.was_ever_published}


def managed_seat_types(hub, conference) -> list[dict]:
    S, V = hub.models.SeatType, hub.models.SeatTypeView
    rows = S.select().where(S.conference == conference.id).order_by(S.id)
    available = {v.seat_type_id: v.available
                 for v in V.select().where(V.conference_id == conference.id)}
    return [managed_seat_type(row, available.get(row.id, 0)) for row in rows]


def managed_seat_type(seat_type, available: int = 0) -> dict:
    return {"id": seat_type.id, "name": seat_type.name, "description": seat_type.description,
            "quantity": seat_type.quantity, "price": money(seat_type.price_cents),
            "price_cents": seat_type.price_cents, "available": max(available, 0)}


def orders(hub, conference, status: str = "", email: str = "", q: str = "") -> list[dict]:
    """The conference's orders, newest first, optionally by status, registrant email, or
    text (`q`: a name or email of the registrant or an attendee, part of the order id, or
    the order's access code, which the registrant sees as its reference)."""
    O, L = hub.models.OrderView, hub.models.OrderLineView
    query = O.select().where(O.conference_id == conference.id)
    if status:
        query = query.where(O.status == status)
    if email:
        query = query.where(O.registrant_email == email.lower())
    if q:
        query = query.where(_matching(hub, conference, q))
    rows = list(query.order_by(O.placed_at.desc(), O.order_id))
    lines: dict[str, list[dict]] = {}
    if rows:
        for line in L.select().where(L.order_id.in_([r.order_id for r in rows])).order_by(L.id):
            lines.setdefault(line.order_id, []).append(_order_line(line))
    return [_order(row, lines.get(row.order_id, [])) for row in rows]


def _matching(hub, conference, text: str):
    """Orders whose registrant or an attendee matches the text, or whose id or code does."""
    O, A = hub.models.OrderView, hub.models.SeatAssignmentView
    like = text.strip().lower()
    name = peewee.fn.LOWER(O.registrant_first_name.concat(" ").concat(O.registrant_last_name))
    attendees = A.select(A.order_id).where(
        (A.conference_id == conference.id)
        & (peewee.fn.LOWER(A.first_name.concat(" ").concat(A.last_name)).contains(like)
           | peewee.fn.LOWER(A.email).contains(like)))
    found = (name.contains(like) | peewee.fn.LOWER(O.registrant_email).contains(like)
             | O.order_id.in_(attendees))
    if len(like) >= 4:
        found |= peewee.fn.LOWER(O.order_id).contains(like)
    if len(like) == 6:
        found |= O.access_code == like.upper()
    return found


def _order(row, lines: list[dict]) -> dict:
    return {"order_id": row.order_id, "status": row.status, "placed_at": row.placed_at,
            "registrant": {"first_name": row.registrant_first_name,
                           "last_name": row.registrant_last_name,
                           "email": row.registrant_email},
            "total": money(row.total_cents), "total_cents": row.total_cents,
            "is_free_of_charge": row.is_free_of_charge, "payment_status": row.payment_status,
            "sold_on_site_by": row.sold_on_site_by, "lines": lines}


def _order_line(line) -> dict:
    return {"seat_type": line.seat_type, "name": line.name, "quantity": line.quantity,
            "unit_price": money(line.unit_price_cents), "unit_price_cents": line.unit_price_cents,
            "line_total": money(line.line_total_cents), "line_total_cents": line.line_total_cents}


def attendees(hub, conference, seat_type: str = "", q: str = "") -> list[dict]:
    """One row per seat of a confirmed order, optionally by seat type or matching text."""
    A, S = hub.models.SeatAssignmentView, hub.models.SeatType
    query = A.select().where(A.conference_id == conference.id)
    if seat_type:
        query = query.where(A.seat_type == seat_type)
    if q:
        text = q.lower()
        query = query.where(peewee.fn.LOWER(A.first_name).contains(text)
                            | peewee.fn.LOWER(A.last_name).contains(text)
                            | peewee.fn.LOWER(A.email).contains(text)
                            | peewee.fn.LOWER(A.company).contains(text))
    names = {s.id: s.name for s in S.select().where(S.conference == conference.id)}
    return [{"order_id": a.order_id, "position": a.position, "seat_type": a.seat_type,
             "seat_type_name": names.get(a.seat_type, ""), "first_name": a.first_name,
             "last_name": a.last_name, "email": a.email, "company": a.company}
            for a in query.order_by(A.last_name, A.first_name, A.order_id, A.position)]


def attendees_csv(rows: list[dict]) -> str:
    """The attendee list as CSV; cells a spreadsheet would run as formulas are quoted away."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ATTENDEE_COLUMNS)
    for row in rows:
        writer.writerow([_inert(row[column]) for column in ATTENDEE_COLUMNS])
    return out.getvalue()


def _inert(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
