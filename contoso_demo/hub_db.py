"""What the demo reads straight from the hub's SQLite file (read-only, beside the running hub).

Ticket codes are what registrants hold on their phones; reading them here stands for
"the attendee shows the QR code of the ticket the hub sent them"."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Ticket:
    attendee_name: str
    code: str
    seat_id: str
    order_id: str
    position: int


def fresh_tickets(hub_db: str) -> list[Ticket]:
    """Current tickets of seats bought online that never reached the hub as checked in, oldest
    orders first."""
    rows = _query(hub_db, """
        SELECT attendee_name, code, seat_id, order_id, position FROM rm_ticket
        WHERE seat_id NOT IN (SELECT seat_id FROM checkin_record)
          AND order_id NOT IN (SELECT order_id FROM rm_order WHERE sold_on_site_by != '')
        ORDER BY rowid""")
    return [Ticket(*row) for row in rows]


def registrant_of(hub_db: str, order_id: str) -> tuple[str, str]:
    """(email, access code) of an order's registrant: what they sign in to their order with."""
    return tuple(_query(hub_db, "SELECT registrant_email, access_code FROM rm_order "
                                "WHERE order_id = ?", (order_id,))[0])


def on_site_orders(hub_db: str) -> list[tuple[str, str]]:
    """(order id, the selling node's name) of every order sold at a door."""
    return _query(hub_db, "SELECT order_id, sold_on_site_by FROM rm_order "
                          "WHERE sold_on_site_by != ''")


def _query(hub_db: str, sql: str, parameters: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql, parameters).fetchall()
    finally:
        db.close()
